/**
 * IP lists and conditional access policies (JumpCloud `/api/v2/iplists`, `/api/v2/authn/policies`).
 * A policy's targets and conditions may only name users, user groups and IP lists of this
 * organization; removing an IP list that a policy's conditions use is refused (the condition would
 * change meaning).
 */
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type {
  AddConditionalAccessPolicy,
  AddIpList,
  ConditionalAccessPolicyFields,
  IpListFields,
  RemoveConditionalAccessPolicy,
  RemoveIpList,
  UpdateConditionalAccessPolicy,
  UpdateIpList,
} from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import { AUTHN_POLICY_TYPES, MFA_FACTOR_TYPES } from '../model.js';
import type { AuthnPolicyType, ConditionalAccessPolicy, IpList } from '../model.js';
import type { OrganizationState } from '../state.js';
import { conditionIpListIds, validateAuthnCondition } from '../validation/conditions.js';
import { requireIpListEntry } from '../validation/ip-addresses.js';
import {
  fieldPath,
  jsonEqual,
  rejectDuplicates,
  rejectUnknownKeys,
  requireArray,
  requireBoolean,
  requireId,
  requireObject,
  requireOneOf,
  requireText,
} from '../validation/primitives.js';
import {
  definedChanges,
  existingItem,
  keysOf,
  lineage,
  requireExistingIds,
  requireNewId,
} from './references.js';

const MAX_NAME_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 4_096;
const MAX_IP_ENTRIES = 1_000;
/** JumpCloud's way to target every user of the organization. */
export const ALL_USERS = 'ALL';

const IP_LIST_FIELD_KEYS = keysOf<IpListFields>({ name: true, description: true, ips: true });
const CA_POLICY_FIELD_KEYS = keysOf<ConditionalAccessPolicyFields>({
  name: true,
  description: true,
  disabled: true,
  type: true,
  targets: true,
  conditions: true,
  effect: true,
});

// ---- IP lists ----------------------------------------------------------------------------------

function ips(value: unknown): string[] {
  const entries = requireArray(value, 'ips', MAX_IP_ENTRIES).map((entry, index) =>
    requireIpListEntry(entry, fieldPath('ips', index)),
  );
  if (entries.length === 0) throw new ValidationError('ips', 'must not be empty');
  rejectDuplicates(entries, 'ips');
  return entries;
}

function ipListFields(fields: Partial<IpListFields>, current: IpList): Omit<IpList, 'id' | 'clonedFromId'> {
  return {
    name:
      fields.name === undefined
        ? current.name
        : requireText(fields.name, 'name', { min: 1, max: MAX_NAME_LENGTH }),
    description:
      fields.description === undefined
        ? current.description
        : requireText(fields.description, 'description', { max: MAX_DESCRIPTION_LENGTH }),
    ips: fields.ips === undefined ? current.ips : ips(fields.ips),
  };
}

export function addIpList({ data }: AddIpList, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(data, ['ipListId', ...IP_LIST_FIELD_KEYS, 'clonedFromId'], '');
  const id = requireNewId(state.ipLists, data.ipListId, 'IP list', 'ipListId');
  const blank: IpList = { id, name: '', description: '', ips: [] };
  const ipList: IpList = {
    id,
    ...ipListFields({ ...data, name: data.name ?? null, ips: data.ips ?? null }, blank),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'IpListAdded', data: { ipList } }];
}

export function updateIpList({ data }: UpdateIpList, state: OrganizationState): OrganizationEvent[] {
  const current = existingItem(state.ipLists, data.ipListId, 'IP list', 'ipListId');
  const ipList: IpList = {
    ...current,
    ...ipListFields(definedChanges(data, 'ipListId', IP_LIST_FIELD_KEYS), current),
  };
  if (jsonEqual(ipList, current)) return [];
  return [{ type: 'IpListUpdated', data: { ipList } }];
}

export function removeIpList({ data }: RemoveIpList, state: OrganizationState): OrganizationEvent[] {
  const ipList = existingItem(state.ipLists, data.ipListId, 'IP list', 'ipListId');
  const referencing = Object.values(state.conditionalAccessPolicies).find((policy) =>
    conditionIpListIds(policy.conditions).includes(ipList.id),
  );
  if (referencing) {
    throw new ConflictError(
      'REFERENCED',
      `IP list ${ipList.id} is used by the conditions of conditional access policy ${referencing.id}; change the policy first`,
      'ipListId',
    );
  }
  return [{ type: 'IpListRemoved', data: { ipListId: ipList.id } }];
}

// ---- conditional access policies -----------------------------------------------------------------

function userInclusions(value: unknown, state: OrganizationState): string[] {
  const path = 'targets.users.inclusions';
  if (value === undefined) return [];
  const ids = requireArray(value, path, 10_000).map((id, index) => {
    const entryPath = fieldPath(path, index);
    if (id === ALL_USERS) return ALL_USERS;
    const userId = requireId(id, entryPath);
    if (!Object.hasOwn(state.users, userId)) throw new NotFoundError('user', userId, entryPath);
    return userId;
  });
  rejectDuplicates(ids, path);
  if (ids.includes(ALL_USERS) && ids.length > 1) {
    throw new ValidationError(path, `must be either ${ALL_USERS} or a list of user ids`);
  }
  return ids;
}

function targets(
  value: unknown,
  type: AuthnPolicyType,
  state: OrganizationState,
): ConditionalAccessPolicy['targets'] {
  const target = requireObject(value, 'targets');
  rejectUnknownKeys(target, ['users', 'userGroups', 'resources'], 'targets');
  const users = target.users === undefined ? {} : requireObject(target.users, 'targets.users');
  rejectUnknownKeys(users, ['inclusions'], 'targets.users');
  const groups =
    target.userGroups === undefined ? {} : requireObject(target.userGroups, 'targets.userGroups');
  rejectUnknownKeys(groups, ['inclusions', 'exclusions'], 'targets.userGroups');
  const inclusions = requireExistingIds(
    groups.inclusions,
    state.userGroups,
    'user group',
    'targets.userGroups.inclusions',
  );
  const exclusions = requireExistingIds(
    groups.exclusions,
    state.userGroups,
    'user group',
    'targets.userGroups.exclusions',
  );
  const both = exclusions.findIndex((id) => inclusions.includes(id));
  if (both >= 0) {
    throw new ValidationError(fieldPath('targets.userGroups.exclusions', both), 'is also included');
  }
  const userIds = userInclusions(users.inclusions, state);
  if (userIds.length === 0 && inclusions.length === 0) {
    throw new ValidationError('targets', 'must include users or user groups');
  }
  return {
    users: { inclusions: userIds },
    userGroups: { inclusions, exclusions },
    resources: resources(target.resources, type),
  };
}

/** Resources of the policy's own type; only an application resource may name one application by id. */
function resources(value: unknown, type: AuthnPolicyType): ConditionalAccessPolicy['targets']['resources'] {
  const list = requireArray(value, 'targets.resources', 1_000).map((entry, index) => {
    const path = fieldPath('targets.resources', index);
    const resource = requireObject(entry, path);
    rejectUnknownKeys(resource, ['type', 'id'], path);
    const resourceType = requireOneOf(resource.type, fieldPath(path, 'type'), AUTHN_POLICY_TYPES);
    if (resourceType !== type)
      throw new ValidationError(fieldPath(path, 'type'), `must be ${type}, the policy's type`);
    if (resource.id === undefined) return { type: resourceType };
    if (resourceType !== 'application') {
      throw new ValidationError(fieldPath(path, 'id'), 'only application resources name a resource id');
    }
    return { type: resourceType, id: requireId(resource.id, fieldPath(path, 'id')) };
  });
  if (list.length === 0) throw new ValidationError('targets.resources', 'must not be empty');
  rejectDuplicates(
    list.map((resource) => `${resource.type}:${resource.id ?? '*'}`),
    'targets.resources',
  );
  return list;
}

function effect(value: unknown): ConditionalAccessPolicy['effect'] {
  const path = 'effect';
  const given = requireObject(value, path);
  rejectUnknownKeys(given, ['action', 'obligations'], path);
  const action = requireOneOf(given.action, 'effect.action', ['allow', 'deny'] as const);
  const obligations =
    given.obligations === undefined ? {} : requireObject(given.obligations, 'effect.obligations');
  rejectUnknownKeys(obligations, ['mfa', 'mfaFactors'], 'effect.obligations');
  const mfa =
    obligations.mfa === undefined
      ? { required: false }
      : requireObject(obligations.mfa, 'effect.obligations.mfa');
  rejectUnknownKeys(mfa, ['required'], 'effect.obligations.mfa');
  const required = requireBoolean(mfa.required, 'effect.obligations.mfa.required');
  const factorsPath = 'effect.obligations.mfaFactors';
  const factors = requireArray(obligations.mfaFactors ?? [], factorsPath, MFA_FACTOR_TYPES.length).map(
    (entry, index) => {
      const factor = requireObject(entry, fieldPath(factorsPath, index));
      rejectUnknownKeys(factor, ['type'], fieldPath(factorsPath, index));
      return {
        type: requireOneOf(factor.type, fieldPath(fieldPath(factorsPath, index), 'type'), MFA_FACTOR_TYPES),
      };
    },
  );
  rejectDuplicates(
    factors.map((factor) => factor.type),
    factorsPath,
  );
  if (action === 'deny' && required) {
    throw new ValidationError('effect.obligations.mfa.required', 'must be false when the action is deny');
  }
  if (factors.length > 0 && !required)
    throw new ValidationError(factorsPath, 'needs effect.obligations.mfa.required');
  return { action, obligations: { mfa: { required }, mfaFactors: factors } };
}

function conditionalAccessPolicyFields(
  fields: Partial<ConditionalAccessPolicyFields>,
  current: ConditionalAccessPolicy,
  state: OrganizationState,
): Omit<ConditionalAccessPolicy, 'id' | 'clonedFromId'> {
  const type =
    fields.type === undefined ? current.type : requireOneOf(fields.type, 'type', AUTHN_POLICY_TYPES);
  const ipListExists = (id: string): boolean => Object.hasOwn(state.ipLists, id);
  return {
    name:
      fields.name === undefined
        ? current.name
        : requireText(fields.name, 'name', { min: 1, max: MAX_NAME_LENGTH }),
    description:
      fields.description === undefined
        ? current.description
        : requireText(fields.description, 'description', { max: MAX_DESCRIPTION_LENGTH }),
    disabled: fields.disabled === undefined ? current.disabled : requireBoolean(fields.disabled, 'disabled'),
    type,
    // Targets are checked again when only the type changes: resources must follow the type.
    targets: targets(fields.targets ?? current.targets, type, state),
    conditions:
      fields.conditions === undefined
        ? current.conditions
        : fields.conditions === null
          ? null
          : validateAuthnCondition(fields.conditions, 'conditions', ipListExists),
    effect: fields.effect === undefined ? current.effect : effect(fields.effect),
  };
}

export function addConditionalAccessPolicy(
  { data }: AddConditionalAccessPolicy,
  state: OrganizationState,
): OrganizationEvent[] {
  rejectUnknownKeys(data, ['conditionalAccessPolicyId', ...CA_POLICY_FIELD_KEYS, 'clonedFromId'], '');
  const id = requireNewId(
    state.conditionalAccessPolicies,
    data.conditionalAccessPolicyId,
    'conditional access policy',
    'conditionalAccessPolicyId',
  );
  const blank: ConditionalAccessPolicy = {
    id,
    name: '',
    description: '',
    disabled: false,
    type: 'user_portal',
    targets: { users: { inclusions: [] }, userGroups: { inclusions: [], exclusions: [] }, resources: [] },
    conditions: null,
    effect: { action: 'allow', obligations: { mfa: { required: false }, mfaFactors: [] } },
  };
  const required = {
    name: data.name ?? null,
    type: data.type ?? null,
    targets: data.targets ?? null,
    effect: data.effect ?? null,
  };
  const conditionalAccessPolicy: ConditionalAccessPolicy = {
    id,
    ...conditionalAccessPolicyFields({ ...data, ...required }, blank, state),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'ConditionalAccessPolicyAdded', data: { conditionalAccessPolicy } }];
}

export function updateConditionalAccessPolicy(
  { data }: UpdateConditionalAccessPolicy,
  state: OrganizationState,
): OrganizationEvent[] {
  const current = existingItem(
    state.conditionalAccessPolicies,
    data.conditionalAccessPolicyId,
    'conditional access policy',
    'conditionalAccessPolicyId',
  );
  const changes = definedChanges(data, 'conditionalAccessPolicyId', CA_POLICY_FIELD_KEYS);
  const conditionalAccessPolicy: ConditionalAccessPolicy = {
    ...current,
    ...conditionalAccessPolicyFields(changes, current, state),
  };
  if (jsonEqual(conditionalAccessPolicy, current)) return [];
  return [{ type: 'ConditionalAccessPolicyUpdated', data: { conditionalAccessPolicy } }];
}

export function removeConditionalAccessPolicy(
  { data }: RemoveConditionalAccessPolicy,
  state: OrganizationState,
): OrganizationEvent[] {
  const policy = existingItem(
    state.conditionalAccessPolicies,
    data.conditionalAccessPolicyId,
    'conditional access policy',
    'conditionalAccessPolicyId',
  );
  return [{ type: 'ConditionalAccessPolicyRemoved', data: { conditionalAccessPolicyId: policy.id } }];
}
