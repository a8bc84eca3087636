import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import { ROOT_USER_ID } from '../../../src/domain/organization/model.js';
import { specFor } from '../given-when-then.js';
import { addDeviceGroup, history, recordingSealer } from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());
const org = history([addDeviceGroup('dg-linux')]);
const RUN_AS = 'a1b2c3d4e5f6a7b8c9d0e1f2';

const add = (fields: Record<string, unknown> = {}): OrganizationCommand => ({
  type: 'AddCommand',
  data: {
    commandId: 'cmd-1',
    name: ' Update packages ',
    command: 'apt-get update && apt-get -y upgrade\n',
    commandType: 'linux',
    user: ROOT_USER_ID,
    ...fields,
  } as never,
});

describe('AddCommand', () => {
  it('adds a command with JumpCloud defaults for what is not given', () => {
    spec
      .given(org)
      .when(add())
      .then([
        {
          type: 'CommandAdded',
          data: {
            command: {
              id: 'cmd-1',
              name: 'Update packages',
              command: 'apt-get update && apt-get -y upgrade\n',
              commandType: 'linux',
              user: ROOT_USER_ID,
              sudo: false,
              shell: '/bin/bash',
              launchType: 'manual',
              schedule: '',
              scheduleRepeatType: '',
              timeout: 120,
              trigger: '',
              files: [],
              description: '',
              deviceGroupIds: [],
            },
          },
        },
      ]);
  });

  it('adds a windows command without a user, bound to a device group, with lineage', () => {
    const state = spec
      .given(org)
      .when(
        add({
          commandType: 'windows',
          user: undefined,
          command: 'Get-Service',
          deviceGroupIds: ['dg-linux'],
          clonedFromId: 'cmd-source',
        }),
      )
      .state();
    expect(state.commands['cmd-1']).toMatchObject({
      commandType: 'windows',
      user: '',
      shell: 'powershell',
      deviceGroupIds: ['dg-linux'],
      clonedFromId: 'cmd-source',
    });
  });

  it('accepts a non-root run-as user on mac, scheduled and triggered launches, and the timeout bounds', () => {
    for (const fields of [
      { commandType: 'mac' as const, user: RUN_AS, shell: '/bin/zsh' },
      { launchType: 'repeated' as const, schedule: '0 0 2 * * *', scheduleRepeatType: 'day' },
      { launchType: 'one-time' as const, schedule: '0 30 9 1 6 *' },
      { launchType: 'trigger' as const, trigger: 'rotate_logs' },
      { timeout: 0 },
      { timeout: 86_400 },
    ]) {
      expect(spec.given(org).when(add(fields)).state().commands['cmd-1']).toMatchObject(fields);
    }
  });

  it.each([
    [{ timeout: 86_401 }, 'timeout'],
    [{ timeout: -1 }, 'timeout'],
    [{ timeout: 1.5 }, 'timeout'],
    [{ commandType: 'darwin' }, 'commandType'],
    [{ launchType: 'scheduled' }, 'launchType'],
    [{ commandType: 'windows', user: ROOT_USER_ID }, 'user'],
    [{ user: undefined }, 'user'],
    [{ user: 'root' }, 'user'],
    [{ user: 'A1B2C3D4E5F6A7B8C9D0E1F2' }, 'user'],
    [{ name: ' ' }, 'name'],
    [{ command: '' }, 'command'],
    [{ shell: 'bash' }, 'shell'],
    [{ commandType: 'windows', user: '', shell: '/bin/bash' }, 'shell'],
    [{ launchType: 'trigger', trigger: '' }, 'trigger'],
    [{ launchType: 'trigger', trigger: 'has space' }, 'trigger'],
    [{ launchType: 'repeated', schedule: '', scheduleRepeatType: 'day' }, 'schedule'],
    [{ launchType: 'repeated', schedule: '0 0 2 * * *' }, 'scheduleRepeatType'],
    [{ launchType: 'one-time' }, 'schedule'],
    [{ files: ['file-1', 'file-1'] }, 'files[1]'],
    [{ sudo: 'yes' }, 'sudo'],
    [{ deviceGroupIds: 'dg-linux' }, 'deviceGroupIds'],
    [{ organization: 'org-2' }, 'organization'],
    [{ commandId: '7' }, 'commandId'],
  ])('refuses %j', (fields, field) => {
    spec.given(org).when(add(fields)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses an unknown device group and a used id', () => {
    spec
      .given(org)
      .when(add({ deviceGroupIds: ['dg-linux', 'dg-missing'] }))
      .then({ code: 'NOT_FOUND', field: 'deviceGroupIds[1]' });
    spec
      .given([...org, ...spec.given(org).when(add()).events()])
      .when(add())
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'commandId' });
  });
});

describe('UpdateCommand', () => {
  const withCommand = [
    ...org,
    ...spec
      .given(org)
      .when(add({ deviceGroupIds: ['dg-linux'] }))
      .events(),
  ];

  it('changes the given fields, keeps the rest and the bindings', () => {
    const events = spec
      .given(withCommand)
      .when({ type: 'UpdateCommand', data: { commandId: 'cmd-1', timeout: 600, description: 'nightly' } })
      .events();
    expect(events).toMatchObject([
      {
        type: 'CommandUpdated',
        data: {
          command: {
            id: 'cmd-1',
            timeout: 600,
            description: 'nightly',
            name: 'Update packages',
            deviceGroupIds: ['dg-linux'],
          },
        },
      },
    ]);
  });

  it('switches a command to windows when the user is cleared with it', () => {
    const state = spec
      .given(withCommand)
      .when({
        type: 'UpdateCommand',
        data: { commandId: 'cmd-1', commandType: 'windows', user: '', shell: 'cmd' },
      })
      .state();
    expect(state.commands['cmd-1']).toMatchObject({ commandType: 'windows', user: '', shell: 'cmd' });
  });

  it('decides nothing when nothing changes', () => {
    spec
      .given(withCommand)
      .when({ type: 'UpdateCommand', data: { commandId: 'cmd-1', timeout: 120 } })
      .then([]);
  });

  it('refuses invalid changes, links, and unknown commands', () => {
    spec
      .given(withCommand)
      .when({ type: 'UpdateCommand', data: { commandId: 'cmd-1', timeout: 100_000 } })
      .then({ code: 'VALIDATION_FAILED', field: 'timeout' });
    spec
      .given(withCommand)
      .when({ type: 'UpdateCommand', data: { commandId: 'cmd-1', commandType: 'windows' } })
      .then({ code: 'VALIDATION_FAILED', field: 'user' });
    spec
      .given(withCommand)
      .when({ type: 'UpdateCommand', data: { commandId: 'cmd-1', deviceGroupIds: [] } as never })
      .then({ code: 'VALIDATION_FAILED', field: 'deviceGroupIds' });
    spec
      .given(withCommand)
      .when({ type: 'UpdateCommand', data: { commandId: 'cmd-9', timeout: 1 } })
      .then({ code: 'NOT_FOUND', field: 'commandId' });
  });
});

describe('RemoveCommand', () => {
  it('removes a command', () => {
    const withCommand = [...org, ...spec.given(org).when(add()).events()];
    spec
      .given(withCommand)
      .when({ type: 'RemoveCommand', data: { commandId: 'cmd-1' } })
      .then([{ type: 'CommandRemoved', data: { commandId: 'cmd-1' } }]);
    expect(
      spec
        .given(withCommand)
        .when({ type: 'RemoveCommand', data: { commandId: 'cmd-1' } })
        .state().commands,
    ).toEqual({});
  });

  it('refuses an unknown command', () => {
    spec
      .given(org)
      .when({ type: 'RemoveCommand', data: { commandId: 'cmd-1' } })
      .then({ code: 'NOT_FOUND', field: 'commandId' });
  });
});
