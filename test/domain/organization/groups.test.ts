import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
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
const org = history([addUser('user-1'), addUser('user-2'), addDevice('dev-1')]);

const addGroup = (extra: Record<string, unknown> = {}): OrganizationCommand => ({
  type: 'AddUserGroup',
  data: { userGroupId: 'ug-1', name: 'Engineering', ...extra } as never,
});

describe('AddUserGroup', () => {
  it('adds a static group with default attributes', () => {
    spec
      .given(org)
      .when(addGroup())
      .then([
        {
          type: 'UserGroupAdded',
          data: {
            userGroup: {
              id: 'ug-1',
              name: 'Engineering',
              description: '',
              email: '',
              attributes: {
                sudo: { enabled: false, withoutPassword: false },
                ldapGroups: [],
                posixGroups: [],
                radius: { reply: [] },
                sambaEnabled: false,
              },
              membershipMethod: 'STATIC',
              memberQuery: null,
              memberQueryExemptions: [],
              memberUserIds: [],
              bindings: [],
            },
          },
        },
      ]);
  });

  it('adds a dynamic group with its query, exemptions, members, attributes, bindings and lineage', () => {
    const group = spec
      .given(org)
      .when(
        addGroup({
          description: 'All engineers',
          email: 'eng@acme.example',
          attributes: {
            sudo: { enabled: true, withoutPassword: true },
            ldapGroups: [{ name: 'eng' }],
            posixGroups: [{ id: 5001, name: 'eng' }],
            radius: { reply: [{ name: 'Filter-Id', value: 'eng' }] },
            sambaEnabled: true,
          },
          membershipMethod: 'DYNAMIC_AUTOMATED',
          memberQuery: {
            queryType: 'FilterQuery',
            filters: [{ field: 'department', operator: 'eq', value: 'Engineering' }],
          },
          memberQueryExemptions: [{ id: 'user-2', type: 'user' }],
          memberUserIds: ['user-1'],
          bindings: [{ type: 'application', id: 'app-slack' }],
          clonedFromId: 'ug-source',
        }),
      )
      .state().userGroups['ug-1'];
    expect(group).toMatchObject({
      membershipMethod: 'DYNAMIC_AUTOMATED',
      memberUserIds: ['user-1'],
      memberQueryExemptions: [{ id: 'user-2', type: 'user' }],
      attributes: {
        sudo: { enabled: true, withoutPassword: true },
        posixGroups: [{ id: 5001, name: 'eng' }],
      },
      bindings: [{ type: 'application', id: 'app-slack' }],
      clonedFromId: 'ug-source',
    });
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ email: 'eng' }, 'email'],
    [{ membershipMethod: 'DYNAMIC' }, 'membershipMethod'],
    [{ membershipMethod: 'DYNAMIC_REVIEW_REQUIRED' }, 'memberQuery'],
    [{ memberQuery: { queryType: 'Search', filters: [] } }, 'memberQuery.queryType'],
    [{ memberQuery: { queryType: 'FilterQuery', filters: [] } }, 'memberQuery.filters'],
    [
      { memberQuery: { queryType: 'FilterQuery', filters: [{ field: 'a', operator: 'like', value: 'b' }] } },
      'memberQuery.filters[0].operator',
    ],
    [{ attributes: { sudo: { enabled: false, withoutPassword: true } } }, 'attributes.sudo.withoutPassword'],
    [{ attributes: { posixGroups: [{ id: -1, name: 'eng' }] } }, 'attributes.posixGroups[0].id'],
    [{ attributes: { posixGroups: [{ id: 1, name: 'Eng Team' }] } }, 'attributes.posixGroups[0].name'],
    [
      {
        attributes: {
          posixGroups: [
            { id: 1, name: 'a' },
            { id: 1, name: 'b' },
          ],
        },
      },
      'attributes.posixGroups[1]',
    ],
    [{ attributes: { radius: { reply: [{ name: '', value: 'x' }] } } }, 'attributes.radius.reply[0].name'],
    [{ attributes: { shell: '/bin/bash' } }, 'attributes.shell'],
    [{ memberQueryExemptions: [{ id: 'user-1', type: 'system' }] }, 'memberQueryExemptions[0].type'],
    [{ bindings: [{ type: 'sso', id: 'app-1' }] }, 'bindings[0].type'],
    [
      {
        bindings: [
          { type: 'application', id: 'a' },
          { type: 'application', id: 'a' },
        ],
      },
      'bindings[1]',
    ],
  ])('refuses %j', (extra, field) => {
    spec.given(org).when(addGroup(extra)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses unknown users, a used id and a taken name', () => {
    spec
      .given(org)
      .when(addGroup({ memberUserIds: ['user-9'] }))
      .then({ code: 'NOT_FOUND', field: 'memberUserIds[0]' });
    spec
      .given(org)
      .when(addGroup({ memberQueryExemptions: [{ id: 'user-9', type: 'user' }] }))
      .then({ code: 'NOT_FOUND', field: 'memberQueryExemptions[0].id' });
    const withGroup = [...org, ...spec.given(org).when(addGroup()).events()];
    spec
      .given(withGroup)
      .when(addGroup())
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'userGroupId' });
    spec
      .given(withGroup)
      .when(addGroup({ userGroupId: 'ug-2', name: 'ENGINEERING' }))
      .then({ code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'name' });
  });
});

describe('UpdateUserGroup / RemoveUserGroup', () => {
  const withGroup = history([addUser('user-1'), addGroup({ memberUserIds: ['user-1'] })]);

  it('updates its own fields and keeps its members', () => {
    const events = spec
      .given(withGroup)
      .when({
        type: 'UpdateUserGroup',
        data: { userGroupId: 'ug-1', description: 'R&D', attributes: { sambaEnabled: true } },
      })
      .events();
    expect(events).toMatchObject([
      {
        type: 'UserGroupUpdated',
        data: {
          userGroup: {
            description: 'R&D',
            memberUserIds: ['user-1'],
            attributes: { sambaEnabled: true, ldapGroups: [] },
          },
        },
      },
    ]);
  });

  it('decides nothing when nothing changes; refuses member changes through an update and unknown groups', () => {
    spec
      .given(withGroup)
      .when({ type: 'UpdateUserGroup', data: { userGroupId: 'ug-1', name: 'Engineering' } })
      .then([]);
    spec
      .given(withGroup)
      .when({ type: 'UpdateUserGroup', data: { userGroupId: 'ug-1', memberUserIds: [] } as never })
      .then({ code: 'VALIDATION_FAILED', field: 'memberUserIds' });
    spec
      .given(withGroup)
      .when({ type: 'UpdateUserGroup', data: { userGroupId: 'ug-1', membershipMethod: 'DYNAMIC_AUTOMATED' } })
      .then({ code: 'VALIDATION_FAILED', field: 'memberQuery' });
    spec
      .given(withGroup)
      .when({ type: 'UpdateUserGroup', data: { userGroupId: 'ug-2', name: 'x' } })
      .then({ code: 'NOT_FOUND', field: 'userGroupId' });
  });

  it('removes a group', () => {
    spec
      .given(withGroup)
      .when({ type: 'RemoveUserGroup', data: { userGroupId: 'ug-1' } })
      .then([{ type: 'UserGroupRemoved', data: { userGroupId: 'ug-1' } }]);
  });
});

describe('device groups', () => {
  const addDg = (extra: Record<string, unknown> = {}): OrganizationCommand => ({
    type: 'AddDeviceGroup',
    data: { deviceGroupId: 'dg-1', name: 'Laptops', ...extra } as never,
  });

  it('adds a group with members and MDM settings', () => {
    spec
      .given(org)
      .when(
        addDg({
          description: 'All laptops',
          attributes: { sudo: { enabled: false } },
          memberDeviceIds: ['dev-1'],
          mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: false },
          clonedFromId: 'dg-source',
        }),
      )
      .then([
        {
          type: 'DeviceGroupAdded',
          data: {
            deviceGroup: {
              id: 'dg-1',
              name: 'Laptops',
              description: 'All laptops',
              attributes: { sudo: { enabled: false } },
              membershipMethod: 'STATIC',
              memberQuery: null,
              memberDeviceIds: ['dev-1'],
              mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: false },
              clonedFromId: 'dg-source',
            },
          },
        },
      ]);
  });

  it('refuses a second default enrollment group, unknown devices and malformed MDM settings', () => {
    const withDefault = [
      ...org,
      ...spec
        .given(org)
        .when(addDg({ mdm: { appleMdmDefaultEnrollmentGroup: false, adeDefaultEnrollmentGroup: true } }))
        .events(),
    ];
    spec
      .given(withDefault)
      .when(
        addDg({
          deviceGroupId: 'dg-2',
          name: 'Desktops',
          mdm: { appleMdmDefaultEnrollmentGroup: false, adeDefaultEnrollmentGroup: true },
        }),
      )
      .then({
        code: 'CONFLICT',
        reason: 'DEFAULT_ENROLLMENT_GROUP_TAKEN',
        field: 'mdm.adeDefaultEnrollmentGroup',
      });
    spec
      .given(withDefault)
      .when({
        type: 'UpdateDeviceGroup',
        data: {
          deviceGroupId: 'dg-1',
          mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: true },
        },
      })
      .then([
        {
          type: 'DeviceGroupUpdated',
          data: {
            deviceGroup: {
              id: 'dg-1',
              name: 'Laptops',
              description: '',
              attributes: {},
              membershipMethod: 'STATIC',
              memberQuery: null,
              memberDeviceIds: [],
              mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: true },
            },
          },
        },
      ]);
    spec
      .given(org)
      .when(addDg({ memberDeviceIds: ['dev-9'] }))
      .then({ code: 'NOT_FOUND', field: 'memberDeviceIds[0]' });
    spec
      .given(org)
      .when(addDg({ mdm: { appleMdmDefaultEnrollmentGroup: true } }))
      .then({ code: 'VALIDATION_FAILED', field: 'mdm.adeDefaultEnrollmentGroup' });
    spec
      .given(org)
      .when(addDg({ attributes: [] }))
      .then({ code: 'VALIDATION_FAILED', field: 'attributes' });
  });

  it('clears MDM settings with null and decides nothing without a change', () => {
    const withMdm = [
      ...org,
      ...spec
        .given(org)
        .when(addDg({ mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: false } }))
        .events(),
    ];
    expect(
      spec
        .given(withMdm)
        .when({ type: 'UpdateDeviceGroup', data: { deviceGroupId: 'dg-1', mdm: null } })
        .state().deviceGroups['dg-1']?.mdm,
    ).toBeNull();
    spec
      .given(withMdm)
      .when({ type: 'UpdateDeviceGroup', data: { deviceGroupId: 'dg-1', name: 'Laptops' } })
      .then([]);
  });

  it('unbinds a removed device group from commands, policies and policy groups first', () => {
    const bound = history([
      addDeviceGroup('dg-1'),
      addDeviceGroup('dg-2'),
      {
        ...addRootCommand('cmd-1'),
        data: { ...addRootCommand('cmd-1').data, deviceGroupIds: ['dg-1', 'dg-2'] },
      } as OrganizationCommand,
      {
        type: 'AddPolicy',
        data: {
          policyId: 'pol-1',
          name: 'MOTD',
          templateId: '64f0a1b2c3d4e5f60100000b',
          values: [],
          deviceGroupIds: ['dg-1'],
        },
      },
      { type: 'AddPolicyGroup', data: { policyGroupId: 'pg-1', name: 'Base', deviceGroupIds: ['dg-1'] } },
    ]);
    spec
      .given(bound)
      .when({ type: 'RemoveDeviceGroup', data: { deviceGroupId: 'dg-1' } })
      .then([
        { type: 'DeviceGroupUnboundFromCommand', data: { deviceGroupId: 'dg-1', commandId: 'cmd-1' } },
        { type: 'DeviceGroupUnboundFromPolicy', data: { deviceGroupId: 'dg-1', policyId: 'pol-1' } },
        { type: 'DeviceGroupUnboundFromPolicyGroup', data: { deviceGroupId: 'dg-1', policyGroupId: 'pg-1' } },
        { type: 'DeviceGroupRemoved', data: { deviceGroupId: 'dg-1' } },
      ]);
    const after = spec
      .given(bound)
      .when({ type: 'RemoveDeviceGroup', data: { deviceGroupId: 'dg-1' } })
      .state();
    expect(after.commands['cmd-1']?.deviceGroupIds).toEqual(['dg-2']);
    expect(after.policies['pol-1']?.deviceGroupIds).toEqual([]);
    expect(after.policyGroups['pg-1']?.deviceGroupIds).toEqual([]);
    expect(Object.keys(after.deviceGroups)).toEqual(['dg-2']);
  });

  it('refuses to remove an unknown device group', () => {
    spec
      .given(org)
      .when({ type: 'RemoveDeviceGroup', data: { deviceGroupId: 'dg-1' } })
      .then({ code: 'NOT_FOUND', field: 'deviceGroupId' });
  });
});

describe('removing a user group a conditional access policy names', () => {
  it('is refused', () => {
    const events = history([
      addUserGroup('ug-1'),
      {
        type: 'AddConditionalAccessPolicy',
        data: {
          conditionalAccessPolicyId: 'ca-1',
          name: 'Contractors need MFA',
          type: 'user_portal',
          targets: {
            users: { inclusions: ['ALL'] },
            userGroups: { exclusions: ['ug-1'] },
            resources: [{ type: 'user_portal' }],
          },
          effect: { action: 'allow', obligations: { mfa: { required: true } } },
        },
      },
    ]);
    spec
      .given(events)
      .when({ type: 'RemoveUserGroup', data: { userGroupId: 'ug-1' } })
      .then({ code: 'CONFLICT', reason: 'REFERENCED', field: 'userGroupId' });
  });
});
