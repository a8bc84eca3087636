import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import type { PolicyValue } from '../../../src/domain/organization/model.js';
import { specFor } from '../given-when-then.js';
import { addDeviceGroup, history, recordingSealer } from './fixtures.js';

/** Catalogue ids (src/domain/policy-templates/catalogue.ts). */
const T = {
  loginWindowText: '64f0a1b2c3d4e5f601000001',
  registryKeys: '64f0a1b2c3d4e5f601000002',
  wifi: '64f0a1b2c3d4e5f601000003',
  certificate: '64f0a1b2c3d4e5f601000004',
  linuxLockScreen: '64f0a1b2c3d4e5f601000005',
  screensaver: '64f0a1b2c3d4e5f601000006',
  disableUsb: '64f0a1b2c3d4e5f601000008',
  windowsUpdate: '64f0a1b2c3d4e5f60100000a',
  motd: '64f0a1b2c3d4e5f60100000b',
  allowedApps: '64f0a1b2c3d4e5f60100000c',
  kiosk: '64f0a1b2c3d4e5f60100000d',
  linuxUpdates: '64f0a1b2c3d4e5f601000010',
};
const F = {
  loginWindowText: '64f0a1b2c3d4e5f602010001',
  registryTable: '64f0a1b2c3d4e5f602020001',
  ssid: '64f0a1b2c3d4e5f602030001',
  encryption: '64f0a1b2c3d4e5f602030002',
  wifiPassword: '64f0a1b2c3d4e5f602030003',
  autoJoin: '64f0a1b2c3d4e5f602030004',
  certificateFile: '64f0a1b2c3d4e5f602040001',
  keychain: '64f0a1b2c3d4e5f602040003',
  lockDelay: '64f0a1b2c3d4e5f602050002',
  idleTime: '64f0a1b2c3d4e5f602060001',
  passwordDelay: '64f0a1b2c3d4e5f602060003',
  usbAccess: '64f0a1b2c3d4e5f602080001',
  branch: '64f0a1b2c3d4e5f6020a0001',
  qualityDeferral: '64f0a1b2c3d4e5f6020a0002',
  featureDeferral: '64f0a1b2c3d4e5f6020a0003',
  activeHoursStart: '64f0a1b2c3d4e5f6020a0004',
  pauseUntil: '64f0a1b2c3d4e5f6020a0006',
  motd: '64f0a1b2c3d4e5f6020b0001',
  allowedApps: '64f0a1b2c3d4e5f6020c0001',
  kioskApp: '64f0a1b2c3d4e5f6020d0001',
  exitPin: '64f0a1b2c3d4e5f6020d0003',
  mailReportTo: '64f0a1b2c3d4e5f602100004',
};

const v = (configFieldID: string, value: unknown, sensitive = false): PolicyValue => ({
  configFieldID,
  value: value as never,
  sensitive,
});

const addPolicy = (
  templateId: string,
  values: PolicyValue[],
  extra: Record<string, unknown> = {},
): OrganizationCommand => ({
  type: 'AddPolicy',
  data: { policyId: 'pol-1', name: 'Policy', templateId, values, ...extra } as never,
});

const org = history([addDeviceGroup('dg-1')]);
const spec = specFor(organizationDecider, recordingSealer());

describe('AddPolicy', () => {
  it('adds a policy with plain values when none is sensitive', () => {
    spec
      .given(org)
      .when(
        addPolicy(T.windowsUpdate, [v(F.branch, 'General Availability Channel'), v(F.qualityDeferral, 7)], {
          notes: 'ring 1',
          deviceGroupIds: ['dg-1'],
          clonedFromId: 'pol-source',
        }),
      )
      .then([
        {
          type: 'PolicyAdded',
          data: {
            policy: {
              id: 'pol-1',
              name: 'Policy',
              notes: 'ring 1',
              templateId: T.windowsUpdate,
              values: [v(F.branch, 'General Availability Channel'), v(F.qualityDeferral, 7)],
              deviceGroupIds: ['dg-1'],
              clonedFromId: 'pol-source',
            },
          },
        },
      ]);
  });

  it('seals the values of text, textarea, file and sensitive fields, and values marked sensitive', () => {
    const sealer = recordingSealer();
    const sealing = specFor(organizationDecider, sealer);
    const cases: [string, PolicyValue[], number[]][] = [
      [T.loginWindowText, [v(F.loginWindowText, 'Property of Acme')], [0]],
      [T.motd, [v(F.motd, 'Welcome\nto Acme')], [0]],
      [
        T.certificate,
        [v(F.certificateFile, { name: 'ca.cer', contentBase64: 'MIIB' }), v(F.keychain, 'System')],
        [0],
      ],
      [T.kiosk, [v(F.kioskApp, 'Photos'), v(F.exitPin, 4321)], [1]],
      [
        T.registryKeys,
        [
          v(
            F.registryTable,
            [{ customLocation: 'HKLM', customValueName: 'x', customRegType: 'DWORD', customData: '1' }],
            true,
          ),
        ],
        [0],
      ],
      [
        T.wifi,
        [v(F.ssid, 'acme-corp'), v(F.encryption, 'WPA3'), v(F.wifiPassword, 'hunter2'), v(F.autoJoin, false)],
        [0, 2],
      ],
    ];
    for (const [templateId, values, sealedIndexes] of cases) {
      sealer.sealedPlainValues.length = 0;
      const [event] = sealing.given(org).when(addPolicy(templateId, values)).events();
      if (event?.type !== 'PolicyAdded') throw new Error(`no PolicyAdded for ${templateId}`);
      const stored = event.data.policy.values;
      expect(sealer.sealedPlainValues, templateId).toEqual(sealedIndexes.map((i) => values[i]?.value));
      stored.forEach((value, index) => {
        if (sealedIndexes.includes(index))
          expect(value.value, templateId).toMatchObject({ sealed: expect.any(String) });
        else expect(value, templateId).toEqual(values[index]);
      });
    }
  });

  describe('validates each value against its template field', () => {
    it.each([
      [
        'checkbox',
        T.wifi,
        [v(F.ssid, 'x'), v(F.encryption, 'WPA2'), v(F.autoJoin, 'yes')],
        'values[2].value',
      ],
      ['number below min', T.linuxLockScreen, [v(F.lockDelay, 0)], 'values[0].value'],
      ['number above max', T.linuxLockScreen, [v(F.lockDelay, 61)], 'values[0].value'],
      ['number as a string', T.linuxLockScreen, [v(F.lockDelay, '5')], 'values[0].value'],
      [
        'numberinline above max',
        T.windowsUpdate,
        [v(F.branch, 'General Availability Channel'), v(F.featureDeferral, 366)],
        'values[1].value',
      ],
      ['select', T.wifi, [v(F.ssid, 'x'), v(F.encryption, 'WPA4')], 'values[1].value'],
      ['radio', T.disableUsb, [v(F.usbAccess, 'Allow all access')], 'values[0].value'],
      [
        'segmentedbutton',
        T.screensaver,
        [v(F.idleTime, '300'), v(F.passwordDelay, '10 minutes')],
        'values[1].value',
      ],
      ['multilist entry', T.allowedApps, [v(F.allowedApps, ['Notepad', 'Solitaire'])], 'values[0].value[1]'],
      ['multilist repeat', T.allowedApps, [v(F.allowedApps, ['Notepad', 'Notepad'])], 'values[0].value[1]'],
      ['multilist shape', T.allowedApps, [v(F.allowedApps, 'Notepad')], 'values[0].value'],
      ['required multilist empty', T.allowedApps, [v(F.allowedApps, [])], 'values[0].value'],
      [
        'table column',
        T.registryKeys,
        [v(F.registryTable, [{ customLocation: 'HKLM', customValueName: 'x', customRegType: 'DWORD' }])],
        'values[0].value[0].customData',
      ],
      [
        'table unknown column',
        T.registryKeys,
        [
          v(F.registryTable, [
            {
              customLocation: 'HKLM',
              customValueName: 'x',
              customRegType: 'DWORD',
              customData: '1',
              hive: 'x',
            },
          ]),
        ],
        'values[0].value[0].hive',
      ],
      ['text', T.loginWindowText, [v(F.loginWindowText, 42)], 'values[0].value'],
      ['required text empty', T.loginWindowText, [v(F.loginWindowText, '  ')], 'values[0].value'],
      [
        'file',
        T.certificate,
        [v(F.certificateFile, { name: 'ca.cer', contentBase64: '***' }), v(F.keychain, 'System')],
        'values[0].value.contentBase64',
      ],
      ['email', T.linuxUpdates, [v(F.mailReportTo, 'ops at acme')], 'values[0].value'],
      [
        'date',
        T.windowsUpdate,
        [v(F.branch, 'General Availability Channel'), v(F.pauseUntil, '2024-04-31')],
        'values[1].value',
      ],
      [
        'timeinput',
        T.windowsUpdate,
        [v(F.branch, 'General Availability Channel'), v(F.activeHoursStart, '8am')],
        'values[1].value',
      ],
      ['null value', T.motd, [v(F.motd, null)], 'values[0].value'],
      [
        'sensitive flag',
        T.motd,
        [{ configFieldID: F.motd, value: 'hi', sensitive: 'yes' as never }],
        'values[0].sensitive',
      ],
      ['unknown key', T.motd, [{ ...v(F.motd, 'hi'), label: 'x' } as never], 'values[0].label'],
    ])('%s', (_kind, templateId, values, field) => {
      spec.given(org).when(addPolicy(templateId, values)).then({ code: 'VALIDATION_FAILED', field });
    });

    it('accepts values at both number bounds, valid dates, times and an empty optional email', () => {
      for (const values of [[v(F.lockDelay, 1)], [v(F.lockDelay, 60)]]) {
        expect(spec.given(org).when(addPolicy(T.linuxLockScreen, values)).events()).toHaveLength(1);
      }
      const windowsUpdate = [
        v(F.branch, 'Windows Insider Program - Beta'),
        v(F.featureDeferral, 365),
        v(F.activeHoursStart, '06:30'),
        v(F.pauseUntil, '2024-02-29'),
      ];
      expect(spec.given(org).when(addPolicy(T.windowsUpdate, windowsUpdate)).events()).toHaveLength(1);
      expect(
        spec
          .given(org)
          .when(addPolicy(T.linuxUpdates, [v(F.mailReportTo, '')]))
          .events(),
      ).toHaveLength(1);
    });
  });

  it('refuses fields the template does not have, repeated fields and missing required fields', () => {
    spec
      .given(org)
      .when(addPolicy(T.motd, [v(F.motd, 'a'), v(F.ssid, 'b')]))
      .then({ code: 'VALIDATION_FAILED', field: 'values[1].configFieldID' });
    spec
      .given(org)
      .when(addPolicy(T.wifi, [v(F.ssid, 'a'), v(F.encryption, 'WPA2'), v(F.ssid, 'b')]))
      .then({ code: 'VALIDATION_FAILED', field: 'values[2].configFieldID' });
    spec
      .given(org)
      .when(addPolicy(T.wifi, [v(F.ssid, 'a')]))
      .then({ code: 'VALIDATION_FAILED', field: 'values' });
  });

  it('accepts a policy whose optional fields are all omitted', () => {
    expect(spec.given(org).when(addPolicy(T.motd, [])).state().policies['pol-1']?.values).toEqual([]);
  });

  it('refuses an unknown template, an unknown device group, a used id and a taken name', () => {
    spec
      .given(org)
      .when(addPolicy('64f0a1b2c3d4e5f6010000ff', []))
      .then({ code: 'NOT_FOUND', field: 'templateId' });
    spec
      .given(org)
      .when(addPolicy(T.motd, [], { deviceGroupIds: ['dg-2'] }))
      .then({ code: 'NOT_FOUND', field: 'deviceGroupIds[0]' });
    const withPolicy = [...org, ...spec.given(org).when(addPolicy(T.motd, [])).events()];
    spec
      .given(withPolicy)
      .when(addPolicy(T.motd, []))
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS', field: 'policyId' });
    spec
      .given(withPolicy)
      .when(addPolicy(T.motd, [], { policyId: 'pol-2', name: ' POLICY ' }))
      .then({ code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'name' });
  });
});

describe('UpdatePolicy', () => {
  const sealer = recordingSealer();
  const updating = specFor(organizationDecider, sealer);
  const wifi = [v(F.ssid, 'acme-corp'), v(F.encryption, 'WPA2'), v(F.wifiPassword, 'hunter2')];
  const withWifi = [...org, ...updating.given(org).when(addPolicy(T.wifi, wifi)).events()];
  const sealedBefore = updating.given(withWifi).state().policies['pol-1']?.values;

  it('replaces the named values, seals them, and keeps the others as they were (sealed)', () => {
    const after = updating
      .given(withWifi)
      .when({
        type: 'UpdatePolicy',
        data: { policyId: 'pol-1', setValues: [v(F.encryption, 'WPA3'), v(F.ssid, 'acme-guest')] },
      })
      .state().policies['pol-1'];
    expect(after?.values.map((value) => value.configFieldID)).toEqual([F.wifiPassword, F.encryption, F.ssid]);
    expect(after?.values[0]).toEqual(sealedBefore?.[2]);
    expect(after?.values[1]).toEqual(v(F.encryption, 'WPA3'));
    expect(after?.values[2]?.value).toMatchObject({ sealed: expect.any(String) });
    expect(sealer.sealedPlainValues).toContain('acme-guest');
  });

  it('clears optional values and renames', () => {
    const after = updating
      .given(withWifi)
      .when({
        type: 'UpdatePolicy',
        data: { policyId: 'pol-1', name: 'Office Wi-Fi', unsetValues: [F.wifiPassword] },
      })
      .state().policies['pol-1'];
    expect(after?.name).toBe('Office Wi-Fi');
    expect(after?.values.map((value) => value.configFieldID)).toEqual([F.ssid, F.encryption]);
  });

  it('decides nothing when nothing changes', () => {
    updating
      .given(withWifi)
      .when({ type: 'UpdatePolicy', data: { policyId: 'pol-1', name: 'Policy' } })
      .then([]);
  });

  it('refuses to clear a required value, unknown or conflicting fields, and a template change', () => {
    updating
      .given(withWifi)
      .when({ type: 'UpdatePolicy', data: { policyId: 'pol-1', unsetValues: [F.ssid] } })
      .then({ code: 'VALIDATION_FAILED', field: 'unsetValues' });
    updating
      .given(withWifi)
      .when({ type: 'UpdatePolicy', data: { policyId: 'pol-1', unsetValues: [F.motd] } })
      .then({ code: 'VALIDATION_FAILED', field: 'unsetValues[0]' });
    updating
      .given(withWifi)
      .when({
        type: 'UpdatePolicy',
        data: { policyId: 'pol-1', setValues: [v(F.ssid, 'x')], unsetValues: [F.ssid] },
      })
      .then({ code: 'VALIDATION_FAILED', field: 'unsetValues[0]' });
    updating
      .given(withWifi)
      .when({ type: 'UpdatePolicy', data: { policyId: 'pol-1', setValues: [v(F.encryption, 'WEP2')] } })
      .then({ code: 'VALIDATION_FAILED', field: 'setValues[0].value' });
    updating
      .given(withWifi)
      .when({ type: 'UpdatePolicy', data: { policyId: 'pol-1', templateId: T.motd } as never })
      .then({ code: 'VALIDATION_FAILED', field: 'templateId' });
    updating
      .given(withWifi)
      .when({ type: 'UpdatePolicy', data: { policyId: 'pol-9', name: 'x' } })
      .then({ code: 'NOT_FOUND', field: 'policyId' });
  });
});

describe('policy groups', () => {
  const policies = history([
    addDeviceGroup('dg-1'),
    addPolicy(T.motd, []),
    {
      type: 'AddPolicy',
      data: { policyId: 'pol-2', name: 'Lock', templateId: T.linuxLockScreen, values: [v(F.lockDelay, 5)] },
    },
  ]);
  const addGroup = (extra: Record<string, unknown> = {}): OrganizationCommand => ({
    type: 'AddPolicyGroup',
    data: {
      policyGroupId: 'pg-1',
      name: 'Linux baseline',
      policyIds: ['pol-1', 'pol-2'],
      deviceGroupIds: ['dg-1'],
      ...extra,
    } as never,
  });
  const withGroup = [...policies, ...spec.given(policies).when(addGroup()).events()];

  it('adds a group with existing member policies and bindings', () => {
    spec
      .given(policies)
      .when(addGroup({ description: 'every Linux box', clonedFromId: 'pg-source' }))
      .then([
        {
          type: 'PolicyGroupAdded',
          data: {
            policyGroup: {
              id: 'pg-1',
              name: 'Linux baseline',
              description: 'every Linux box',
              policyIds: ['pol-1', 'pol-2'],
              deviceGroupIds: ['dg-1'],
              clonedFromId: 'pg-source',
            },
          },
        },
      ]);
  });

  it('refuses member policies that do not exist, repeated members and a taken name', () => {
    spec
      .given(policies)
      .when(addGroup({ policyIds: ['pol-1', 'pol-3'] }))
      .then({ code: 'NOT_FOUND', field: 'policyIds[1]' });
    spec
      .given(policies)
      .when(addGroup({ policyIds: ['pol-1', 'pol-1'] }))
      .then({ code: 'VALIDATION_FAILED', field: 'policyIds[1]' });
    spec
      .given(withGroup)
      .when(addGroup({ policyGroupId: 'pg-2', name: 'linux BASELINE' }))
      .then({ code: 'CONFLICT', reason: 'NAME_TAKEN' });
  });

  it('updates name and description only', () => {
    spec
      .given(withGroup)
      .when({ type: 'UpdatePolicyGroup', data: { policyGroupId: 'pg-1', description: 'v2' } })
      .then([
        {
          type: 'PolicyGroupUpdated',
          data: {
            policyGroup: {
              id: 'pg-1',
              name: 'Linux baseline',
              description: 'v2',
              policyIds: ['pol-1', 'pol-2'],
              deviceGroupIds: ['dg-1'],
            },
          },
        },
      ]);
    spec
      .given(withGroup)
      .when({ type: 'UpdatePolicyGroup', data: { policyGroupId: 'pg-1', policyIds: [] } as never })
      .then({ code: 'VALIDATION_FAILED', field: 'policyIds' });
  });

  it('removes a group', () => {
    spec
      .given(withGroup)
      .when({ type: 'RemovePolicyGroup', data: { policyGroupId: 'pg-1' } })
      .then([{ type: 'PolicyGroupRemoved', data: { policyGroupId: 'pg-1' } }]);
    spec
      .given(policies)
      .when({ type: 'RemovePolicyGroup', data: { policyGroupId: 'pg-1' } })
      .then({ code: 'NOT_FOUND', field: 'policyGroupId' });
  });

  it('takes a removed policy out of its groups first', () => {
    spec
      .given(withGroup)
      .when({ type: 'RemovePolicy', data: { policyId: 'pol-2' } })
      .then([
        { type: 'PolicyRemovedFromPolicyGroup', data: { policyGroupId: 'pg-1', policyId: 'pol-2' } },
        { type: 'PolicyRemoved', data: { policyId: 'pol-2' } },
      ]);
    const after = spec
      .given(withGroup)
      .when({ type: 'RemovePolicy', data: { policyId: 'pol-2' } })
      .state();
    expect(after.policyGroups['pg-1']?.policyIds).toEqual(['pol-1']);
    expect(Object.keys(after.policies)).toEqual(['pol-1']);
  });
});
