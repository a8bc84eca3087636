/**
 * Errors a domain decision can end with. Every one carries a stable `code` (mapped once to the API's
 * `extensions.code`) and, where one input is to blame, the offending `field` as a path into the
 * command's data (`values[2].value`, `settings.USER_PORTAL.idleSessionDurationMinutes`).
 */
import { OrgcloneError } from '../shared/errors.js';

export abstract class DomainError extends OrgcloneError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The input breaks a rule of the model (type, range, enum, format, grammar). */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, field);
  }
}

/**
 * An aggregate, or an item the command names or references, does not exist. `id` is empty when the
 * aggregate itself is missing (its id is the stream the caller loaded, not part of the command).
 */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: string,
    field?: string,
  ) {
    super(id === '' ? `${entity} not found` : `${entity} ${id} not found`, field);
  }
}

export type ConflictReason =
  | 'ALREADY_EXISTS'
  | 'NAME_TAKEN'
  | 'EMAIL_TAKEN'
  | 'ORGANIZATION_DISCARDED'
  | 'REFERENCED'
  | 'DEFAULT_ENROLLMENT_GROUP_TAKEN'
  | 'ORG_ACCESS_NOT_LINKED'
  | 'ADMINISTRATOR_SUSPENDED'
  | 'API_KEY_REVOKED';

/** The command is well-formed but the aggregate's current state does not allow it. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(
    readonly reason: ConflictReason,
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

/** The caller's credentials do not identify an active administrator. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

/** The caller's role does not allow the action. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

/** The action needs a paid plan. */
export class PaymentRequiredError extends DomainError {
  readonly code = 'PAYMENT_REQUIRED';
}
