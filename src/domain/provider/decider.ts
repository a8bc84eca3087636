/**
 * The provider (MSP) aggregate: its billing plan, its administrators and their API keys.
 * Repeating a command whose effect is already in place (same plan, already suspended, already
 * linked, already revoked) decides nothing, so retries are harmless.
 */
import type { Decider } from '../decider.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { ADMIN_ROLES, BILLING_PLANS, ORG_ACCESS_LEVELS } from '../organization/model.js';
import {
  ownEntry,
  requireBoolean,
  requireEmail,
  requireId,
  requireIdList,
  requireIsoDateTime,
  requireOneOf,
  requireText,
} from '../organization/validation/primitives.js';
import type {
  AddAdministrator,
  ChangeAdministratorRole,
  ChangeBillingPlan,
  CreateProvider,
  IssueApiKey,
  LinkAdministratorToOrganization,
  ProviderCommand,
  RevokeApiKey,
  SuspendAdministrator,
  UnlinkAdministratorFromOrganization,
} from './commands.js';
import type { ProviderEvent } from './events.js';
import type { Administrator, ProviderState } from './state.js';

const MAX_NAME_LENGTH = 100;
const MAX_LINKED_ORGANIZATIONS = 10_000;
const KEY_HASH_PATTERN = /^[\x21-\x7e]{16,512}$/;
const KEY_PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

export function initialState(): ProviderState {
  return {
    status: 'absent',
    id: '',
    name: '',
    billing: { plan: 'FREE' },
    orgCreationDisabled: false,
    administrators: {},
    apiKeys: {},
  };
}

export function decide(command: ProviderCommand, state: ProviderState): ProviderEvent[] {
  if (command.type === 'CreateProvider') return createProvider(command, state);
  if (state.status === 'absent') throw new NotFoundError('provider', '');
  switch (command.type) {
    case 'ChangeBillingPlan':
      return changeBillingPlan(command, state);
    case 'AddAdministrator':
      return addAdministrator(command, state);
    case 'ChangeAdministratorRole':
      return changeAdministratorRole(command, state);
    case 'SuspendAdministrator':
      return suspendAdministrator(command, state);
    case 'LinkAdministratorToOrganization':
      return linkAdministratorToOrganization(command, state);
    case 'UnlinkAdministratorFromOrganization':
      return unlinkAdministratorFromOrganization(command, state);
    case 'IssueApiKey':
      return issueApiKey(command, state);
    case 'RevokeApiKey':
      return revokeApiKey(command, state);
  }
}

function createProvider({ data }: CreateProvider, state: ProviderState): ProviderEvent[] {
  if (state.status !== 'absent')
    throw new ConflictError('ALREADY_EXISTS', `provider ${state.id} already exists`);
  return [
    {
      type: 'ProviderCreated',
      data: {
        providerId: requireId(data.providerId, 'providerId'),
        name: requireText(data.name, 'name', { min: 1, max: MAX_NAME_LENGTH }),
        billing: { plan: requireOneOf(data.plan, 'plan', BILLING_PLANS) },
        orgCreationDisabled: requireBoolean(data.orgCreationDisabled, 'orgCreationDisabled'),
      },
    },
  ];
}

function changeBillingPlan({ data }: ChangeBillingPlan, state: ProviderState): ProviderEvent[] {
  const plan = requireOneOf(data.plan, 'plan', BILLING_PLANS);
  if (plan === state.billing.plan) return [];
  return [{ type: 'BillingPlanChanged', data: { plan, previousPlan: state.billing.plan } }];
}

function addAdministrator({ data }: AddAdministrator, state: ProviderState): ProviderEvent[] {
  const id = requireId(data.administratorId, 'administratorId');
  if (Object.hasOwn(state.administrators, id))
    throw new ConflictError('ALREADY_EXISTS', `administrator ${id} already exists`, 'administratorId');
  const email = requireEmail(data.email, 'email');
  const taken = Object.values(state.administrators).some(
    (admin) => admin.email.toLowerCase() === email.toLowerCase(),
  );
  if (taken)
    throw new ConflictError('EMAIL_TAKEN', `an administrator with email ${email} already exists`, 'email');
  const orgAccess = requireOneOf(data.orgAccess, 'orgAccess', ORG_ACCESS_LEVELS);
  const linkedOrganizationIds = requireIdList(
    data.linkedOrganizationIds,
    'linkedOrganizationIds',
    MAX_LINKED_ORGANIZATIONS,
  );
  if (orgAccess === 'ALL' && linkedOrganizationIds.length > 0) {
    throw new ValidationError('linkedOrganizationIds', 'must be empty when orgAccess is ALL');
  }
  const administrator: Administrator = {
    id,
    email,
    firstname: requireText(data.firstname, 'firstname', { max: MAX_NAME_LENGTH }),
    lastname: requireText(data.lastname, 'lastname', { max: MAX_NAME_LENGTH }),
    roleName: requireOneOf(data.roleName, 'roleName', ADMIN_ROLES),
    orgAccess,
    linkedOrganizationIds,
    suspended: false,
  };
  return [{ type: 'AdministratorAdded', data: { administrator } }];
}

function changeAdministratorRole({ data }: ChangeAdministratorRole, state: ProviderState): ProviderEvent[] {
  const administrator = existingAdministrator(state, data.administratorId);
  const roleName = requireOneOf(data.roleName, 'roleName', ADMIN_ROLES);
  if (roleName === administrator.roleName) return [];
  return [
    {
      type: 'AdministratorRoleChanged',
      data: { administratorId: administrator.id, roleName, previousRoleName: administrator.roleName },
    },
  ];
}

function suspendAdministrator({ data }: SuspendAdministrator, state: ProviderState): ProviderEvent[] {
  const administrator = existingAdministrator(state, data.administratorId);
  if (administrator.suspended) return [];
  return [{ type: 'AdministratorSuspended', data: { administratorId: administrator.id } }];
}

function linkAdministratorToOrganization(
  { data }: LinkAdministratorToOrganization,
  state: ProviderState,
): ProviderEvent[] {
  const administrator = linkedAdministrator(state, data.administratorId);
  const organizationId = requireId(data.organizationId, 'organizationId');
  if (administrator.linkedOrganizationIds.includes(organizationId)) return [];
  return [
    {
      type: 'AdministratorLinkedToOrganization',
      data: { administratorId: administrator.id, organizationId },
    },
  ];
}

function unlinkAdministratorFromOrganization(
  { data }: UnlinkAdministratorFromOrganization,
  state: ProviderState,
): ProviderEvent[] {
  const administrator = linkedAdministrator(state, data.administratorId);
  const organizationId = requireId(data.organizationId, 'organizationId');
  if (!administrator.linkedOrganizationIds.includes(organizationId)) return [];
  return [
    {
      type: 'AdministratorUnlinkedFromOrganization',
      data: { administratorId: administrator.id, organizationId },
    },
  ];
}

function issueApiKey({ data }: IssueApiKey, state: ProviderState): ProviderEvent[] {
  const id = requireId(data.apiKeyId, 'apiKeyId');
  if (Object.hasOwn(state.apiKeys, id))
    throw new ConflictError('ALREADY_EXISTS', `API key ${id} already exists`, 'apiKeyId');
  const administrator = existingAdministrator(state, data.administratorId);
  if (administrator.suspended) {
    throw new ConflictError(
      'ADMINISTRATOR_SUSPENDED',
      `administrator ${administrator.id} is suspended`,
      'administratorId',
    );
  }
  if (typeof data.keyHash !== 'string' || !KEY_HASH_PATTERN.test(data.keyHash)) {
    throw new ValidationError('keyHash', 'must be 16–512 printable characters without spaces');
  }
  if (Object.values(state.apiKeys).some((key) => key.keyHash === data.keyHash)) {
    throw new ConflictError('ALREADY_EXISTS', 'an API key with this hash already exists', 'keyHash');
  }
  if (typeof data.prefix !== 'string' || !KEY_PREFIX_PATTERN.test(data.prefix)) {
    throw new ValidationError('prefix', 'must be 1–16 letters, digits, "_" or "-"');
  }
  const apiKey = {
    id,
    administratorId: administrator.id,
    keyHash: data.keyHash,
    prefix: data.prefix,
    issuedAt: requireIsoDateTime(data.issuedAt, 'issuedAt'),
  };
  return [{ type: 'ApiKeyIssued', data: { apiKey } }];
}

function revokeApiKey({ data }: RevokeApiKey, state: ProviderState): ProviderEvent[] {
  const apiKey = ownEntry(state.apiKeys, data.apiKeyId);
  if (!apiKey) throw new NotFoundError('API key', String(data.apiKeyId), 'apiKeyId');
  if (apiKey.revoked) return [];
  return [{ type: 'ApiKeyRevoked', data: { apiKeyId: apiKey.id, administratorId: apiKey.administratorId } }];
}

function existingAdministrator(state: ProviderState, administratorId: string): Administrator {
  const administrator = ownEntry(state.administrators, administratorId);
  if (!administrator) throw new NotFoundError('administrator', String(administratorId), 'administratorId');
  return administrator;
}

function linkedAdministrator(state: ProviderState, administratorId: string): Administrator {
  const administrator = existingAdministrator(state, administratorId);
  if (administrator.orgAccess !== 'LINKED') {
    throw new ConflictError(
      'ORG_ACCESS_NOT_LINKED',
      `administrator ${administrator.id} has access to all organizations; links apply to LINKED access only`,
      'administratorId',
    );
  }
  return administrator;
}

export function evolve(state: ProviderState, event: ProviderEvent): ProviderState {
  switch (event.type) {
    case 'ProviderCreated':
      return {
        ...state,
        status: 'active',
        id: event.data.providerId,
        name: event.data.name,
        billing: event.data.billing,
        orgCreationDisabled: event.data.orgCreationDisabled,
      };
    case 'BillingPlanChanged':
      return { ...state, billing: { plan: event.data.plan } };
    case 'AdministratorAdded':
      return withAdministrator(state, event.data.administrator);
    case 'AdministratorRoleChanged':
      return updateAdministrator(state, event.data.administratorId, () => ({
        roleName: event.data.roleName,
      }));
    case 'AdministratorSuspended':
      return updateAdministrator(state, event.data.administratorId, () => ({ suspended: true }));
    case 'AdministratorLinkedToOrganization':
      return updateAdministrator(state, event.data.administratorId, (admin) => ({
        linkedOrganizationIds: [...admin.linkedOrganizationIds, event.data.organizationId],
      }));
    case 'AdministratorUnlinkedFromOrganization':
      return updateAdministrator(state, event.data.administratorId, (admin) => ({
        linkedOrganizationIds: admin.linkedOrganizationIds.filter((id) => id !== event.data.organizationId),
      }));
    case 'ApiKeyIssued':
      return {
        ...state,
        apiKeys: { ...state.apiKeys, [event.data.apiKey.id]: { ...event.data.apiKey, revoked: false } },
      };
    case 'ApiKeyRevoked': {
      const apiKey = ownEntry(state.apiKeys, event.data.apiKeyId);
      if (!apiKey) return state;
      return { ...state, apiKeys: { ...state.apiKeys, [apiKey.id]: { ...apiKey, revoked: true } } };
    }
  }
}

function withAdministrator(state: ProviderState, administrator: Administrator): ProviderState {
  return { ...state, administrators: { ...state.administrators, [administrator.id]: administrator } };
}

function updateAdministrator(
  state: ProviderState,
  administratorId: string,
  change: (administrator: Administrator) => Partial<Administrator>,
): ProviderState {
  const administrator = ownEntry(state.administrators, administratorId);
  if (!administrator) return state;
  return withAdministrator(state, { ...administrator, ...change(administrator) });
}

export const providerDecider: Decider<ProviderState, ProviderCommand, ProviderEvent> = {
  decide,
  evolve,
  initialState,
};
