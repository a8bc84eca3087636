import { OrgcloneError } from '../shared/errors.js';

/**
 * Another writer kept changing the stream between our read and our append, more often than the
 * command handler is willing to retry. The caller may simply resend the command.
 */
export class ConcurrencyConflictError extends OrgcloneError {
  readonly code = 'CONFLICT';
  readonly reason = 'CONCURRENT_MODIFICATION';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamId} was modified concurrently ${attempts} times in a row; try again`);
    if (options && 'cause' in options) this.cause = options.cause;
  }
}
