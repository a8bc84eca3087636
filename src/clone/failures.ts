/**
 * Why a clone stops before it is complete, as the stable codes `CloneFailed` records, and whether
 * starting it again may finish it. Nothing of an internal error message reaches the event: the
 * worker logs it, the auditors see the code.
 */
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import Database from 'better-sqlite3';
import {
  AppendTooLargeError,
  DuplicateEventIdError,
  EventStoreFullError,
  WrongExpectedVersionError,
} from '../eventstore/errors.js';
import { OrgcloneError } from '../shared/errors.js';

export type CloneFailureReason =
  /** The source's stream no longer reaches the version the clone copies. */
  | 'SOURCE_NOT_FOUND'
  /** The plan computed again from the source differs from the one requested. */
  | 'PLAN_CHANGED'
  /** The new organization's stream holds an event the clone did not write. */
  | 'TARGET_CHANGED'
  /** One plan item alone does not fit an append. */
  | 'BATCH_TOO_LARGE'
  /** The event store could not be reached or could not write (disk full, node down). */
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

const RESUMABLE: Record<CloneFailureReason, boolean> = {
  SOURCE_NOT_FOUND: false,
  PLAN_CHANGED: false,
  TARGET_CHANGED: false,
  BATCH_TOO_LARGE: false,
  STORE_UNAVAILABLE: true,
  // A fault of ours, not of the clone: a fixed worker may finish it.
  INTERNAL_ERROR: true,
};

/** A condition found by the worker itself that keeps the clone from finishing. */
export class CloneCannotContinueError extends OrgcloneError {
  readonly code = 'CLONE_CANNOT_CONTINUE';
  constructor(
    readonly reason: Exclude<CloneFailureReason, 'STORE_UNAVAILABLE' | 'INTERNAL_ERROR'>,
    message: string,
  ) {
    super(message);
  }
}

/** SQLite result codes of a store that cannot write now but may later (full disk, I/O, locks held too long). */
const TRANSIENT_SQLITE_CODES = /^SQLITE_(FULL|BUSY|LOCKED|IOERR|CANTOPEN|PROTOCOL|NOMEM)/;
const TRANSIENT_SYSTEM_CODES = new Set(['ENOSPC', 'EIO', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** The store is unreachable or cannot write for now; the same append may succeed later. */
export function isStoreUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError ||
    error instanceof EventStoreFullError
  ) {
    return true;
  }
  if (error instanceof Database.SqliteError) return TRANSIENT_SQLITE_CODES.test(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SYSTEM_CODES.has(code);
}

/** Another writer appended first: catch up and go on, nothing failed. */
export function isConcurrentWrite(error: unknown): boolean {
  return error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError;
}

export interface CloneFailure {
  reason: CloneFailureReason;
  resumable: boolean;
}

export function failureOf(error: unknown): CloneFailure {
  const reason: CloneFailureReason =
    error instanceof CloneCannotContinueError
      ? error.reason
      : error instanceof AppendTooLargeError
        ? 'BATCH_TOO_LARGE'
        : isStoreUnavailable(error)
          ? 'STORE_UNAVAILABLE'
          : 'INTERNAL_ERROR';
  return { reason, resumable: RESUMABLE[reason] };
}
