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

/**
 * Every reason a CONFLICT can give, in one list (the API exposes it as `extensions.reason`):
 * organizations and providers first, then clones.
 */
export type ConflictReason =
  | 'ALREADY_EXISTS'
  | 'NAME_TAKEN'
  | 'EMAIL_TAKEN'
  | 'ORGANIZATION_DISCARDED'
  /** The organization is being created by a clone: nothing else may change it until it is provisioned. */
  | 'ORGANIZATION_BEING_CLONED'
  | 'REFERENCED'
  | 'DEFAULT_ENROLLMENT_GROUP_TAKEN'
  | 'ORG_ACCESS_NOT_LINKED'
  | 'ADMINISTRATOR_SUSPENDED'
  | 'API_KEY_REVOKED'
  | 'CLONE_ALREADY_EXISTS'
  /** The source or the request changed since the preview the caller accepted. */
  | 'PLAN_OUTDATED'
  | 'PLAN_MISMATCH'
  /** The idempotency key was used before with another input. */
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'CLONE_NOT_RUNNING'
  | 'CLONE_NOT_RESUMABLE'
  | 'CLONE_IN_PROGRESS'
  | 'CLONE_FINISHED'
  | 'ITEM_ALREADY_RECORDED'
  | 'ITEM_OUT_OF_ORDER'
  | 'ITEM_NOT_IN_PLAN'
  | 'CLONE_INCOMPLETE'
  | 'AUDIT_MISMATCH'
  /** The cloned organization changed after the clone; discarding it needs `force`. */
  | 'ORGANIZATION_CHANGED_SINCE_CLONE';

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
