import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import type { OrganizationState } from '../../../src/domain/organization/state.js';
import { specFor } from '../given-when-then.js';
import {
  addDevice,
  addDeviceGroup,
  addRootCommand,
  addUser,
  addUserGroup,
  history,
  recordingSealer,
} from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());
const org = history([
  addUser('user-1'),
  addUserGroup('ug-1'),
  addDevice('dev-1'),
  addDeviceGroup('dg-1'),
  addRootCommand('cmd-1'),
  {
    type: 'AddPolicy',
    data: { policyId: 'pol-1', name: 'MOTD', templateId: '64f0a1b2c3d4e5f60100000b', values: [] },
  },
  { type: 'AddPolicyGroup', data: { policyGroupId: 'pg-1', name: 'Base' } },
]);

interface LinkCase {
  name: string;
  add: OrganizationCommand;
  remove: OrganizationCommand;
  added: OrganizationEvent;
  removed: OrganizationEvent;
  /** The ids on the linking side after the link, e.g. a group's members. */
  linked: (state: OrganizationState) => string[] | undefined;
  linkedId: string;
  unknown: [OrganizationCommand, string][];
}

const cases: LinkCase[] = [
  {
    name: 'user ∈ user group',
    add: { type: 'AddUserToUserGroup', data: { userGroupId: 'ug-1', userId: 'user-1' } },
    remove: { type: 'RemoveUserFromUserGroup', data: { userGroupId: 'ug-1', userId: 'user-1' } },
    added: { type: 'UserAddedToUserGroup', data: { userGroupId: 'ug-1', userId: 'user-1' } },
    removed: { type: 'UserRemovedFromUserGroup', data: { userGroupId: 'ug-1', userId: 'user-1' } },
    linked: (state) => state.userGroups['ug-1']?.memberUserIds,
    linkedId: 'user-1',
    unknown: [
      [{ type: 'AddUserToUserGroup', data: { userGroupId: 'ug-9', userId: 'user-1' } }, 'userGroupId'],
      [{ type: 'AddUserToUserGroup', data: { userGroupId: 'ug-1', userId: 'user-9' } }, 'userId'],
    ],
  },
  {
    name: 'device ∈ device group',
    add: { type: 'AddDeviceToDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-1' } },
    remove: { type: 'RemoveDeviceFromDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-1' } },
    added: { type: 'DeviceAddedToDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-1' } },
    removed: { type: 'DeviceRemovedFromDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-1' } },
    linked: (state) => state.deviceGroups['dg-1']?.memberDeviceIds,
    linkedId: 'dev-1',
    unknown: [
      [
        { type: 'AddDeviceToDeviceGroup', data: { deviceGroupId: 'dg-9', deviceId: 'dev-1' } },
        'deviceGroupId',
      ],
      [
        { type: 'RemoveDeviceFromDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-9' } },
        'deviceId',
      ],
    ],
  },
  {
    name: 'policy ∈ policy group',
    add: { type: 'AddPolicyToPolicyGroup', data: { policyGroupId: 'pg-1', policyId: 'pol-1' } },
    remove: { type: 'RemovePolicyFromPolicyGroup', data: { policyGroupId: 'pg-1', policyId: 'pol-1' } },
    added: { type: 'PolicyAddedToPolicyGroup', data: { policyGroupId: 'pg-1', policyId: 'pol-1' } },
    removed: { type: 'PolicyRemovedFromPolicyGroup', data: { policyGroupId: 'pg-1', policyId: 'pol-1' } },
    linked: (state) => state.policyGroups['pg-1']?.policyIds,
    linkedId: 'pol-1',
    unknown: [
      [{ type: 'AddPolicyToPolicyGroup', data: { policyGroupId: 'pg-1', policyId: 'pol-9' } }, 'policyId'],
    ],
  },
  {
    name: 'device group → command',
    add: { type: 'BindDeviceGroupToCommand', data: { deviceGroupId: 'dg-1', commandId: 'cmd-1' } },
    remove: { type: 'UnbindDeviceGroupFromCommand', data: { deviceGroupId: 'dg-1', commandId: 'cmd-1' } },
    added: { type: 'DeviceGroupBoundToCommand', data: { deviceGroupId: 'dg-1', commandId: 'cmd-1' } },
    removed: { type: 'DeviceGroupUnboundFromCommand', data: { deviceGroupId: 'dg-1', commandId: 'cmd-1' } },
    linked: (state) => state.commands['cmd-1']?.deviceGroupIds,
    linkedId: 'dg-1',
    unknown: [
      [
        { type: 'BindDeviceGroupToCommand', data: { deviceGroupId: 'dg-1', commandId: 'cmd-9' } },
        'commandId',
      ],
    ],
  },
  {
    name: 'device group → policy',
    add: { type: 'BindDeviceGroupToPolicy', data: { deviceGroupId: 'dg-1', policyId: 'pol-1' } },
    remove: { type: 'UnbindDeviceGroupFromPolicy', data: { deviceGroupId: 'dg-1', policyId: 'pol-1' } },
    added: { type: 'DeviceGroupBoundToPolicy', data: { deviceGroupId: 'dg-1', policyId: 'pol-1' } },
    removed: { type: 'DeviceGroupUnboundFromPolicy', data: { deviceGroupId: 'dg-1', policyId: 'pol-1' } },
    linked: (state) => state.policies['pol-1']?.deviceGroupIds,
    linkedId: 'dg-1',
    unknown: [
      [
        { type: 'BindDeviceGroupToPolicy', data: { deviceGroupId: 'dg-9', policyId: 'pol-1' } },
        'deviceGroupId',
      ],
    ],
  },
  {
    name: 'device group → policy group',
    add: { type: 'BindDeviceGroupToPolicyGroup', data: { deviceGroupId: 'dg-1', policyGroupId: 'pg-1' } },
    remove: {
      type: 'UnbindDeviceGroupFromPolicyGroup',
      data: { deviceGroupId: 'dg-1', policyGroupId: 'pg-1' },
    },
    added: { type: 'DeviceGroupBoundToPolicyGroup', data: { deviceGroupId: 'dg-1', policyGroupId: 'pg-1' } },
    removed: {
      type: 'DeviceGroupUnboundFromPolicyGroup',
      data: { deviceGroupId: 'dg-1', policyGroupId: 'pg-1' },
    },
    linked: (state) => state.policyGroups['pg-1']?.deviceGroupIds,
    linkedId: 'dg-1',
    unknown: [
      [
        { type: 'UnbindDeviceGroupFromPolicyGroup', data: { deviceGroupId: 'dg-1', policyGroupId: 'pg-9' } },
        'policyGroupId',
      ],
    ],
  },
];

describe.each(cases)('$name', ({ add, remove, added, removed, linked, linkedId, unknown }) => {
  it('links, once', () => {
    spec.given(org).when(add).then([added]);
    expect(linked(spec.given(org).when(add).state())).toEqual([linkedId]);
    spec
      .given([...org, added])
      .when(add)
      .then([]);
  });

  it('unlinks, once', () => {
    spec
      .given([...org, added])
      .when(remove)
      .then([removed]);
    expect(
      linked(
        spec
          .given([...org, added])
          .when(remove)
          .state(),
      ),
    ).toEqual([]);
    spec.given(org).when(remove).then([]);
  });

  it.each(unknown)('refuses an unknown end (%#)', (command, field) => {
    spec.given(org).when(command).then({ code: 'NOT_FOUND', field });
  });
});

describe('admin access', () => {
  it('grants and revokes, idempotently', () => {
    const granted: OrganizationEvent = { type: 'AdminAccessGranted', data: { administratorId: 'admin-1' } };
    spec
      .given(org)
      .when({ type: 'GrantAdminAccess', data: { administratorId: 'admin-1' } })
      .then([granted]);
    spec
      .given([...org, granted])
      .when({ type: 'GrantAdminAccess', data: { administratorId: 'admin-1' } })
      .then([]);
    spec
      .given([...org, granted])
      .when({ type: 'RevokeAdminAccess', data: { administratorId: 'admin-1' } })
      .then([{ type: 'AdminAccessRevoked', data: { administratorId: 'admin-1' } }]);
    spec
      .given(org)
      .when({ type: 'RevokeAdminAccess', data: { administratorId: 'admin-1' } })
      .then([]);
    expect(
      spec
        .given(org)
        .when({ type: 'GrantAdminAccess', data: { administratorId: 'admin-1' } })
        .state().adminIds,
    ).toEqual(['admin-1']);
  });

  it('refuses a malformed administrator id', () => {
    spec
      .given(org)
      .when({ type: 'GrantAdminAccess', data: { administratorId: 'admin 1' } })
      .then({ code: 'VALIDATION_FAILED', field: 'administratorId' });
  });
});
