import { OrgcloneError } from '../shared/errors.js';

/** The read models did not reach a position in time (the write itself is committed). */
export class ProjectionTimeoutError extends OrgcloneError {
  readonly code = 'PROJECTION_TIMEOUT';
  constructor(
    readonly position: bigint,
    readonly timeoutMs: number,
    readonly lagging: readonly string[],
  ) {
    super(`projections ${lagging.join(', ')} did not reach position ${position} within ${timeoutMs} ms`);
  }
}

/** A projection stopped on an error (in its fold or its subscription) and will not advance. */
export class ProjectionFailedError extends OrgcloneError {
  readonly code = 'PROJECTION_FAILED';
  constructor(
    readonly projection: string,
    options: { cause: unknown },
  ) {
    super(`projection ${projection} failed: ${errorMessage(options.cause)}`);
    this.cause = options.cause;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The runner was stopped while a caller still waited for a position. */
export class ProjectionsStoppedError extends OrgcloneError {
  readonly code = 'PROJECTIONS_STOPPED';
  constructor() {
    super('the projection runner was stopped');
  }
}
