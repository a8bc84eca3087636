/**
 * Group memberships and device-group bindings. Both ends must exist; adding a link that exists or
 * removing one that does not decides nothing, so retries are harmless.
 */
import type {
  AddDeviceToDeviceGroup,
  AddPolicyToPolicyGroup,
  AddUserToUserGroup,
  BindDeviceGroupToCommand,
  BindDeviceGroupToPolicy,
  BindDeviceGroupToPolicyGroup,
  RemoveDeviceFromDeviceGroup,
  RemovePolicyFromPolicyGroup,
  RemoveUserFromUserGroup,
  UnbindDeviceGroupFromCommand,
  UnbindDeviceGroupFromPolicy,
  UnbindDeviceGroupFromPolicyGroup,
} from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import type { OrganizationState } from '../state.js';
import { existingItem } from './references.js';

export function addUserToUserGroup(
  { data }: AddUserToUserGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const group = existingItem(state.userGroups, data.userGroupId, 'user group', 'userGroupId');
  const user = existingItem(state.users, data.userId, 'user', 'userId');
  if (group.memberUserIds.includes(user.id)) return [];
  return [{ type: 'UserAddedToUserGroup', data: { userGroupId: group.id, userId: user.id } }];
}

export function removeUserFromUserGroup(
  { data }: RemoveUserFromUserGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const group = existingItem(state.userGroups, data.userGroupId, 'user group', 'userGroupId');
  const user = existingItem(state.users, data.userId, 'user', 'userId');
  if (!group.memberUserIds.includes(user.id)) return [];
  return [{ type: 'UserRemovedFromUserGroup', data: { userGroupId: group.id, userId: user.id } }];
}

export function addDeviceToDeviceGroup(
  { data }: AddDeviceToDeviceGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const group = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const device = existingItem(state.devices, data.deviceId, 'device', 'deviceId');
  if (group.memberDeviceIds.includes(device.id)) return [];
  return [{ type: 'DeviceAddedToDeviceGroup', data: { deviceGroupId: group.id, deviceId: device.id } }];
}

export function removeDeviceFromDeviceGroup(
  { data }: RemoveDeviceFromDeviceGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const group = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const device = existingItem(state.devices, data.deviceId, 'device', 'deviceId');
  if (!group.memberDeviceIds.includes(device.id)) return [];
  return [{ type: 'DeviceRemovedFromDeviceGroup', data: { deviceGroupId: group.id, deviceId: device.id } }];
}

export function addPolicyToPolicyGroup(
  { data }: AddPolicyToPolicyGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const group = existingItem(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  const policy = existingItem(state.policies, data.policyId, 'policy', 'policyId');
  if (group.policyIds.includes(policy.id)) return [];
  return [{ type: 'PolicyAddedToPolicyGroup', data: { policyGroupId: group.id, policyId: policy.id } }];
}

export function removePolicyFromPolicyGroup(
  { data }: RemovePolicyFromPolicyGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const group = existingItem(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  const policy = existingItem(state.policies, data.policyId, 'policy', 'policyId');
  if (!group.policyIds.includes(policy.id)) return [];
  return [{ type: 'PolicyRemovedFromPolicyGroup', data: { policyGroupId: group.id, policyId: policy.id } }];
}

export function bindDeviceGroupToCommand(
  { data }: BindDeviceGroupToCommand,
  state: OrganizationState,
): OrganizationEvent[] {
  const deviceGroup = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const command = existingItem(state.commands, data.commandId, 'command', 'commandId');
  if (command.deviceGroupIds.includes(deviceGroup.id)) return [];
  return [
    { type: 'DeviceGroupBoundToCommand', data: { deviceGroupId: deviceGroup.id, commandId: command.id } },
  ];
}

export function unbindDeviceGroupFromCommand(
  { data }: UnbindDeviceGroupFromCommand,
  state: OrganizationState,
): OrganizationEvent[] {
  const deviceGroup = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const command = existingItem(state.commands, data.commandId, 'command', 'commandId');
  if (!command.deviceGroupIds.includes(deviceGroup.id)) return [];
  return [
    { type: 'DeviceGroupUnboundFromCommand', data: { deviceGroupId: deviceGroup.id, commandId: command.id } },
  ];
}

export function bindDeviceGroupToPolicy(
  { data }: BindDeviceGroupToPolicy,
  state: OrganizationState,
): OrganizationEvent[] {
  const deviceGroup = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const policy = existingItem(state.policies, data.policyId, 'policy', 'policyId');
  if (policy.deviceGroupIds.includes(deviceGroup.id)) return [];
  return [{ type: 'DeviceGroupBoundToPolicy', data: { deviceGroupId: deviceGroup.id, policyId: policy.id } }];
}

export function unbindDeviceGroupFromPolicy(
  { data }: UnbindDeviceGroupFromPolicy,
  state: OrganizationState,
): OrganizationEvent[] {
  const deviceGroup = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const policy = existingItem(state.policies, data.policyId, 'policy', 'policyId');
  if (!policy.deviceGroupIds.includes(deviceGroup.id)) return [];
  return [
    { type: 'DeviceGroupUnboundFromPolicy', data: { deviceGroupId: deviceGroup.id, policyId: policy.id } },
  ];
}

export function bindDeviceGroupToPolicyGroup(
  { data }: BindDeviceGroupToPolicyGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const deviceGroup = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const policyGroup = existingItem(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  if (policyGroup.deviceGroupIds.includes(deviceGroup.id)) return [];
  return [
    {
      type: 'DeviceGroupBoundToPolicyGroup',
      data: { deviceGroupId: deviceGroup.id, policyGroupId: policyGroup.id },
    },
  ];
}

export function unbindDeviceGroupFromPolicyGroup(
  { data }: UnbindDeviceGroupFromPolicyGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const deviceGroup = existingItem(state.deviceGroups, data.deviceGroupId, 'device group', 'deviceGroupId');
  const policyGroup = existingItem(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  if (!policyGroup.deviceGroupIds.includes(deviceGroup.id)) return [];
  return [
    {
      type: 'DeviceGroupUnboundFromPolicyGroup',
      data: { deviceGroupId: deviceGroup.id, policyGroupId: policyGroup.id },
    },
  ];
}
