import type { DomainError } from '../errors.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PaymentRequiredError,
  ValidationError,
} from '../errors.js';
import type { PreflightFinding } from './plan.js';

/** The error a blocking pre-flight finding stands for when a clone is requested anyway. */
export function preflightError(finding: PreflightFinding, sourceOrganizationId: string): DomainError {
  switch (finding.code) {
    case 'SOURCE_NOT_FOUND':
      return new NotFoundError('organization', sourceOrganizationId, 'sourceOrganizationId');
    case 'SOURCE_DISCARDED':
      return new ConflictError('ORGANIZATION_DISCARDED', finding.message, 'sourceOrganizationId');
    case 'NOT_ALLOWED':
    case 'ORG_CREATION_DISABLED':
      return new ForbiddenError(finding.message);
    case 'PLAN_NOT_PAID':
      return new PaymentRequiredError(finding.message);
    case 'NAME_TAKEN':
      return new ConflictError('NAME_TAKEN', finding.message, 'name');
    case 'NAME_REQUIRED':
    case 'SOURCE_EMPTY':
    case 'UNKNOWN_ITEM':
    case 'UNKNOWN_ADMIN':
      return new ValidationError(finding.field ?? 'selection', finding.message);
  }
}
