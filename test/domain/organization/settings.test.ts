import { describe, expect, it } from 'vitest';
import type { OrganizationCommand, SettingsPatch } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import { defaultSettings } from '../../../src/domain/organization/defaults.js';
import { SETTING_CATEGORIES } from '../../../src/domain/organization/model.js';
import { SETTING_RULES } from '../../../src/domain/organization/validation/settings.js';
import { specFor } from '../given-when-then.js';
import { history, recordingSealer } from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());
const org = history([]);
const update = (settings: SettingsPatch): OrganizationCommand => ({
  type: 'UpdateSettings',
  data: { settings },
});

describe('UpdateSettings', () => {
  it('emits the whole category after the change', () => {
    spec
      .given(org)
      .when(update({ USER_PORTAL: { idleSessionDurationMinutes: 240, cookieExpirationType: 'date' } }))
      .then([
        {
          type: 'SettingsUpdated',
          data: {
            category: 'USER_PORTAL',
            settings: {
              systemUsersCanEdit: true,
              enableUserPortalAgentInstall: false,
              idleSessionDurationMinutes: 240,
              cookieExpirationType: 'date',
            },
          },
        },
      ]);
  });

  it('emits one event per changed category, in wizard order, and none for unchanged ones', () => {
    const events = spec
      .given(org)
      .when(
        update({
          UID_GID_MANAGEMENT: { enableManagedUID: true },
          ADMIN_MANAGEMENT: { disableGoogleLogin: false },
          PASSWORD_SETTINGS: { passwordPolicy: { minLength: 12 } },
        }),
      )
      .events();
    expect(events.map((event) => event.type === 'SettingsUpdated' && event.data.category)).toEqual([
      'PASSWORD_SETTINGS',
      'UID_GID_MANAGEMENT',
    ]);
  });

  it('merges a nested partial update into the password policy', () => {
    const state = spec
      .given(org)
      .when(update({ PASSWORD_SETTINGS: { passwordCompliance: 'pci3', passwordPolicy: { maxHistory: 24 } } }))
      .state();
    expect(state.settings.PASSWORD_SETTINGS).toEqual({
      passwordCompliance: 'pci3',
      passwordPolicy: { ...defaultSettings().PASSWORD_SETTINGS.passwordPolicy, maxHistory: 24 },
    });
  });

  it('decides nothing when nothing changes', () => {
    spec
      .given(org)
      .when(update({ USER_PORTAL: { idleSessionDurationMinutes: 60 } }))
      .then([]);
    spec.given(org).when(update({})).then([]);
  });

  it('updates the password configurations of M365 and LDAP', () => {
    const state = spec
      .given(org)
      .when(
        update({
          PASSWORD_CONFIGURATIONS: {
            m365: { userLockoutAction: 'suspend' },
            ldap: { userPasswordExpirationAction: 'remove' },
          },
        }),
      )
      .state();
    expect(state.settings.PASSWORD_CONFIGURATIONS).toEqual({
      m365: { userLockoutAction: 'suspend', userPasswordExpirationAction: 'maintain' },
      ldap: { userLockoutAction: 'disable', userPasswordExpirationAction: 'remove' },
    });
  });

  const ranges: [string, number, number][] = [
    ['USER_PORTAL.idleSessionDurationMinutes', 1, 129_600],
    ['PASSWORD_SETTINGS.passwordPolicy.minLength', 8, 64],
    ['PASSWORD_SETTINGS.passwordPolicy.maxHistory', 1, 24],
    ['PASSWORD_SETTINGS.passwordPolicy.lockoutTimeInSeconds', 300, 5_400],
  ];

  function patchAt(path: string, value: unknown): SettingsPatch {
    const keys = path.split('.');
    return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as SettingsPatch;
  }

  describe.each(ranges)('%s within %i..%i', (path, min, max) => {
    it.each([min, max])('accepts %i', (value) => {
      const state = spec
        .given(org)
        .when(update(patchAt(path, value)))
        .state();
      const stored = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], state.settings);
      expect(stored).toBe(value);
    });

    it.each([min - 1, max + 1, min + 0.5])('refuses %d', (value) => {
      spec
        .given(org)
        .when(update(patchAt(path, value)))
        .then({ code: 'VALIDATION_FAILED', field: `settings.${path}` });
    });
  });

  it.each([
    ['PASSWORD_SETTINGS.passwordPolicy.minChangePeriodInDays', 0, -1],
    ['PASSWORD_SETTINGS.passwordPolicy.passwordExpirationInDays', 1, 0],
    ['PASSWORD_SETTINGS.passwordPolicy.daysBeforeExpirationToForceReset', 1, 0],
    ['PASSWORD_SETTINGS.passwordPolicy.maxLoginAttempts', 1, 0],
    ['PASSWORD_SETTINGS.passwordPolicy.resetLockoutCounterMinutes', 1, 0],
  ])('%s accepts its minimum %i and refuses %i', (path, min, below) => {
    expect(
      spec
        .given(org)
        .when(update(patchAt(path, min)))
        .events(),
    ).toHaveLength(1);
    spec
      .given(org)
      .when(update(patchAt(path, below)))
      .then({ code: 'VALIDATION_FAILED', field: `settings.${path}` });
  });

  it.each([
    ['USER_PORTAL.cookieExpirationType', 'forever'],
    ['PASSWORD_SETTINGS.passwordCompliance', 'nist'],
    ['PASSWORD_CONFIGURATIONS.m365.userLockoutAction', 'remove'],
    ['PASSWORD_CONFIGURATIONS.ldap.userPasswordExpirationAction', 'suspend'],
    ['USER_PORTAL.systemUsersCanEdit', 'yes'],
    ['PASSWORD_RECOVERY_EMAIL.enableRecoveryEmail', 1],
  ])('refuses %s = %j', (path, value) => {
    spec
      .given(org)
      .when(update(patchAt(path, value)))
      .then({ code: 'VALIDATION_FAILED', field: `settings.${path}` });
  });

  it('refuses unknown categories and keys, naming them', () => {
    spec
      .given(org)
      .when(update({ SSO: {} } as never))
      .then({ code: 'VALIDATION_FAILED', field: 'settings.SSO' });
    spec
      .given(org)
      .when(update({ USER_PORTAL: { idleMinutes: 5 } } as never))
      .then({ code: 'VALIDATION_FAILED', field: 'settings.USER_PORTAL.idleMinutes' });
    spec
      .given(org)
      .when(update({ PASSWORD_SETTINGS: { passwordPolicy: { minimumLength: 9 } } } as never))
      .then({ code: 'VALIDATION_FAILED', field: 'settings.PASSWORD_SETTINGS.passwordPolicy.minimumLength' });
  });

  it('has a rule for exactly the keys of every category', () => {
    const keysOf = (value: object): string[] =>
      Object.entries(value).flatMap(([key, inner]) =>
        typeof inner === 'object' && inner !== null ? keysOf(inner).map((sub) => `${key}.${sub}`) : [key],
      );
    const ruleKeys = (rules: object): string[] =>
      Object.entries(rules).flatMap(([key, rule]) =>
        (rule as { kind: string }).kind === 'group'
          ? ruleKeys((rule as { rules: object }).rules).map((sub) => `${key}.${sub}`)
          : [key],
      );
    for (const category of SETTING_CATEGORIES) {
      expect(ruleKeys(SETTING_RULES[category]).sort()).toEqual(keysOf(defaultSettings()[category]).sort());
    }
  });
});

describe('UpdateProprietarySettings', () => {
  const updateProprietary = (settings: Record<string, unknown>): OrganizationCommand => ({
    type: 'UpdateProprietarySettings',
    data: { settings: settings as never },
  });

  it('sets and removes proprietary settings', () => {
    const set = spec
      .given(org)
      .when(
        updateProprietary({
          contactName: 'Jane Doe',
          contactEmail: 'jane@acme.example',
          maxSystemUsers: 0,
          windowsMDM: { enabled: true, autoEnroll: false },
          trustedAppConfig: { trustedApps: [{ name: 'Slack', teamid: 'BQR82RBBHL' }] },
        }),
      )
      .events();
    expect(set).toEqual([
      {
        type: 'ProprietarySettingsUpdated',
        data: {
          settings: {
            contactName: 'Jane Doe',
            contactEmail: 'jane@acme.example',
            maxSystemUsers: 0,
            windowsMDM: { enabled: true, autoEnroll: false },
            trustedAppConfig: { trustedApps: [{ name: 'Slack', teamid: 'BQR82RBBHL' }] },
          },
        },
      },
    ]);
    spec
      .given([...org, ...set])
      .when(updateProprietary({ contactName: null, maxSystemUsers: 0 }))
      .then([
        {
          type: 'ProprietarySettingsUpdated',
          data: {
            settings: {
              contactEmail: 'jane@acme.example',
              maxSystemUsers: 0,
              windowsMDM: { enabled: true, autoEnroll: false },
              trustedAppConfig: { trustedApps: [{ name: 'Slack', teamid: 'BQR82RBBHL' }] },
            },
          },
        },
      ]);
  });

  it('decides nothing when nothing changes', () => {
    spec
      .given(org)
      .when(updateProprietary({ contactName: null }))
      .then([]);
  });

  it.each([
    [{ contactEmail: 'not-an-email' }, 'settings.contactEmail'],
    [{ maxSystemUsers: -1 }, 'settings.maxSystemUsers'],
    [{ windowsMDM: { enabled: true } }, 'settings.windowsMDM.autoEnroll'],
    [{ trustedAppConfig: 'all' }, 'settings.trustedAppConfig'],
    [{ logoUrl: 'x' }, 'settings.logoUrl'],
    [{ contactName: 'x'.repeat(101) }, 'settings.contactName'],
  ])('refuses %j', (settings, field) => {
    spec.given(org).when(updateProprietary(settings)).then({ code: 'VALIDATION_FAILED', field });
  });
});

describe('SetFeatures', () => {
  it('sets the given features and keeps the others', () => {
    spec
      .given(org)
      .when({ type: 'SetFeatures', data: { features: { remoteAssist: true, systemInsights: true } } })
      .then([
        {
          type: 'FeaturesSet',
          data: { features: { directoryInsights: false, systemInsights: true, remoteAssist: true } },
        },
      ]);
  });

  it('decides nothing when nothing changes', () => {
    spec
      .given(org)
      .when({ type: 'SetFeatures', data: { features: { remoteAssist: false } } })
      .then([]);
  });

  it('refuses unknown features and non-boolean values', () => {
    spec
      .given(org)
      .when({ type: 'SetFeatures', data: { features: { zeroTrust: true } as never } })
      .then({ code: 'VALIDATION_FAILED', field: 'features.zeroTrust' });
    spec
      .given(org)
      .when({ type: 'SetFeatures', data: { features: { directoryInsights: 'on' as never } } })
      .then({ code: 'VALIDATION_FAILED', field: 'features.directoryInsights' });
  });
});
