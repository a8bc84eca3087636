/**
 * Who may do what (SPEC §7). Pure: the caller resolves the administrator and the organization the
 * action targets, `can` answers with the reason for a refusal so that the API can tell
 * UNAUTHENTICATED, NOT_FOUND (an organization the caller may not see must look absent),
 * FORBIDDEN and PAYMENT_REQUIRED apart.
 */
import { ForbiddenError, NotFoundError, PaymentRequiredError, UnauthenticatedError } from '../errors.js';
import type { AdminRole, BillingPlan } from '../organization/model.js';
import { ownEntry } from '../organization/validation/primitives.js';
import type { Administrator, ProviderState } from './state.js';

export const PROVIDER_ACTIONS = [
  'READ',
  'EDIT_ORGANIZATION',
  'CREATE_ORGANIZATION',
  'CLONE',
  'DISCARD',
] as const;
/**
 * `READ`: organizations, previews, audits, history. `EDIT_ORGANIZATION`: any configuration
 * mutation of an existing organization. `CLONE` targets the source organization, `DISCARD` the
 * cloned one.
 */
export type ProviderAction = (typeof PROVIDER_ACTIONS)[number];

export interface OrganizationRef {
  id: string;
  providerId: string;
}

export interface Action {
  type: ProviderAction;
  /** The organization acted on; absent for provider-wide reads (listings, templates, `me`). */
  organization?: OrganizationRef;
}

/** An administrator together with what its provider decides for it. */
export interface Actor extends Administrator {
  providerId: string;
  plan: BillingPlan;
  orgCreationDisabled: boolean;
}

export type DenialReason =
  | 'ADMINISTRATOR_SUSPENDED'
  | 'ORGANIZATION_NOT_VISIBLE'
  | 'ROLE_NOT_ALLOWED'
  | 'PLAN_NOT_PAID'
  | 'ORG_CREATION_DISABLED';

export type Permission =
  | { allowed: true }
  | {
      allowed: false;
      code: 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN' | 'PAYMENT_REQUIRED';
      reason: DenialReason;
    };

const ROLES_ALLOWED: Record<ProviderAction, readonly AdminRole[]> = {
  READ: [
    'Administrator With Billing',
    'Administrator',
    'Manager',
    'Command Runner With Billing',
    'Command Runner',
    'Help Desk',
    'Read Only',
  ],
  EDIT_ORGANIZATION: ['Administrator With Billing', 'Administrator', 'Manager'],
  CREATE_ORGANIZATION: ['Administrator With Billing', 'Administrator', 'Manager'],
  CLONE: ['Administrator With Billing'],
  DISCARD: ['Administrator With Billing'],
};

const PAID_ONLY: readonly ProviderAction[] = ['CLONE', 'DISCARD'];
/** A clone creates an organization, so a provider that disabled org creation cannot clone either. */
const CREATES_ORGANIZATION: readonly ProviderAction[] = ['CREATE_ORGANIZATION', 'CLONE'];

export function actorOf(provider: ProviderState, administratorId: string): Actor | undefined {
  const administrator = ownEntry(provider.administrators, administratorId);
  if (!administrator) return undefined;
  return {
    ...administrator,
    providerId: provider.id,
    plan: provider.billing.plan,
    orgCreationDisabled: provider.orgCreationDisabled,
  };
}

/** Whether the administrator may see the organization at all (its provider's, and linked if LINKED). */
export function canSeeOrganization(admin: Actor, organization: OrganizationRef): boolean {
  if (organization.providerId !== admin.providerId) return false;
  return admin.orgAccess === 'ALL' || admin.linkedOrganizationIds.includes(organization.id);
}

export function can(admin: Actor, action: Action): Permission {
  if (admin.suspended) return { allowed: false, code: 'UNAUTHENTICATED', reason: 'ADMINISTRATOR_SUSPENDED' };
  if (action.organization && !canSeeOrganization(admin, action.organization)) {
    return { allowed: false, code: 'NOT_FOUND', reason: 'ORGANIZATION_NOT_VISIBLE' };
  }
  if (!ROLES_ALLOWED[action.type].includes(admin.roleName)) {
    return { allowed: false, code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED' };
  }
  if (PAID_ONLY.includes(action.type) && admin.plan !== 'PAID') {
    return { allowed: false, code: 'PAYMENT_REQUIRED', reason: 'PLAN_NOT_PAID' };
  }
  if (CREATES_ORGANIZATION.includes(action.type) && admin.orgCreationDisabled) {
    return { allowed: false, code: 'FORBIDDEN', reason: 'ORG_CREATION_DISABLED' };
  }
  return { allowed: true };
}

const DENIAL_MESSAGES: Record<DenialReason, string> = {
  ADMINISTRATOR_SUSPENDED: 'the administrator is suspended',
  ORGANIZATION_NOT_VISIBLE: 'organization not found',
  ROLE_NOT_ALLOWED: 'the administrator role does not allow this action',
  PLAN_NOT_PAID: 'this action needs a paid plan',
  ORG_CREATION_DISABLED: 'organization creation is disabled for this provider',
};

/** `can`, throwing the matching domain error when the action is not allowed. */
export function authorize(admin: Actor, action: Action): void {
  const permission = can(admin, action);
  if (permission.allowed) return;
  const message = DENIAL_MESSAGES[permission.reason];
  switch (permission.code) {
    case 'UNAUTHENTICATED':
      throw new UnauthenticatedError(message);
    case 'NOT_FOUND':
      throw new NotFoundError('organization', action.organization?.id ?? '');
    case 'FORBIDDEN':
      throw new ForbiddenError(message);
    case 'PAYMENT_REQUIRED':
      throw new PaymentRequiredError(message);
  }
}
