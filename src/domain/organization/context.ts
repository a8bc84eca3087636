import type { JsonValue } from '../../eventstore/types.js';
import type { SealedValue } from './model.js';

/**
 * What an organization decision needs from outside the domain: sealing of sensitive values (policy
 * values of sensitive fields, the Duo secret key). The decision validates the plain value and puts
 * only the sealed one in its event.
 */
export interface OrganizationDecisionContext {
  seal(plain: JsonValue): SealedValue;
}
