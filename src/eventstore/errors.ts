import { OrgcloneError } from '../shared/errors.js';
import type { ExpectedRevision } from './types.js';

/** The stream's actual revision did not match the expectation. */
export class WrongExpectedVersionError extends OrgcloneError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFoundError extends OrgcloneError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} not found`);
  }
}

/** One append exceeds the store's size cap (EventStoreDB's default is 1 MiB). */
export class AppendTooLargeError extends OrgcloneError {
  readonly code = 'APPEND_TOO_LARGE';
  constructor(
    readonly streamId: string,
    readonly size: number,
    readonly maxSize: number,
  ) {
    super(`append to ${streamId} of ${size} bytes exceeds the cap of ${maxSize} bytes`);
  }
}

/**
 * Some, but not all, of the appended event ids are already committed (or committed elsewhere):
 * the append is neither new nor an exact resend, so it is refused rather than half-applied.
 */
export class DuplicateEventIdError extends OrgcloneError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(
      `append to ${streamId}: event ${eventId} is already committed and the append is not an exact resend`,
    );
  }
}

/**
 * The store has no room for the append (SQLite's SQLITE_FULL: the disk or the file's size cap is
 * full). Nothing of the append is written; the same append may succeed once there is room again.
 */
export class EventStoreFullError extends OrgcloneError {
  readonly code = 'EVENT_STORE_FULL';
  constructor(
    readonly streamId: string,
    options: { cause: unknown },
  ) {
    super(`append to ${streamId} refused: the event store is full (free disk space, then retry)`);
    this.cause = options.cause;
  }
}
