/**
 * User groups and device groups. Removing a device group first unbinds it from the commands,
 * policies and policy groups it is bound to (explicit `DeviceGroupUnboundFrom…` events). Removing a
 * user group that a conditional access policy names is refused: dropping an inclusion or an
 * exclusion would silently change who the policy applies to.
 */
import { ConflictError, ValidationError } from '../../errors.js';
import type {
  AddDeviceGroup,
  AddUserGroup,
  DeviceGroupFields,
  RemoveDeviceGroup,
  RemoveUserGroup,
  UpdateDeviceGroup,
  UpdateUserGroup,
  UserGroupFields,
} from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import { MEMBER_QUERY_OPERATORS, MEMBERSHIP_METHODS, USER_GROUP_BINDING_TYPES } from '../model.js';
import type {
  DeviceGroup,
  DeviceGroupMdmSettings,
  MemberQuery,
  MembershipMethod,
  UserGroup,
  UserGroupAttributes,
} from '../model.js';
import type { OrganizationState } from '../state.js';
import {
  fieldPath,
  isEmail,
  jsonEqual,
  rejectDuplicates,
  rejectUnknownKeys,
  requireArray,
  requireBoolean,
  requireId,
  requireInteger,
  requireJson,
  requireObject,
  requireOneOf,
  requireText,
} from '../validation/primitives.js';
import {
  MAX_REFERENCES,
  definedChanges,
  existingItem,
  keysOf,
  lineage,
  rejectTakenName,
  requireExistingIds,
  requireNewId,
} from './references.js';

const MAX_NAME_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 4_096;
const MAX_ATTRIBUTE_ENTRIES = 100;
const MAX_QUERY_FILTERS = 50;
const MAX_GID = 4_294_967_294;
const POSIX_GROUP_NAME_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;

const USER_GROUP_FIELD_KEYS = keysOf<UserGroupFields>({
  name: true,
  description: true,
  email: true,
  attributes: true,
  membershipMethod: true,
  memberQuery: true,
  memberQueryExemptions: true,
  bindings: true,
});

const DEVICE_GROUP_FIELD_KEYS = keysOf<DeviceGroupFields>({
  name: true,
  description: true,
  attributes: true,
  membershipMethod: true,
  memberQuery: true,
  mdm: true,
});

export function defaultUserGroupAttributes(): UserGroupAttributes {
  return {
    sudo: { enabled: false, withoutPassword: false },
    ldapGroups: [],
    posixGroups: [],
    radius: { reply: [] },
    sambaEnabled: false,
  };
}

// ---- shared parts ------------------------------------------------------------------------------

function groupName(
  name: unknown,
  groups: Record<string, { id: string; name: string }>,
  ownId: string,
  entity: string,
): string {
  const checked = requireText(name, 'name', { min: 1, max: MAX_NAME_LENGTH });
  rejectTakenName(groups, checked, ownId, entity, 'name');
  return checked;
}

function memberQuery(value: unknown): MemberQuery | null {
  if (value === null) return null;
  const query = requireObject(value, 'memberQuery');
  rejectUnknownKeys(query, ['queryType', 'filters'], 'memberQuery');
  requireOneOf(query.queryType, 'memberQuery.queryType', ['FilterQuery']);
  const filters = requireArray(query.filters, 'memberQuery.filters', MAX_QUERY_FILTERS).map(
    (entry, index) => {
      const path = fieldPath('memberQuery.filters', index);
      const filter = requireObject(entry, path);
      rejectUnknownKeys(filter, ['field', 'operator', 'value'], path);
      return {
        field: requireText(filter.field, fieldPath(path, 'field'), { min: 1, max: MAX_NAME_LENGTH }),
        operator: requireOneOf(filter.operator, fieldPath(path, 'operator'), MEMBER_QUERY_OPERATORS),
        value: requireText(filter.value, fieldPath(path, 'value'), { max: 1_024 }),
      };
    },
  );
  if (filters.length === 0) throw new ValidationError('memberQuery.filters', 'must not be empty');
  return { queryType: 'FilterQuery', filters };
}

/** A dynamic group is defined by its query, so it must have one. */
function requireQueryForDynamicGroup(membershipMethod: MembershipMethod, query: MemberQuery | null): void {
  if (membershipMethod.startsWith('DYNAMIC') && query === null) {
    throw new ValidationError('memberQuery', `is required when membershipMethod is ${membershipMethod}`);
  }
}

// ---- user groups -------------------------------------------------------------------------------

function userGroupAttributes(value: unknown, current: UserGroupAttributes): UserGroupAttributes {
  const path = 'attributes';
  const attributes = requireObject(value, path);
  rejectUnknownKeys(attributes, ['sudo', 'ldapGroups', 'posixGroups', 'radius', 'sambaEnabled'], path);
  const next = { ...current };
  if (attributes.sudo !== undefined) {
    const sudo = requireObject(attributes.sudo, 'attributes.sudo');
    rejectUnknownKeys(sudo, ['enabled', 'withoutPassword'], 'attributes.sudo');
    next.sudo = {
      enabled: requireBoolean(sudo.enabled, 'attributes.sudo.enabled'),
      withoutPassword: requireBoolean(sudo.withoutPassword, 'attributes.sudo.withoutPassword'),
    };
    if (next.sudo.withoutPassword && !next.sudo.enabled) {
      throw new ValidationError('attributes.sudo.withoutPassword', 'requires sudo to be enabled');
    }
  }
  if (attributes.ldapGroups !== undefined) {
    next.ldapGroups = requireArray(attributes.ldapGroups, 'attributes.ldapGroups', MAX_ATTRIBUTE_ENTRIES).map(
      (entry, index) => {
        const entryPath = fieldPath('attributes.ldapGroups', index);
        const group = requireObject(entry, entryPath);
        rejectUnknownKeys(group, ['name'], entryPath);
        return {
          name: requireText(group.name, fieldPath(entryPath, 'name'), { min: 1, max: MAX_NAME_LENGTH }),
        };
      },
    );
    rejectDuplicates(
      next.ldapGroups.map((group) => group.name),
      'attributes.ldapGroups',
    );
  }
  if (attributes.posixGroups !== undefined) {
    next.posixGroups = requireArray(
      attributes.posixGroups,
      'attributes.posixGroups',
      MAX_ATTRIBUTE_ENTRIES,
    ).map((entry, index) => {
      const entryPath = fieldPath('attributes.posixGroups', index);
      const group = requireObject(entry, entryPath);
      rejectUnknownKeys(group, ['id', 'name'], entryPath);
      const name = requireText(group.name, fieldPath(entryPath, 'name'), { min: 1, max: 32 });
      if (!POSIX_GROUP_NAME_PATTERN.test(name)) {
        throw new ValidationError(fieldPath(entryPath, 'name'), 'must be a POSIX group name');
      }
      return { id: requireInteger(group.id, fieldPath(entryPath, 'id'), 0, MAX_GID), name };
    });
    rejectDuplicates(
      next.posixGroups.map((group) => String(group.id)),
      'attributes.posixGroups',
    );
  }
  if (attributes.radius !== undefined) {
    const radius = requireObject(attributes.radius, 'attributes.radius');
    rejectUnknownKeys(radius, ['reply'], 'attributes.radius');
    next.radius = {
      reply: requireArray(radius.reply, 'attributes.radius.reply', MAX_ATTRIBUTE_ENTRIES).map(
        (entry, index) => {
          const entryPath = fieldPath('attributes.radius.reply', index);
          const reply = requireObject(entry, entryPath);
          rejectUnknownKeys(reply, ['name', 'value'], entryPath);
          return {
            name: requireText(reply.name, fieldPath(entryPath, 'name'), { min: 1, max: MAX_NAME_LENGTH }),
            value: requireText(reply.value, fieldPath(entryPath, 'value'), { max: 1_024 }),
          };
        },
      ),
    };
  }
  if (attributes.sambaEnabled !== undefined) {
    next.sambaEnabled = requireBoolean(attributes.sambaEnabled, 'attributes.sambaEnabled');
  }
  return next;
}

function groupEmail(value: unknown): string {
  const email = requireText(value, 'email', { max: 254 });
  if (email !== '' && !isEmail(email)) throw new ValidationError('email', 'must be an email address');
  return email;
}

function exemptions(value: unknown, state: OrganizationState): UserGroup['memberQueryExemptions'] {
  const list = requireArray(value, 'memberQueryExemptions', MAX_REFERENCES).map((entry, index) => {
    const path = fieldPath('memberQueryExemptions', index);
    const exemption = requireObject(entry, path);
    rejectUnknownKeys(exemption, ['id', 'type'], path);
    requireOneOf(exemption.type, fieldPath(path, 'type'), ['user']);
    return {
      id: existingItem(state.users, exemption.id, 'user', fieldPath(path, 'id')).id,
      type: 'user' as const,
    };
  });
  rejectDuplicates(
    list.map((exemption) => exemption.id),
    'memberQueryExemptions',
  );
  return list;
}

function bindings(value: unknown): UserGroup['bindings'] {
  const list = requireArray(value, 'bindings', MAX_REFERENCES).map((entry, index) => {
    const path = fieldPath('bindings', index);
    const binding = requireObject(entry, path);
    rejectUnknownKeys(binding, ['type', 'id'], path);
    return {
      type: requireOneOf(binding.type, fieldPath(path, 'type'), USER_GROUP_BINDING_TYPES),
      id: requireId(binding.id, fieldPath(path, 'id')),
    };
  });
  rejectDuplicates(
    list.map((binding) => `${binding.type}:${binding.id}`),
    'bindings',
  );
  return list;
}

/** The group's own fields after applying `fields` (all of them on add, the given ones on update). */
function userGroupFields(
  fields: Partial<UserGroupFields>,
  current: UserGroup,
  state: OrganizationState,
): Omit<UserGroup, 'id' | 'memberUserIds' | 'clonedFromId'> {
  const membershipMethod =
    fields.membershipMethod === undefined
      ? current.membershipMethod
      : requireOneOf(fields.membershipMethod, 'membershipMethod', MEMBERSHIP_METHODS);
  const query = fields.memberQuery === undefined ? current.memberQuery : memberQuery(fields.memberQuery);
  requireQueryForDynamicGroup(membershipMethod, query);
  return {
    name:
      fields.name === undefined
        ? current.name
        : groupName(fields.name, state.userGroups, current.id, 'user group'),
    description:
      fields.description === undefined
        ? current.description
        : requireText(fields.description, 'description', { max: MAX_DESCRIPTION_LENGTH }),
    email: fields.email === undefined ? current.email : groupEmail(fields.email),
    attributes:
      fields.attributes === undefined
        ? current.attributes
        : userGroupAttributes(fields.attributes, current.attributes),
    membershipMethod,
    memberQuery: query,
    memberQueryExemptions:
      fields.memberQueryExemptions === undefined
        ? current.memberQueryExemptions
        : exemptions(fields.memberQueryExemptions, state),
    bindings: fields.bindings === undefined ? current.bindings : bindings(fields.bindings),
  };
}

export function addUserGroup({ data }: AddUserGroup, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(data, ['userGroupId', ...USER_GROUP_FIELD_KEYS, 'memberUserIds', 'clonedFromId'], '');
  const id = requireNewId(state.userGroups, data.userGroupId, 'user group', 'userGroupId');
  const blank: UserGroup = {
    id,
    name: '',
    description: '',
    email: '',
    attributes: defaultUserGroupAttributes(),
    membershipMethod: 'STATIC',
    memberQuery: null,
    memberQueryExemptions: [],
    memberUserIds: [],
    bindings: [],
  };
  const userGroup: UserGroup = {
    id,
    ...userGroupFields({ ...data, name: data.name ?? null }, blank, state),
    memberUserIds: requireExistingIds(data.memberUserIds, state.users, 'user', 'memberUserIds'),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'UserGroupAdded', data: { userGroup } }];
}

export function updateUserGroup({ data }: UpdateUserGroup, state: OrganizationState): OrganizationEvent[] {
  const current = existingItem(state.userGroups, data.userGroupId, 'user group', 'userGroupId');
  const changes = definedChanges(data, 'userGroupId', USER_GROUP_FIELD_KEYS);
  const userGroup: UserGroup = { ...current, ...userGroupFields(changes, current, state) };
  if (jsonEqual(userGroup, current)) return [];
  return [{ type: 'UserGroupUpdated', data: { userGroup } }];
}

export function removeUserGroup({ data }: RemoveUserGroup, state: OrganizationState): OrganizationEvent[] {
  const userGroup = existingItem(state.userGroups, data.userGroupId, 'user group', 'userGroupId');
  const referencing = Object.values(state.conditionalAccessPolicies).find(
    ({ targets }) =>
      targets.userGroups.inclusions.includes(userGroup.id) ||
      targets.userGroups.exclusions.includes(userGroup.id),
  );
  if (referencing) {
    throw new ConflictError(
      'REFERENCED',
      `user group ${userGroup.id} is a target of conditional access policy ${referencing.id}; change the policy first`,
      'userGroupId',
    );
  }
  return [{ type: 'UserGroupRemoved', data: { userGroupId: userGroup.id } }];
}

// ---- device groups -----------------------------------------------------------------------------

function mdmSettings(value: unknown, ownId: string, state: OrganizationState): DeviceGroupMdmSettings | null {
  if (value === null) return null;
  const mdm = requireObject(value, 'mdm');
  rejectUnknownKeys(mdm, ['appleMdmDefaultEnrollmentGroup', 'adeDefaultEnrollmentGroup'], 'mdm');
  const settings: DeviceGroupMdmSettings = {
    appleMdmDefaultEnrollmentGroup: requireBoolean(
      mdm.appleMdmDefaultEnrollmentGroup,
      'mdm.appleMdmDefaultEnrollmentGroup',
    ),
    adeDefaultEnrollmentGroup: requireBoolean(mdm.adeDefaultEnrollmentGroup, 'mdm.adeDefaultEnrollmentGroup'),
  };
  // An enrollment has one default device group: naming a second one is refused, not silently moved.
  for (const key of ['appleMdmDefaultEnrollmentGroup', 'adeDefaultEnrollmentGroup'] as const) {
    const holder =
      settings[key] &&
      Object.values(state.deviceGroups).find((group) => group.id !== ownId && group.mdm?.[key]);
    if (holder) {
      throw new ConflictError(
        'DEFAULT_ENROLLMENT_GROUP_TAKEN',
        `device group ${holder.id} is already the default enrollment group`,
        fieldPath('mdm', key),
      );
    }
  }
  return settings;
}

function deviceGroupFields(
  fields: Partial<DeviceGroupFields>,
  current: DeviceGroup,
  state: OrganizationState,
): Omit<DeviceGroup, 'id' | 'memberDeviceIds' | 'clonedFromId'> {
  const membershipMethod =
    fields.membershipMethod === undefined
      ? current.membershipMethod
      : requireOneOf(fields.membershipMethod, 'membershipMethod', MEMBERSHIP_METHODS);
  const query = fields.memberQuery === undefined ? current.memberQuery : memberQuery(fields.memberQuery);
  requireQueryForDynamicGroup(membershipMethod, query);
  return {
    name:
      fields.name === undefined
        ? current.name
        : groupName(fields.name, state.deviceGroups, current.id, 'device group'),
    description:
      fields.description === undefined
        ? current.description
        : requireText(fields.description, 'description', { max: MAX_DESCRIPTION_LENGTH }),
    attributes:
      fields.attributes === undefined
        ? current.attributes
        : (requireJson(
            requireObject(fields.attributes, 'attributes'),
            'attributes',
          ) as DeviceGroup['attributes']),
    membershipMethod,
    memberQuery: query,
    mdm: fields.mdm === undefined ? current.mdm : mdmSettings(fields.mdm, current.id, state),
  };
}

export function addDeviceGroup({ data }: AddDeviceGroup, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(
    data,
    ['deviceGroupId', ...DEVICE_GROUP_FIELD_KEYS, 'memberDeviceIds', 'clonedFromId'],
    '',
  );
  const id = requireNewId(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const blank: DeviceGroup = {
    id,
    name: '',
    description: '',
    attributes: {},
    membershipMethod: 'STATIC',
    memberQuery: null,
    memberDeviceIds: [],
    mdm: null,
  };
  const deviceGroup: DeviceGroup = {
    id,
    ...deviceGroupFields({ ...data, name: data.name ?? null }, blank, state),
    memberDeviceIds: requireExistingIds(data.memberDeviceIds, state.devices, 'device', 'memberDeviceIds'),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'DeviceGroupAdded', data: { deviceGroup } }];
}

export function updateDeviceGroup(
  { data }: UpdateDeviceGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const current = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const changes = definedChanges(data, 'deviceGroupId', DEVICE_GROUP_FIELD_KEYS);
  const deviceGroup: DeviceGroup = { ...current, ...deviceGroupFields(changes, current, state) };
  if (jsonEqual(deviceGroup, current)) return [];
  return [{ type: 'DeviceGroupUpdated', data: { deviceGroup } }];
}

export function removeDeviceGroup(
  { data }: RemoveDeviceGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const { id: deviceGroupId } = existingItem(
    state.deviceGroups,
    data.deviceGroupId,
    'device group',
    'deviceGroupId',
  );
  const boundTo = <T extends { id: string; deviceGroupIds: string[] }>(items: Record<string, T>): T[] =>
    Object.values(items).filter((item) => item.deviceGroupIds.includes(deviceGroupId));
  return [
    ...boundTo(state.commands).map((command): OrganizationEvent => ({
      type: 'DeviceGroupUnboundFromCommand',
      data: { deviceGroupId, commandId: command.id },
    })),
    ...boundTo(state.policies).map((policy): OrganizationEvent => ({
      type: 'DeviceGroupUnboundFromPolicy',
      data: { deviceGroupId, policyId: policy.id },
    })),
    ...boundTo(state.policyGroups).map((policyGroup): OrganizationEvent => ({
      type: 'DeviceGroupUnboundFromPolicyGroup',
      data: { deviceGroupId, policyGroupId: policyGroup.id },
    })),
    { type: 'DeviceGroupRemoved', data: { deviceGroupId } },
  ];
}
