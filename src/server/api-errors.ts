import { OrgcloneError } from '../shared/errors.js';

/**
 * The request itself is unusable (a foreign cursor, a page size out of range) before any domain
 * rule is asked. Everything else a resolver refuses is already a domain error
 * (`src/domain/errors.ts`: UnauthenticatedError, ForbiddenError, NotFoundError, ConflictError,
 * PaymentRequiredError, ValidationError), which the API maps by code as well.
 */
export class BadUserInputError extends OrgcloneError {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    /** The offending argument or input path, e.g. `after` or `input.name`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
