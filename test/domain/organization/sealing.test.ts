/**
 * No sensitive value enters an organization event in plain text: markers are planted in every
 * sensitive place an organization has (each sensitive kind of policy field, values marked sensitive,
 * the Duo secret), the events are decided with the application's real sealer, and the whole event
 * payload is scanned. The sealed values must still open to the markers.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/eventstore/types.js';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import type { PolicyValue, SealedValue } from '../../../src/domain/organization/model.js';
import { Sealer } from '../../../src/security/sealer.js';
import { history } from './fixtures.js';

const text = (name: string): string => `MARKER-${name}-${randomBytes(6).toString('hex')}`;
const MARKERS = {
  loginWindowText: text('login-window'),
  ssid: text('ssid'),
  wifiPassword: text('wifi-password'),
  certificateName: `${text('certificate')}.p12`,
  certificateContent: Buffer.from(text('certificate-content')).toString('base64'),
  passphrase: text('passphrase'),
  lockScreenBackground: Buffer.from(text('background')).toString('base64'),
  motd: text('motd'),
  logonTitle: text('logon-title'),
  logonText: text('logon-text'),
  startUrl: text('start-url'),
  homepage: text('homepage'),
  registryData: text('registry-data'),
  updatedPassword: text('updated-password'),
  duoSecret: `MARKERduoSECRET${randomBytes(16).toString('hex').slice(0, 25)}`,
};
const NUMBER_MARKERS = { exitPin: 48_151_623, startupPin: 481_516_234_200 };

const v = (configFieldID: string, value: JsonValue, sensitive = false): PolicyValue => ({
  configFieldID,
  value,
  sensitive,
});
const policy = (policyId: string, templateId: string, values: PolicyValue[]): OrganizationCommand => ({
  type: 'AddPolicy',
  data: { policyId, name: policyId, templateId, values },
});

const commands: OrganizationCommand[] = [
  policy('login-window', '64f0a1b2c3d4e5f601000001', [
    v('64f0a1b2c3d4e5f602010001', MARKERS.loginWindowText),
  ]),
  policy('wifi', '64f0a1b2c3d4e5f601000003', [
    v('64f0a1b2c3d4e5f602030001', MARKERS.ssid),
    v('64f0a1b2c3d4e5f602030002', 'WPA3'),
    v('64f0a1b2c3d4e5f602030003', MARKERS.wifiPassword),
  ]),
  policy('certificate', '64f0a1b2c3d4e5f601000004', [
    v('64f0a1b2c3d4e5f602040001', {
      name: MARKERS.certificateName,
      contentBase64: MARKERS.certificateContent,
    }),
    v('64f0a1b2c3d4e5f602040002', MARKERS.passphrase),
    v('64f0a1b2c3d4e5f602040003', 'System'),
  ]),
  policy('lock-screen', '64f0a1b2c3d4e5f601000005', [
    v('64f0a1b2c3d4e5f602050002', 5),
    v('64f0a1b2c3d4e5f602050003', { name: 'bg.png', contentBase64: MARKERS.lockScreenBackground }),
  ]),
  policy('bitlocker', '64f0a1b2c3d4e5f601000007', [
    v('64f0a1b2c3d4e5f602070001', 'XTS-AES 256'),
    v('64f0a1b2c3d4e5f602070004', NUMBER_MARKERS.startupPin),
  ]),
  policy('motd', '64f0a1b2c3d4e5f60100000b', [v('64f0a1b2c3d4e5f6020b0001', MARKERS.motd)]),
  policy('kiosk', '64f0a1b2c3d4e5f60100000d', [
    v('64f0a1b2c3d4e5f6020d0001', 'Microsoft Edge'),
    v('64f0a1b2c3d4e5f6020d0002', MARKERS.startUrl),
    v('64f0a1b2c3d4e5f6020d0003', NUMBER_MARKERS.exitPin),
  ]),
  policy('logon-message', '64f0a1b2c3d4e5f60100000e', [
    v('64f0a1b2c3d4e5f6020e0001', MARKERS.logonTitle),
    v('64f0a1b2c3d4e5f6020e0002', MARKERS.logonText),
  ]),
  policy('chrome', '64f0a1b2c3d4e5f60100000f', [
    v('64f0a1b2c3d4e5f6020f0001', 'Enhanced protection'),
    v('64f0a1b2c3d4e5f6020f0004', MARKERS.homepage),
  ]),
  policy('registry', '64f0a1b2c3d4e5f601000002', [
    v(
      '64f0a1b2c3d4e5f602020001',
      [
        {
          customLocation: 'HKLM\\SOFTWARE\\Acme',
          customValueName: 'Token',
          customRegType: 'String',
          customData: MARKERS.registryData,
        },
      ],
      true,
    ),
  ]),
  {
    type: 'UpdatePolicy',
    data: { policyId: 'wifi', setValues: [v('64f0a1b2c3d4e5f602030003', MARKERS.updatedPassword)] },
  },
  {
    type: 'ConfigureDuo',
    data: {
      accountId: 'duo-account-1',
      apiHost: 'api-0f1e2d3c.duosecurity.com',
      integrationKey: 'DI0123456789ABCDEFGH',
      secretKey: MARKERS.duoSecret,
    },
  },
];

function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves);
  return [value];
}

function sealedValues(value: unknown): SealedValue[] {
  if (Array.isArray(value)) return value.flatMap(sealedValues);
  if (typeof value !== 'object' || value === null) return [];
  if (Object.keys(value).join() === 'sealed') return [value as SealedValue];
  return Object.values(value).flatMap(sealedValues);
}

describe('sealing', () => {
  const sealer = new Sealer(randomBytes(32));
  const events = history(commands, sealer);

  it('keeps every planted marker out of the events', () => {
    const payload = JSON.stringify(events);
    for (const [place, marker] of Object.entries(MARKERS)) expect(payload, place).not.toContain(marker);
    const numbers = leaves(events).filter((leaf) => typeof leaf === 'number');
    for (const [place, marker] of Object.entries(NUMBER_MARKERS))
      expect(numbers, place).not.toContain(marker);
  });

  it('keeps the sealed values, which open to exactly the planted values', () => {
    const opened = sealedValues(events).map((sealed) => sealer.unseal(sealed));
    const openedLeaves = leaves(opened);
    for (const marker of [...Object.values(MARKERS), ...Object.values(NUMBER_MARKERS)]) {
      expect(openedLeaves).toContain(marker);
    }
  });

  it('leaves non-sensitive values plain', () => {
    const payload = JSON.stringify(events);
    for (const plain of [
      'WPA3',
      'XTS-AES 256',
      'Microsoft Edge',
      'Enhanced protection',
      'api-0f1e2d3c.duosecurity.com',
    ]) {
      expect(payload).toContain(plain);
    }
  });

  it('does not echo a rejected sensitive value in the error', () => {
    const tooLong = `${text('rejected')}${'x'.repeat(70_000)}`;
    expect(() =>
      history([policy('motd', '64f0a1b2c3d4e5f60100000b', [v('64f0a1b2c3d4e5f6020b0001', tooLong)])], sealer),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(tooLong.slice(0, 30)) }));
  });
});
