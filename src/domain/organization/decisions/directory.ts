/**
 * Users and devices: minimal, only so that groups have members (they are never cloned). Removing
 * one first takes it out of its groups (explicit membership events, and `UserGroupUpdated` for a
 * query exemption). Removing a user that a conditional access policy targets by id is refused, as
 * for user groups: the policy must be changed first.
 */
import { ConflictError, ValidationError } from '../../errors.js';
import type { AddDevice, AddUser, RemoveDevice, RemoveUser, UpdateDevice, UpdateUser } from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import type { Device, User } from '../model.js';
import type { OrganizationState } from '../state.js';
import {
  isHostname,
  jsonEqual,
  rejectUnknownKeys,
  requireEmail,
  requireText,
} from '../validation/primitives.js';
import { definedChanges, existingItem, requireNewId } from './references.js';

const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_OS_LENGTH = 100;

function username(value: unknown, state: OrganizationState, ownId: string): string {
  const name = requireText(value, 'username', { min: 1, max: 64 });
  if (!USERNAME_PATTERN.test(name)) {
    throw new ValidationError(
      'username',
      'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  const taken = Object.values(state.users).some(
    (user) => user.id !== ownId && user.username.toLowerCase() === name.toLowerCase(),
  );
  if (taken) throw new ConflictError('NAME_TAKEN', `a user named ${name} already exists`, 'username');
  return name;
}

function userEmail(value: unknown, state: OrganizationState, ownId: string): string {
  const email = requireEmail(value, 'email');
  const taken = Object.values(state.users).some(
    (user) => user.id !== ownId && user.email.toLowerCase() === email.toLowerCase(),
  );
  if (taken) throw new ConflictError('EMAIL_TAKEN', `a user with email ${email} already exists`, 'email');
  return email;
}

export function addUser({ data }: AddUser, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(data, ['userId', 'username', 'email'], '');
  const id = requireNewId(state.users, data.userId, 'user', 'userId');
  const user: User = {
    id,
    username: username(data.username, state, id),
    email: userEmail(data.email, state, id),
  };
  return [{ type: 'UserAdded', data: { user } }];
}

export function updateUser({ data }: UpdateUser, state: OrganizationState): OrganizationEvent[] {
  const current = existingItem(state.users, data.userId, 'user', 'userId');
  const changes = definedChanges(data, 'userId', ['username', 'email']);
  const user: User = {
    ...current,
    username:
      changes.username === undefined ? current.username : username(changes.username, state, current.id),
    email: changes.email === undefined ? current.email : userEmail(changes.email, state, current.id),
  };
  if (jsonEqual(user, current)) return [];
  return [{ type: 'UserUpdated', data: { user } }];
}

export function removeUser({ data }: RemoveUser, state: OrganizationState): OrganizationEvent[] {
  const { id: userId } = existingItem(state.users, data.userId, 'user', 'userId');
  const referencing = Object.values(state.conditionalAccessPolicies).find((policy) =>
    policy.targets.users.inclusions.includes(userId),
  );
  if (referencing) {
    throw new ConflictError(
      'REFERENCED',
      `user ${userId} is a target of conditional access policy ${referencing.id}; change the policy first`,
      'userId',
    );
  }
  const groups = Object.values(state.userGroups);
  return [
    ...groups
      .filter((group) => group.memberUserIds.includes(userId))
      .map((group): OrganizationEvent => ({
        type: 'UserRemovedFromUserGroup',
        data: { userGroupId: group.id, userId },
      })),
    ...groups
      .filter((group) => group.memberQueryExemptions.some((exemption) => exemption.id === userId))
      .map((group): OrganizationEvent => ({
        type: 'UserGroupUpdated',
        data: {
          userGroup: {
            ...group,
            memberUserIds: group.memberUserIds.filter((id) => id !== userId),
            memberQueryExemptions: group.memberQueryExemptions.filter((exemption) => exemption.id !== userId),
          },
        },
      })),
    { type: 'UserRemoved', data: { userId } },
  ];
}

function hostname(value: unknown): string {
  const name = requireText(value, 'hostname', { min: 1, max: 253 });
  if (!isHostname(name, false)) throw new ValidationError('hostname', 'must be a host name');
  return name;
}

export function addDevice({ data }: AddDevice, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(data, ['deviceId', 'hostname', 'os'], '');
  const device: Device = {
    id: requireNewId(state.devices, data.deviceId, 'device', 'deviceId'),
    hostname: hostname(data.hostname),
    os: requireText(data.os, 'os', { min: 1, max: MAX_OS_LENGTH }),
  };
  return [{ type: 'DeviceAdded', data: { device } }];
}

export function updateDevice({ data }: UpdateDevice, state: OrganizationState): OrganizationEvent[] {
  const current = existingItem(state.devices, data.deviceId, 'device', 'deviceId');
  const changes = definedChanges(data, 'deviceId', ['hostname', 'os']);
  const device: Device = {
    ...current,
    hostname: changes.hostname === undefined ? current.hostname : hostname(changes.hostname),
    os: changes.os === undefined ? current.os : requireText(changes.os, 'os', { min: 1, max: MAX_OS_LENGTH }),
  };
  if (jsonEqual(device, current)) return [];
  return [{ type: 'DeviceUpdated', data: { device } }];
}

export function removeDevice({ data }: RemoveDevice, state: OrganizationState): OrganizationEvent[] {
  const { id: deviceId } = existingItem(state.devices, data.deviceId, 'device', 'deviceId');
  return [
    ...Object.values(state.deviceGroups)
      .filter((group) => group.memberDeviceIds.includes(deviceId))
      .map((group): OrganizationEvent => ({
        type: 'DeviceRemovedFromDeviceGroup',
        data: { deviceGroupId: group.id, deviceId },
      })),
    { type: 'DeviceRemoved', data: { deviceId } },
  ];
}
