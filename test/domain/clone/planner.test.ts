/**
 * The clone rules, one or more cases per row of SPEC §2 and per sentence of the seed. Each case:
 * given a source organization (and a selection), when it is planned, then the plan says what
 * happens to each item and why, and what the copy holds.
 */
import { describe, expect, it } from 'vitest';
import { ROOT_USER_ID, SETTING_CATEGORIES } from '../../../src/domain/organization/model.js';
import { findPolicyTemplate } from '../../../src/domain/policy-templates/catalogue.js';
import { newItemIdOf } from '../../../src/domain/clone/planner.js';
import {
  accessPolicy,
  byId,
  command,
  deviceGroup,
  ipList,
  itemOf,
  organization,
  plan,
  policy,
  policyGroup,
  richSource,
  userGroup,
} from './fixtures.js';

const newId = (kind: Parameters<typeof newItemIdOf>[1], sourceId: string) =>
  newItemIdOf('clone-1', kind, sourceId);

describe('settings', () => {
  it('copies every setting category as it is', () => {
    const source = organization();
    source.settings.USER_PORTAL.idleSessionDurationMinutes = 240;
    source.settings.PASSWORD_SETTINGS.passwordPolicy.minLength = 14;

    const result = plan(source);

    for (const category of SETTING_CATEGORIES) {
      const item = itemOf(result, 'SETTING', category);
      expect(item).toMatchObject({ category, outcome: 'COPIED', reasons: [], newId: null });
      expect(item.content).toEqual({ category, values: source.settings[category] });
    }
  });

  it('excludes a deselected setting category and copies the others', () => {
    const result = plan(organization(), { selection: { excludedCategories: ['PASSWORD_SETTINGS'] } });

    expect(itemOf(result, 'SETTING', 'PASSWORD_SETTINGS')).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
      content: null,
    });
    expect(itemOf(result, 'SETTING', 'USER_PORTAL').outcome).toBe('COPIED');
  });

  it('skips every proprietary setting the source has, without its value', () => {
    const source = organization({
      proprietary: {
        contactName: 'Jane Roe',
        logo: 'data:image/png;base64,AAAA',
        windowsMDM: { enabled: true },
      },
    });

    const result = plan(source);

    const proprietary = result.items.filter((item) => item.kind === 'PROPRIETARY_SETTING');
    expect(proprietary.map((item) => item.sourceId)).toEqual(['contactName', 'logo', 'windowsMDM']);
    for (const item of proprietary) {
      expect(item).toMatchObject({ outcome: 'SKIPPED', reasons: ['PROPRIETARY_SETTING'], content: null });
    }
    expect(JSON.stringify(result)).not.toContain('Jane Roe');
  });
});

describe('commands', () => {
  it('copies a Windows command run by a non-root user, without that user', () => {
    const source = organization({
      commands: byId(command({ id: 'cmd-win', commandType: 'windows', user: '5f0000000000000000000001' })),
    });

    const item = itemOf(plan(source), 'COMMAND', 'cmd-win');

    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['RUN_AS_USER_NOT_CLONED'],
      newId: newId('COMMAND', 'cmd-win'),
    });
    expect(item.content).toMatchObject({
      id: newId('COMMAND', 'cmd-win'),
      user: '',
      clonedFromId: 'cmd-win',
    });
  });

  it('copies a Windows command without a run-as user as it is', () => {
    const source = organization({
      commands: byId(command({ id: 'cmd-win', commandType: 'windows', user: '' })),
    });

    expect(itemOf(plan(source), 'COMMAND', 'cmd-win')).toMatchObject({ outcome: 'COPIED', reasons: [] });
  });

  it('copies a mac command run by root', () => {
    const source = organization({
      commands: byId(command({ id: 'cmd-mac', commandType: 'mac', user: ROOT_USER_ID })),
    });

    const item = itemOf(plan(source), 'COMMAND', 'cmd-mac');

    expect(item).toMatchObject({ outcome: 'COPIED', reasons: [], droppedReferences: [] });
    expect(item.content).toMatchObject({ commandType: 'mac', user: ROOT_USER_ID, command: 'echo hello' });
  });

  it.each(['linux', 'mac'] as const)('skips a %s command run by a non-root user', (commandType) => {
    const source = organization({
      commands: byId(command({ id: 'cmd', commandType, user: '5f0000000000000000000001' })),
    });

    expect(itemOf(plan(source), 'COMMAND', 'cmd')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['NON_ROOT_UNIX_COMMAND'],
      newId: null,
      content: null,
    });
  });

  it('drops the files uploaded on a command', () => {
    const source = organization({ commands: byId(command({ id: 'cmd', files: ['file-1', 'file-2'] })) });

    const item = itemOf(plan(source), 'COMMAND', 'cmd');

    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['COMMAND_FILES_OMITTED'],
      omittedFields: ['files'],
      droppedReferences: [
        { field: 'files', targetKind: 'FILE', targetId: 'file-1', cause: 'TARGET_NEVER_CLONED' },
        { field: 'files', targetKind: 'FILE', targetId: 'file-2', cause: 'TARGET_NEVER_CLONED' },
      ],
    });
    expect(item.content?.files).toEqual([]);
  });

  it('binds the copy to the copies of its device groups and drops a binding to a deselected one', () => {
    const source = organization({
      deviceGroups: byId(deviceGroup({ id: 'dg-1' }), deviceGroup({ id: 'dg-2' })),
      commands: byId(command({ id: 'cmd', deviceGroupIds: ['dg-1', 'dg-2', 'dg-gone'] })),
    });

    const item = itemOf(plan(source, { selection: { excludedItemIds: ['dg-2'] } }), 'COMMAND', 'cmd');

    expect(item.content?.deviceGroupIds).toEqual([newId('DEVICE_GROUP', 'dg-1')]);
    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['BINDING_NOT_CLONED'],
      droppedReferences: [
        { field: 'deviceGroupIds', targetKind: 'DEVICE_GROUP', targetId: 'dg-2', cause: 'TARGET_EXCLUDED' },
        {
          field: 'deviceGroupIds',
          targetKind: 'DEVICE_GROUP',
          targetId: 'dg-gone',
          cause: 'TARGET_NOT_FOUND',
        },
      ],
    });
  });

  it('excludes a deselected command, and every command when COMMANDS is deselected', () => {
    const source = organization({ commands: byId(command({ id: 'cmd-1' }), command({ id: 'cmd-2' })) });

    const one = plan(source, { selection: { excludedItemIds: ['cmd-1'] } });
    const all = plan(source, { selection: { excludedCategories: ['COMMANDS'] } });

    expect(itemOf(one, 'COMMAND', 'cmd-1')).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
    });
    expect(itemOf(one, 'COMMAND', 'cmd-2').outcome).toBe('COPIED');
    expect(all.items.filter((item) => item.kind === 'COMMAND').map((item) => item.outcome)).toEqual([
      'EXCLUDED',
      'EXCLUDED',
    ]);
  });
});

describe('policies', () => {
  it('copies a policy with an optional textarea, leaving that value out and naming the field', () => {
    const source = organization({
      policies: byId(
        policy({
          id: 'pol',
          values: [
            { configFieldID: 'f-enabled', value: true, sensitive: false },
            { configFieldID: 'f-banner', value: { sealed: 'v1:key:iv:body:tag' }, sensitive: false },
            { configFieldID: 'f-delay', value: 30, sensitive: false },
          ],
        }),
      ),
    });

    const item = itemOf(plan(source), 'POLICY', 'pol');

    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['SENSITIVE_VALUE_OMITTED'],
      omittedFields: ['bannerText'],
    });
    expect(item.content?.values).toEqual([
      { configFieldID: 'f-enabled', value: true, sensitive: false },
      { configFieldID: 'f-delay', value: 30, sensitive: false },
    ]);
  });

  it('leaves a text value out even when it is held in plain text', () => {
    const source = organization({
      policies: byId(
        policy({ id: 'pol', values: [{ configFieldID: 'f-motd', value: 'plain motd', sensitive: false }] }),
      ),
    });

    const result = plan(source);

    expect(itemOf(result, 'POLICY', 'pol')).toMatchObject({
      omittedFields: ['motd'],
      reasons: ['SENSITIVE_VALUE_OMITTED'],
    });
    expect(JSON.stringify(result)).not.toContain('plain motd');
  });

  it('skips a policy with a required file (PolicySkippedSensitive)', () => {
    const source = organization({
      policies: byId(
        policy({
          id: 'pol',
          templateId: 'tpl-certificate',
          values: [
            { configFieldID: 'f-cert', value: { sealed: 'v1:key:iv:cert:tag' }, sensitive: true },
            { configFieldID: 'f-keychain', value: 'System', sensitive: false },
          ],
        }),
      ),
    });

    expect(itemOf(plan(source), 'POLICY', 'pol')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['REQUIRED_SENSITIVE_VALUE'],
      omittedFields: ['certificate'],
      newId: null,
      content: null,
    });
  });

  it('skips a policy whose required field is marked sensitive by the template', () => {
    const source = organization({ policies: byId(policy({ id: 'pol', templateId: 'tpl-required-secret' })) });

    expect(itemOf(plan(source), 'POLICY', 'pol')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['REQUIRED_SENSITIVE_VALUE'],
      omittedFields: ['secret'],
    });
  });

  it('omits a value flagged sensitive on a checkbox field', () => {
    const source = organization({
      policies: byId(
        policy({
          id: 'pol',
          templateId: 'tpl-token',
          values: [{ configFieldID: 'f-flag', value: { sealed: 'v1:key:iv:flag:tag' }, sensitive: true }],
        }),
      ),
    });

    const item = itemOf(plan(source), 'POLICY', 'pol');

    expect(item).toMatchObject({ outcome: 'COPIED_WITH_OMISSIONS', omittedFields: ['flag'] });
    expect(item.content?.values).toEqual([]);
  });

  it('omits a value of a field the template marks sensitive', () => {
    const source = organization({
      policies: byId(
        policy({
          id: 'pol',
          templateId: 'tpl-token',
          values: [
            { configFieldID: 'f-flag', value: true, sensitive: false },
            { configFieldID: 'f-token', value: { sealed: 'v1:key:iv:token:tag' }, sensitive: false },
          ],
        }),
      ),
    });

    expect(itemOf(plan(source), 'POLICY', 'pol')).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      omittedFields: ['token'],
      content: { values: [{ configFieldID: 'f-flag', value: true, sensitive: false }] },
    });
  });

  it('copies a policy with no sensitive value as it is', () => {
    const source = organization({
      policies: byId(
        policy({ id: 'pol', values: [{ configFieldID: 'f-delay', value: 5, sensitive: false }] }),
      ),
    });

    expect(itemOf(plan(source), 'POLICY', 'pol')).toMatchObject({
      outcome: 'COPIED',
      reasons: [],
      omittedFields: [],
    });
  });

  it('skips a policy of an unknown template and leaves out a value of an unknown field', () => {
    const source = organization({
      policies: byId(
        policy({ id: 'pol-unknown', templateId: 'tpl-missing' }),
        policy({ id: 'pol-extra', values: [{ configFieldID: 'f-nope', value: 1, sensitive: false }] }),
      ),
    });

    const result = plan(source);

    expect(itemOf(result, 'POLICY', 'pol-unknown')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['TEMPLATE_NOT_FOUND'],
    });
    expect(itemOf(result, 'POLICY', 'pol-extra')).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['UNKNOWN_CONFIG_FIELD'],
      omittedFields: ['f-nope'],
    });
  });

  it('follows the shipped catalogue: a Wi-Fi policy loses its password, a login window text policy is skipped', () => {
    const wifi = findPolicyTemplate('64f0a1b2c3d4e5f601000003')!;
    const loginText = findPolicyTemplate('64f0a1b2c3d4e5f601000001')!;
    const source = organization({
      policies: byId(
        policy({
          id: 'pol-wifi',
          templateId: wifi.id,
          values: [
            { configFieldID: '64f0a1b2c3d4e5f602030002', value: 'WPA2', sensitive: false },
            { configFieldID: '64f0a1b2c3d4e5f602030003', value: { sealed: 'v1:k:i:b:t' }, sensitive: true },
          ],
        }),
        policy({ id: 'pol-login', templateId: loginText.id }),
      ),
    });

    const result = plan(source, { templates: findPolicyTemplate });

    // SSID is a required text field of the Wi-Fi template: the policy cannot be copied at all.
    expect(itemOf(result, 'POLICY', 'pol-wifi')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['REQUIRED_SENSITIVE_VALUE'],
      omittedFields: ['SSID_STR'],
    });
    expect(itemOf(result, 'POLICY', 'pol-login')).toMatchObject({
      outcome: 'SKIPPED',
      omittedFields: ['LoginwindowText'],
    });
  });

  it('binds a copied policy to the copies of its device groups only', () => {
    const source = organization({
      deviceGroups: byId(deviceGroup({ id: 'dg-1' })),
      policies: byId(policy({ id: 'pol', deviceGroupIds: ['dg-1'] })),
    });

    const kept = itemOf(plan(source), 'POLICY', 'pol');
    const dropped = itemOf(
      plan(source, { selection: { excludedCategories: ['DEVICE_GROUPS'] } }),
      'POLICY',
      'pol',
    );

    expect(kept.content?.deviceGroupIds).toEqual([newId('DEVICE_GROUP', 'dg-1')]);
    expect(dropped).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['BINDING_NOT_CLONED'],
      content: { deviceGroupIds: [] },
    });
  });
});

describe('policy groups', () => {
  const source = organization({
    policies: byId(
      policy({ id: 'pol-ok' }),
      policy({ id: 'pol-cert', templateId: 'tpl-certificate' }),
      policy({ id: 'pol-secret', templateId: 'tpl-required-secret' }),
    ),
    policyGroups: byId(
      policyGroup({ id: 'pg-mixed', policyIds: ['pol-ok', 'pol-cert'] }),
      policyGroup({ id: 'pg-lost', policyIds: ['pol-cert', 'pol-secret'] }),
      policyGroup({ id: 'pg-ok', policyIds: ['pol-ok'] }),
    ),
  });

  it('copies a group with its copied members and lists the dropped ones', () => {
    const item = itemOf(plan(source), 'POLICY_GROUP', 'pg-mixed');

    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['MEMBER_NOT_CLONED'],
      droppedReferences: [
        { field: 'policyIds', targetKind: 'POLICY', targetId: 'pol-cert', cause: 'TARGET_SKIPPED' },
      ],
    });
    expect(item.content?.policyIds).toEqual([newId('POLICY', 'pol-ok')]);
  });

  it('copies a group whose members were all skipped, empty, listing every member it lost', () => {
    const item = itemOf(plan(source), 'POLICY_GROUP', 'pg-lost');

    expect(item).toMatchObject({ outcome: 'COPIED_WITH_OMISSIONS', reasons: ['MEMBER_NOT_CLONED'] });
    expect(item.droppedReferences.map((reference) => reference.targetId)).toEqual(['pol-cert', 'pol-secret']);
    expect(item.content?.policyIds).toEqual([]);
  });

  it('copies a group whose members are all copied as it is', () => {
    expect(itemOf(plan(source), 'POLICY_GROUP', 'pg-ok')).toMatchObject({ outcome: 'COPIED', reasons: [] });
  });

  it('drops a member deselected item by item (cause TARGET_EXCLUDED)', () => {
    const item = itemOf(
      plan(source, { selection: { excludedItemIds: ['pol-ok'] } }),
      'POLICY_GROUP',
      'pg-ok',
    );

    expect(item.droppedReferences).toEqual([
      { field: 'policyIds', targetKind: 'POLICY', targetId: 'pol-ok', cause: 'TARGET_EXCLUDED' },
    ]);
  });

  it('excludes policy groups with the POLICIES category', () => {
    const result = plan(source, { selection: { excludedCategories: ['POLICIES'] } });

    expect(
      result.items
        .filter((item) => item.category === 'POLICIES')
        .every((item) => item.outcome === 'EXCLUDED'),
    ).toBe(true);
  });
});

describe('user groups', () => {
  it('copies a user group without its users, exemptions and bindings', () => {
    const source = organization({
      userGroups: byId(
        userGroup({
          id: 'ug',
          membershipMethod: 'DYNAMIC_AUTOMATED',
          memberQuery: {
            queryType: 'FilterQuery',
            filters: [{ field: 'department', operator: 'eq', value: 'IT' }],
          },
          memberUserIds: ['user-1', 'user-2'],
          memberQueryExemptions: [{ id: 'user-3', type: 'user' }],
          bindings: [
            { type: 'application', id: 'app-1' },
            { type: 'ldap_server', id: 'ldap-1' },
          ],
        }),
      ),
    });

    const item = itemOf(plan(source), 'USER_GROUP', 'ug');

    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['MEMBERS_NOT_COPIED', 'BINDING_NOT_CLONED'],
      omittedFields: ['memberUserIds', 'memberQueryExemptions', 'bindings'],
      droppedReferences: [
        { field: 'bindings', targetKind: 'APPLICATION', targetId: 'app-1', cause: 'TARGET_NEVER_CLONED' },
        { field: 'bindings', targetKind: 'LDAP_SERVER', targetId: 'ldap-1', cause: 'TARGET_NEVER_CLONED' },
      ],
    });
    expect(item.content).toMatchObject({
      id: newId('USER_GROUP', 'ug'),
      memberUserIds: [],
      memberQueryExemptions: [],
      bindings: [],
      memberQuery: source.userGroups.ug!.memberQuery,
      clonedFromId: 'ug',
    });
  });

  it('copies a user group that has no users as it is', () => {
    const source = organization({ userGroups: byId(userGroup({ id: 'ug' })) });

    expect(itemOf(plan(source), 'USER_GROUP', 'ug')).toMatchObject({ outcome: 'COPIED', reasons: [] });
  });
});

describe('device groups', () => {
  it('copies a device group without its devices and MDM settings', () => {
    const source = organization({
      deviceGroups: byId(
        deviceGroup({
          id: 'dg',
          memberDeviceIds: ['device-1'],
          mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: false },
          attributes: { os: 'darwin' },
        }),
      ),
    });

    const item = itemOf(plan(source), 'DEVICE_GROUP', 'dg');

    expect(item).toMatchObject({
      outcome: 'COPIED_WITH_OMISSIONS',
      reasons: ['DEVICES_NOT_COPIED', 'MDM_SETTINGS_NOT_COPIED'],
      omittedFields: ['memberDeviceIds', 'mdm'],
    });
    expect(item.content).toMatchObject({ memberDeviceIds: [], mdm: null, attributes: { os: 'darwin' } });
  });
});

describe('MFA', () => {
  it('copies push, TOTP and WebAuthn, and skips Duo without reading it', () => {
    const source = organization({
      mfa: {
        push: { enabled: true },
        totp: { enabled: true },
        webAuthn: { enabled: true, allowSelfRegistration: true },
        duo: {
          accountId: 'duo-account',
          apiHost: 'api-1.duosecurity.com',
          integrationKey: 'DI-KEY',
          secretKey: { sealed: 'x' },
        },
      },
    });

    const result = plan(source);

    expect(itemOf(result, 'MFA_METHOD', 'webAuthn')).toMatchObject({
      outcome: 'COPIED',
      content: { method: 'webAuthn', settings: { enabled: true, allowSelfRegistration: true } },
    });
    expect(itemOf(result, 'MFA_METHOD', 'push').content).toEqual({
      method: 'push',
      settings: { enabled: true },
    });
    expect(itemOf(result, 'DUO_CONFIGURATION', 'duo')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['DUO_NOT_CLONED'],
      content: null,
    });
    expect(JSON.stringify(result)).not.toContain('DI-KEY');
  });

  it('has no Duo item when Duo is not configured, and excludes MFA with its category', () => {
    const result = plan(organization(), { selection: { excludedCategories: ['MFA'] } });

    expect(
      result.items.filter((item) => item.category === 'MFA').map((item) => [item.sourceId, item.outcome]),
    ).toEqual([
      ['push', 'EXCLUDED'],
      ['totp', 'EXCLUDED'],
      ['webAuthn', 'EXCLUDED'],
    ]);
  });
});

describe('conditional access policies', () => {
  const source = organization({
    userGroups: byId(userGroup({ id: 'ug-staff' }), userGroup({ id: 'ug-admins' })),
    ipLists: byId(ipList({ id: 'ip-office' }), ipList({ id: 'ip-vpn' }), ipList({ id: 'ip-unused' })),
    conditionalAccessPolicies: byId(
      accessPolicy({
        id: 'ca-all-apps',
        type: 'application',
        targets: {
          resources: [{ type: 'application' }],
          userGroups: { inclusions: ['ug-staff'], exclusions: [] },
        },
        conditions: { not: { ipAddressIn: ['ip-office'] } },
      }),
      accessPolicy({
        id: 'ca-one-app',
        type: 'application',
        targets: { resources: [{ type: 'application', id: 'app-salesforce' }] },
      }),
      accessPolicy({
        id: 'ca-excluding',
        targets: { userGroups: { inclusions: [], exclusions: ['ug-admins'] } },
        conditions: { any: [{ ipAddressIn: ['ip-vpn'] }, { deviceManaged: true }] },
      }),
      accessPolicy({ id: 'ca-users', targets: { users: { inclusions: ['user-1'] } } }),
    ),
  });

  it('copies a policy for all applications (no id) and skips one for a given application', () => {
    const result = plan(source);

    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-all-apps')).toMatchObject({
      outcome: 'COPIED',
      reasons: [],
    });
    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-one-app')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['APP_SPECIFIC_POLICY'],
      droppedReferences: [
        {
          field: 'targets.resources',
          targetKind: 'APPLICATION',
          targetId: 'app-salesforce',
          cause: 'TARGET_NEVER_CLONED',
        },
      ],
    });
  });

  it('remaps user groups and IP lists in a copied policy', () => {
    const item = itemOf(plan(source), 'CONDITIONAL_ACCESS_POLICY', 'ca-all-apps');

    expect(item.content).toMatchObject({
      id: newId('CONDITIONAL_ACCESS_POLICY', 'ca-all-apps'),
      targets: { userGroups: { inclusions: [newId('USER_GROUP', 'ug-staff')], exclusions: [] } },
      conditions: { not: { ipAddressIn: [newId('IP_LIST', 'ip-office')] } },
      clonedFromId: 'ca-all-apps',
    });
  });

  it('carries the IP lists of copied policies along (ids remapped) and leaves an unused one behind', () => {
    const result = plan(source);

    expect(itemOf(result, 'IP_LIST', 'ip-office')).toMatchObject({
      outcome: 'COPIED',
      newId: newId('IP_LIST', 'ip-office'),
      content: { id: newId('IP_LIST', 'ip-office'), ips: ['10.0.0.0/8'], clonedFromId: 'ip-office' },
    });
    expect(itemOf(result, 'IP_LIST', 'ip-unused')).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['NOT_REFERENCED'],
    });
    expect(result.remap).toContainEqual({
      kind: 'IP_LIST',
      sourceId: 'ip-office',
      newId: newId('IP_LIST', 'ip-office'),
    });
  });

  it('skips a policy excluding a user group deselected item by item, and its IP list stays behind', () => {
    const result = plan(source, { selection: { excludedItemIds: ['ug-admins'] } });

    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-excluding')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['USER_GROUP_NOT_CLONED'],
      droppedReferences: [
        {
          field: 'targets.userGroups.exclusions',
          targetKind: 'USER_GROUP',
          targetId: 'ug-admins',
          cause: 'TARGET_EXCLUDED',
        },
      ],
    });
    expect(itemOf(result, 'IP_LIST', 'ip-vpn')).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['NOT_REFERENCED'],
    });
  });

  it('skips every policy with user-group targets when USER_GROUPS is deselected', () => {
    const result = plan(source, { selection: { excludedCategories: ['USER_GROUPS'] } });

    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-excluding')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['USER_GROUP_NOT_CLONED'],
    });
    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-all-apps')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['USER_GROUP_NOT_CLONED'],
    });
  });

  it('skips a policy targeting users one by one (users are never cloned)', () => {
    expect(itemOf(plan(source), 'CONDITIONAL_ACCESS_POLICY', 'ca-users')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['USER_NOT_CLONED'],
      droppedReferences: [
        {
          field: 'targets.users.inclusions',
          targetKind: 'USER',
          targetId: 'user-1',
          cause: 'TARGET_NEVER_CLONED',
        },
      ],
    });
  });

  it('skips a policy whose condition uses a deselected IP list', () => {
    const result = plan(source, { selection: { excludedItemIds: ['ip-office'] } });

    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-all-apps')).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['IP_LIST_NOT_CLONED'],
      droppedReferences: [
        {
          field: 'conditions.ipAddressIn',
          targetKind: 'IP_LIST',
          targetId: 'ip-office',
          cause: 'TARGET_EXCLUDED',
        },
      ],
    });
  });

  it('copies a policy without user-group targets when USER_GROUPS is deselected', () => {
    const lone = organization({ conditionalAccessPolicies: byId(accessPolicy({ id: 'ca-plain' })) });

    const result = plan(lone, { selection: { excludedCategories: ['USER_GROUPS'] } });

    expect(itemOf(result, 'CONDITIONAL_ACCESS_POLICY', 'ca-plain').outcome).toBe('COPIED');
  });
});

describe('features', () => {
  it('keeps the source value or resets to JumpCloud’s default, per feature', () => {
    const source = organization({
      features: { directoryInsights: true, systemInsights: true, remoteAssist: false },
    });

    const result = plan(source, { selection: { features: { systemInsights: 'JUMPCLOUD_DEFAULT' } } });

    expect(itemOf(result, 'FEATURE', 'directoryInsights')).toMatchObject({
      outcome: 'COPIED',
      content: { feature: 'directoryInsights', enabled: true },
    });
    expect(itemOf(result, 'FEATURE', 'systemInsights')).toMatchObject({
      outcome: 'RESET_TO_DEFAULT',
      reasons: ['JUMPCLOUD_DEFAULT_SELECTED'],
      content: { feature: 'systemInsights', enabled: false },
    });
    expect(itemOf(result, 'FEATURE', 'remoteAssist').content).toEqual({
      feature: 'remoteAssist',
      enabled: false,
    });
  });
});

describe('admins', () => {
  const source = organization({ adminIds: ['admin-1', 'admin-2', 'admin-3'] });
  const providerAdmins = [
    { id: 'admin-1', email: 'one@msp.example' },
    { id: 'admin-2', email: 'two@msp.example' },
  ];

  it('copies the access of every admin but the deselected ones', () => {
    const result = plan(source, { selection: { excludedAdminIds: ['admin-2'] } });

    expect(itemOf(result, 'ADMIN_ACCESS', 'admin-1')).toMatchObject({
      outcome: 'COPIED',
      content: { administratorId: 'admin-1' },
    });
    expect(itemOf(result, 'ADMIN_ACCESS', 'admin-2')).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
    });
  });

  it('names admins by email and leaves behind one the provider no longer has', () => {
    const result = plan(source, { providerAdmins });

    expect(itemOf(result, 'ADMIN_ACCESS', 'admin-1').name).toBe('one@msp.example');
    expect(itemOf(result, 'ADMIN_ACCESS', 'admin-3')).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['ADMIN_NOT_FOUND'],
    });
  });
});

describe('the plan as a whole', () => {
  const source = organization({
    users: byId({ id: 'user-1', username: 'jane', email: 'jane@example.com' }),
    devices: byId(
      { id: 'device-1', hostname: 'mac-1', os: 'Mac OS X' },
      { id: 'device-2', hostname: 'pc-1', os: 'Windows' },
    ),
    deviceGroups: byId(deviceGroup({ id: 'dg' })),
    commands: byId(
      command({ id: 'cmd', deviceGroupIds: ['dg'] }),
      command({ id: 'cmd-user', user: 'user-1' }),
    ),
    adminIds: ['admin-1'],
  });

  it('counts users and devices without making them items', () => {
    const result = plan(source);

    expect(result.counts).toEqual({ users: 1, devices: 2 });
    expect(result.items.some((item) => item.sourceId === 'user-1' || item.sourceId === 'device-1')).toBe(
      false,
    );
  });

  it('orders items so that every item comes after the items its copy references', () => {
    const result = plan(source);

    expect(result.items.map((item) => item.index)).toEqual(result.items.map((_, index) => index));
    const position = (kind: string, id: string) =>
      result.items.findIndex((item) => item.kind === kind && item.sourceId === id);
    expect(position('DEVICE_GROUP', 'dg')).toBeLessThan(position('COMMAND', 'cmd'));
  });

  it('totals items per category and outcome', () => {
    const result = plan(source);

    expect(result.totals.COMMANDS).toEqual({
      COPIED: 1,
      COPIED_WITH_OMISSIONS: 0,
      RESET_TO_DEFAULT: 0,
      SKIPPED: 1,
      EXCLUDED: 0,
    });
    expect(result.totals.USER_PORTAL.COPIED).toBe(1);
    expect(result.totals.FEATURES.COPIED).toBe(3);
  });

  it('lists the new id of every created item in the remap table, and no other', () => {
    const result = plan(source);

    expect(result.remap).toEqual([
      { kind: 'DEVICE_GROUP', sourceId: 'dg', newId: newId('DEVICE_GROUP', 'dg') },
      { kind: 'COMMAND', sourceId: 'cmd', newId: newId('COMMAND', 'cmd') },
    ]);
    expect(newId('COMMAND', 'cmd')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('neither changes the source nor shares objects with it', () => {
    const rich = richSource();
    const before = structuredClone(rich);

    const result = plan(rich);
    for (const item of result.items) {
      if (item.kind === 'SETTING' && item.content) item.content.values = {} as never;
      if (item.kind === 'CONDITIONAL_ACCESS_POLICY' && item.content)
        item.content.effect.obligations.mfaFactors.push({ type: 'DUO' });
      if (item.kind === 'USER_GROUP' && item.content) item.content.attributes.ldapGroups.push({ name: 'x' });
    }

    expect(rich).toEqual(before);
  });

  it('records the source, its version, the trimmed name and the new organization id', () => {
    const result = plan(source, { name: '  Acme (clone)  ', sourceVersion: 12345678901234567890n });

    expect(result).toMatchObject({
      sourceOrganizationId: 'org-source',
      sourceVersion: '12345678901234567890',
      name: 'Acme (clone)',
      cloneId: 'clone-1',
    });
    expect(result.newOrganizationId).toMatch(/^[0-9a-f]{24}$/);
  });
});
