import { defaultFeatures, defaultMfa, defaultSettings } from './defaults.js';
import type { OrganizationEvent } from './events.js';
import type { OrganizationState } from './state.js';
import { ownEntry } from './validation/primitives.js';

export function initialState(): OrganizationState {
  return {
    status: 'absent',
    id: '',
    providerId: '',
    displayName: '',
    created: '',
    clonedFrom: null,
    settings: defaultSettings(),
    proprietary: {},
    features: defaultFeatures(),
    commands: {},
    policies: {},
    policyGroups: {},
    userGroups: {},
    deviceGroups: {},
    users: {},
    devices: {},
    ipLists: {},
    conditionalAccessPolicies: {},
    mfa: defaultMfa(),
    adminIds: [],
  };
}

type Collection<T> = Record<string, T>;

/**
 * Collections copied during the running `evolveAll`, which no state outside it has seen yet: it
 * changes them in place instead of copying them again for every event. Only ever set for the
 * duration of one synchronous `evolveAll`, so no other fold can observe it.
 */
let ownedByFold: WeakSet<object> | null = null;

function writable<T>(items: Collection<T>): Collection<T> {
  if (ownedByFold?.has(items)) return items;
  const copy = { ...items };
  ownedByFold?.add(copy);
  return copy;
}

/** Like `{ ...items, [id]: item }`, an own property even for `__proto__`. */
function set<T>(items: Collection<T>, id: string, item: T): void {
  if (id === '__proto__')
    Object.defineProperty(items, id, { value: item, enumerable: true, writable: true, configurable: true });
  else items[id] = item;
}

function put<T extends { id: string }>(items: Collection<T>, item: T): Collection<T> {
  const next = writable(items);
  set(next, item.id, item);
  return next;
}

function without<T>(items: Collection<T>, id: string): Collection<T> {
  const next = writable(items);
  delete next[id];
  return next;
}

function change<T>(items: Collection<T>, id: string, update: (item: T) => T): Collection<T> {
  const item = ownEntry(items, id);
  if (item === undefined) return items;
  const next = writable(items);
  set(next, id, update(item));
  return next;
}

const adding = (ids: string[], id: string): string[] => (ids.includes(id) ? ids : [...ids, id]);
const removing = (ids: string[], id: string): string[] => ids.filter((other) => other !== id);

/**
 * `events.reduce(evolve, state)`, in time linear in the events: `evolve` copies a collection for
 * every event that changes it (the states it returns share nothing mutable), which makes folding a
 * whole stream quadratic in the organization's size. Here each collection is copied once.
 */
export function evolveAll(state: OrganizationState, events: readonly OrganizationEvent[]): OrganizationState {
  ownedByFold = new WeakSet();
  try {
    return events.reduce(evolve, state);
  } finally {
    ownedByFold = null;
  }
}

export function evolve(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  switch (event.type) {
    case 'OrganizationCreated': {
      const { organizationId, providerId, displayName, created, settings, features, mfa, clonedFrom } =
        event.data;
      return {
        ...state,
        status: clonedFrom ? 'provisioning' : 'active',
        id: organizationId,
        providerId,
        displayName,
        created,
        settings,
        features,
        mfa,
        clonedFrom: clonedFrom ?? null,
      };
    }
    case 'OrganizationProvisioned':
      return state.status === 'provisioning' ? { ...state, status: 'active' } : state;
    case 'OrganizationDiscarded':
      return { ...state, status: 'discarded' };
    case 'SettingsUpdated':
      return { ...state, settings: { ...state.settings, [event.data.category]: event.data.settings } };
    case 'ProprietarySettingsUpdated':
      return { ...state, proprietary: event.data.settings };
    case 'FeaturesSet':
      return { ...state, features: event.data.features };

    case 'CommandAdded':
    case 'CommandUpdated':
      return { ...state, commands: put(state.commands, event.data.command) };
    case 'CommandRemoved':
      return { ...state, commands: without(state.commands, event.data.commandId) };
    case 'PolicyAdded':
    case 'PolicyUpdated':
      return { ...state, policies: put(state.policies, event.data.policy) };
    case 'PolicyRemoved':
      return { ...state, policies: without(state.policies, event.data.policyId) };
    case 'PolicyGroupAdded':
    case 'PolicyGroupUpdated':
      return { ...state, policyGroups: put(state.policyGroups, event.data.policyGroup) };
    case 'PolicyGroupRemoved':
      return { ...state, policyGroups: without(state.policyGroups, event.data.policyGroupId) };
    case 'UserGroupAdded':
    case 'UserGroupUpdated':
      return { ...state, userGroups: put(state.userGroups, event.data.userGroup) };
    case 'UserGroupRemoved':
      return { ...state, userGroups: without(state.userGroups, event.data.userGroupId) };
    case 'DeviceGroupAdded':
    case 'DeviceGroupUpdated':
      return { ...state, deviceGroups: put(state.deviceGroups, event.data.deviceGroup) };
    case 'DeviceGroupRemoved':
      return { ...state, deviceGroups: without(state.deviceGroups, event.data.deviceGroupId) };
    case 'UserAdded':
    case 'UserUpdated':
      return { ...state, users: put(state.users, event.data.user) };
    case 'UserRemoved':
      return { ...state, users: without(state.users, event.data.userId) };
    case 'DeviceAdded':
    case 'DeviceUpdated':
      return { ...state, devices: put(state.devices, event.data.device) };
    case 'DeviceRemoved':
      return { ...state, devices: without(state.devices, event.data.deviceId) };
    case 'IpListAdded':
    case 'IpListUpdated':
      return { ...state, ipLists: put(state.ipLists, event.data.ipList) };
    case 'IpListRemoved':
      return { ...state, ipLists: without(state.ipLists, event.data.ipListId) };
    case 'ConditionalAccessPolicyAdded':
    case 'ConditionalAccessPolicyUpdated':
      return {
        ...state,
        conditionalAccessPolicies: put(state.conditionalAccessPolicies, event.data.conditionalAccessPolicy),
      };
    case 'ConditionalAccessPolicyRemoved':
      return {
        ...state,
        conditionalAccessPolicies: without(
          state.conditionalAccessPolicies,
          event.data.conditionalAccessPolicyId,
        ),
      };

    case 'UserAddedToUserGroup':
    case 'UserRemovedFromUserGroup': {
      const update = event.type === 'UserAddedToUserGroup' ? adding : removing;
      return {
        ...state,
        userGroups: change(state.userGroups, event.data.userGroupId, (group) => ({
          ...group,
          memberUserIds: update(group.memberUserIds, event.data.userId),
        })),
      };
    }
    case 'DeviceAddedToDeviceGroup':
    case 'DeviceRemovedFromDeviceGroup': {
      const update = event.type === 'DeviceAddedToDeviceGroup' ? adding : removing;
      return {
        ...state,
        deviceGroups: change(state.deviceGroups, event.data.deviceGroupId, (group) => ({
          ...group,
          memberDeviceIds: update(group.memberDeviceIds, event.data.deviceId),
        })),
      };
    }
    case 'PolicyAddedToPolicyGroup':
    case 'PolicyRemovedFromPolicyGroup': {
      const update = event.type === 'PolicyAddedToPolicyGroup' ? adding : removing;
      return {
        ...state,
        policyGroups: change(state.policyGroups, event.data.policyGroupId, (group) => ({
          ...group,
          policyIds: update(group.policyIds, event.data.policyId),
        })),
      };
    }
    case 'DeviceGroupBoundToCommand':
    case 'DeviceGroupUnboundFromCommand': {
      const update = event.type === 'DeviceGroupBoundToCommand' ? adding : removing;
      return {
        ...state,
        commands: change(state.commands, event.data.commandId, (command) => ({
          ...command,
          deviceGroupIds: update(command.deviceGroupIds, event.data.deviceGroupId),
        })),
      };
    }
    case 'DeviceGroupBoundToPolicy':
    case 'DeviceGroupUnboundFromPolicy': {
      const update = event.type === 'DeviceGroupBoundToPolicy' ? adding : removing;
      return {
        ...state,
        policies: change(state.policies, event.data.policyId, (policy) => ({
          ...policy,
          deviceGroupIds: update(policy.deviceGroupIds, event.data.deviceGroupId),
        })),
      };
    }
    case 'DeviceGroupBoundToPolicyGroup':
    case 'DeviceGroupUnboundFromPolicyGroup': {
      const update = event.type === 'DeviceGroupBoundToPolicyGroup' ? adding : removing;
      return {
        ...state,
        policyGroups: change(state.policyGroups, event.data.policyGroupId, (group) => ({
          ...group,
          deviceGroupIds: update(group.deviceGroupIds, event.data.deviceGroupId),
        })),
      };
    }

    case 'MfaConfigured':
      return { ...state, mfa: { ...event.data, duo: state.mfa.duo } };
    case 'DuoConfigured':
      return { ...state, mfa: { ...state.mfa, duo: event.data.duo } };
    case 'DuoRemoved':
      return { ...state, mfa: { ...state.mfa, duo: null } };
    case 'AdminAccessGranted':
      return { ...state, adminIds: adding(state.adminIds, event.data.administratorId) };
    case 'AdminAccessRevoked':
      return { ...state, adminIds: removing(state.adminIds, event.data.administratorId) };
  }
}
