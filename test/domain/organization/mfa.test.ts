import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import { specFor } from '../given-when-then.js';
import { history, recordingSealer } from './fixtures.js';

const sealer = recordingSealer();
const spec = specFor(organizationDecider, sealer);
const org = history([]);

const SECRET = 'x9Q2mLk4Vb7Nc1Zr8Tw3Yp6Hs0Jd5Fg2Ae4Ku7Oi';
const configureDuo = (data: Record<string, unknown> = {}): OrganizationCommand => ({
  type: 'ConfigureDuo',
  data: {
    accountId: '5f1e2d3c4b5a69788796a5b4',
    apiHost: 'api-1a2b3c4d.duosecurity.com',
    integrationKey: 'DIWJ8X6AEYOR5OMC6TQ1',
    secretKey: SECRET,
    ...data,
  } as never,
});

describe('ConfigureMfa', () => {
  it('configures the given methods and keeps the others', () => {
    spec
      .given(org)
      .when({
        type: 'ConfigureMfa',
        data: { push: { enabled: true }, webAuthn: { allowSelfRegistration: true } },
      })
      .then([
        {
          type: 'MfaConfigured',
          data: {
            push: { enabled: true },
            totp: { enabled: false },
            webAuthn: { enabled: false, allowSelfRegistration: true },
          },
        },
      ]);
  });

  it('keeps Duo when the other methods change, and decides nothing without a change', () => {
    const withDuo = [...org, ...spec.given(org).when(configureDuo()).events()];
    const after = spec
      .given(withDuo)
      .when({ type: 'ConfigureMfa', data: { totp: { enabled: true } } })
      .state();
    expect(after.mfa.totp).toEqual({ enabled: true });
    expect(after.mfa.duo).not.toBeNull();
    spec
      .given(org)
      .when({ type: 'ConfigureMfa', data: { totp: { enabled: false } } })
      .then([]);
  });

  it.each([
    [{ push: { enabled: 'yes' } }, 'push.enabled'],
    [{ totp: {} }, 'totp.enabled'],
    [{ webAuthn: { allowSelfRegistration: 1 } }, 'webAuthn.allowSelfRegistration'],
    [{ sms: { enabled: true } }, 'sms'],
    [{ push: { enabled: true, number: 1 } }, 'push.number'],
  ])('refuses %j', (data, field) => {
    spec
      .given(org)
      .when({ type: 'ConfigureMfa', data: data as never })
      .then({ code: 'VALIDATION_FAILED', field });
  });
});

describe('ConfigureDuo / RemoveDuo', () => {
  it('configures Duo with the secret key sealed', () => {
    sealer.sealedPlainValues.length = 0;
    const events = spec.given(org).when(configureDuo()).events();
    expect(events).toEqual([
      {
        type: 'DuoConfigured',
        data: {
          duo: {
            accountId: '5f1e2d3c4b5a69788796a5b4',
            apiHost: 'api-1a2b3c4d.duosecurity.com',
            integrationKey: 'DIWJ8X6AEYOR5OMC6TQ1',
            secretKey: { sealed: expect.stringMatching(/^sealed#/) },
          },
        },
      },
    ]);
    expect(sealer.sealedPlainValues).toEqual([SECRET]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it.each([
    [{ apiHost: 'duo.example.com' }, 'apiHost'],
    [{ integrationKey: 'diwj8x6aeyor5omc6tq1' }, 'integrationKey'],
    [{ integrationKey: 'DIWJ8X6AEYOR5OMC6TQ' }, 'integrationKey'],
    [{ secretKey: 'short' }, 'secretKey'],
    [{ secretKey: undefined }, 'secretKey'],
    [{ accountId: '' }, 'accountId'],
    [{ name: 'Duo' }, 'name'],
  ])('refuses %j', (data, field) => {
    spec.given(org).when(configureDuo(data)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('never echoes a rejected secret in the error', () => {
    const almostSecret = `${SECRET}!`;
    expect(() =>
      spec
        .given(org)
        .when(configureDuo({ secretKey: almostSecret }))
        .events(),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(almostSecret) }));
  });

  it('removes Duo, once', () => {
    const configured = spec.given(org).when(configureDuo()).events();
    const removed: OrganizationEvent = { type: 'DuoRemoved', data: {} };
    spec
      .given([...org, ...configured])
      .when({ type: 'RemoveDuo', data: {} })
      .then([removed]);
    expect(spec.given([...org, ...configured, removed]).state().mfa.duo).toBeNull();
    spec.given(org).when({ type: 'RemoveDuo', data: {} }).then([]);
  });
});
