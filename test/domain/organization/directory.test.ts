import { describe, expect, it } from 'vitest';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import { specFor } from '../given-when-then.js';
import { addDevice, addDeviceGroup, addUser, addUserGroup, history, recordingSealer } from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());
const org = history([addUser('user-1', 'jdoe')]);

describe('users', () => {
  it('adds a user', () => {
    spec
      .given(org)
      .when({ type: 'AddUser', data: { userId: 'user-2', username: 'asmith', email: 'asmith@acme.example' } })
      .then([
        {
          type: 'UserAdded',
          data: { user: { id: 'user-2', username: 'asmith', email: 'asmith@acme.example' } },
        },
      ]);
  });

  it.each([
    [{ username: '' }, 'username'],
    [{ username: 'a smith' }, 'username'],
    [{ username: '-asmith' }, 'username'],
    [{ username: 'a'.repeat(65) }, 'username'],
    [{ email: 'asmith' }, 'email'],
    [{ userId: '' }, 'userId'],
  ])('refuses %j', (data, field) => {
    spec
      .given(org)
      .when({
        type: 'AddUser',
        data: { userId: 'user-2', username: 'asmith', email: 'asmith@acme.example', ...data },
      })
      .then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses a taken username or email, whatever the case, and a used id', () => {
    spec
      .given(org)
      .when({ type: 'AddUser', data: { userId: 'user-2', username: 'JDoe', email: 'other@acme.example' } })
      .then({ code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'username' });
    spec
      .given(org)
      .when({ type: 'AddUser', data: { userId: 'user-2', username: 'other', email: 'JDOE@acme.example' } })
      .then({ code: 'CONFLICT', reason: 'EMAIL_TAKEN', field: 'email' });
    spec
      .given(org)
      .when({ type: 'AddUser', data: { userId: 'user-1', username: 'other', email: 'other@acme.example' } })
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'userId' });
  });

  it('updates a user, keeping its own name and email free for itself', () => {
    spec
      .given(org)
      .when({ type: 'UpdateUser', data: { userId: 'user-1', username: 'JDoe', email: 'john@acme.example' } })
      .then([
        {
          type: 'UserUpdated',
          data: { user: { id: 'user-1', username: 'JDoe', email: 'john@acme.example' } },
        },
      ]);
    spec
      .given(org)
      .when({ type: 'UpdateUser', data: { userId: 'user-1', username: 'jdoe' } })
      .then([]);
    spec
      .given(org)
      .when({ type: 'UpdateUser', data: { userId: 'user-9', username: 'x' } })
      .then({ code: 'NOT_FOUND', field: 'userId' });
  });

  it('takes a removed user out of its groups and their exemptions first', () => {
    const events = history([
      addUser('user-1'),
      addUserGroup('ug-static'),
      { type: 'AddUserToUserGroup', data: { userGroupId: 'ug-static', userId: 'user-1' } },
      {
        type: 'AddUserGroup',
        data: {
          userGroupId: 'ug-dynamic',
          name: 'Dynamic',
          membershipMethod: 'DYNAMIC_AUTOMATED',
          memberQuery: {
            queryType: 'FilterQuery',
            filters: [{ field: 'department', operator: 'eq', value: 'Sales' }],
          },
          memberQueryExemptions: [{ id: 'user-1', type: 'user' }],
        },
      },
    ]);
    const decided = spec
      .given(events)
      .when({ type: 'RemoveUser', data: { userId: 'user-1' } })
      .events();
    expect(decided.map((event) => event.type)).toEqual([
      'UserRemovedFromUserGroup',
      'UserGroupUpdated',
      'UserRemoved',
    ]);
    const after = spec
      .given(events)
      .when({ type: 'RemoveUser', data: { userId: 'user-1' } })
      .state();
    expect(after.users).toEqual({});
    expect(after.userGroups['ug-static']?.memberUserIds).toEqual([]);
    expect(after.userGroups['ug-dynamic']?.memberQueryExemptions).toEqual([]);
  });

  it('refuses to remove a user a conditional access policy targets, and an unknown user', () => {
    const events = history([
      addUser('user-1'),
      {
        type: 'AddConditionalAccessPolicy',
        data: {
          conditionalAccessPolicyId: 'ca-1',
          name: 'CEO',
          type: 'admin_portal',
          targets: { users: { inclusions: ['user-1'] }, resources: [{ type: 'admin_portal' }] },
          effect: { action: 'deny' },
        },
      },
    ]);
    spec
      .given(events)
      .when({ type: 'RemoveUser', data: { userId: 'user-1' } })
      .then({ code: 'CONFLICT', reason: 'REFERENCED', field: 'userId' });
    spec
      .given(org)
      .when({ type: 'RemoveUser', data: { userId: 'user-9' } })
      .then({ code: 'NOT_FOUND', field: 'userId' });
  });
});

describe('devices', () => {
  it('adds, updates and removes a device', () => {
    spec
      .given(org)
      .when({ type: 'AddDevice', data: { deviceId: 'dev-1', hostname: 'mbp-jdoe.local', os: 'Mac OS X' } })
      .then([
        {
          type: 'DeviceAdded',
          data: { device: { id: 'dev-1', hostname: 'mbp-jdoe.local', os: 'Mac OS X' } },
        },
      ]);
    const withDevice = history([addDevice('dev-1')]);
    spec
      .given(withDevice)
      .when({ type: 'UpdateDevice', data: { deviceId: 'dev-1', os: 'Ubuntu 24.04' } })
      .then([
        {
          type: 'DeviceUpdated',
          data: { device: { id: 'dev-1', hostname: 'dev-1.acme.example', os: 'Ubuntu 24.04' } },
        },
      ]);
    spec
      .given(withDevice)
      .when({ type: 'UpdateDevice', data: { deviceId: 'dev-1', os: 'Ubuntu' } })
      .then([]);
    spec
      .given(withDevice)
      .when({ type: 'RemoveDevice', data: { deviceId: 'dev-1' } })
      .then([{ type: 'DeviceRemoved', data: { deviceId: 'dev-1' } }]);
  });

  it.each([
    [{ hostname: 'bad host' }, 'hostname'],
    [{ hostname: '-leading.example' }, 'hostname'],
    [{ hostname: '' }, 'hostname'],
    [{ os: '' }, 'os'],
  ])('refuses %j', (data, field) => {
    spec
      .given(org)
      .when({ type: 'AddDevice', data: { deviceId: 'dev-1', hostname: 'ok', os: 'Windows', ...data } })
      .then({ code: 'VALIDATION_FAILED', field });
  });

  it('takes a removed device out of its groups first', () => {
    const events = history([
      addDevice('dev-1'),
      addDeviceGroup('dg-1'),
      { type: 'AddDeviceToDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-1' } },
    ]);
    spec
      .given(events)
      .when({ type: 'RemoveDevice', data: { deviceId: 'dev-1' } })
      .then([
        { type: 'DeviceRemovedFromDeviceGroup', data: { deviceGroupId: 'dg-1', deviceId: 'dev-1' } },
        { type: 'DeviceRemoved', data: { deviceId: 'dev-1' } },
      ]);
  });
});

describe('ids that name inherited object properties', () => {
  it('are ordinary ids, never mistaken for existing items', () => {
    spec
      .given(org)
      .when({ type: 'RemoveUser', data: { userId: 'constructor' } })
      .then({ code: 'NOT_FOUND', field: 'userId' });
    const state = spec.given(org).when(addUser('constructor', 'ctor')).state();
    expect(state.users.constructor).toEqual({
      id: 'constructor',
      username: 'ctor',
      email: 'ctor@acme.example',
    });
  });
});
