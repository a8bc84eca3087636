/** MFA methods (push, TOTP, WebAuthn) and the Duo integration, whose secret key is sealed. */
import { ValidationError } from '../../errors.js';
import type { ConfigureDuo, ConfigureMfa, RemoveDuo } from '../commands.js';
import type { OrganizationDecisionContext } from '../context.js';
import type { OrganizationEvent } from '../events.js';
import type { MfaConfiguration } from '../model.js';
import type { OrganizationState } from '../state.js';
import {
  jsonEqual,
  rejectUnknownKeys,
  requireBoolean,
  requireId,
  requireObject,
} from '../validation/primitives.js';

/** Duo's formats: API hosts `api-XXXXXXXX.duosecurity.com`, 20-character integration keys starting `DI`, 40-character secret keys. */
const DUO_API_HOST_PATTERN = /^api-[a-z0-9]{8}\.(duosecurity|duofederal)\.com$/;
const DUO_INTEGRATION_KEY_PATTERN = /^DI[A-Z0-9]{18}$/;
const DUO_SECRET_KEY_PATTERN = /^[A-Za-z0-9]{40}$/;

function method(value: unknown, path: string, current: { enabled: boolean }): { enabled: boolean } {
  if (value === undefined) return current;
  const given = requireObject(value, path);
  rejectUnknownKeys(given, ['enabled'], path);
  return { enabled: requireBoolean(given.enabled, `${path}.enabled`) };
}

export function configureMfa({ data }: ConfigureMfa, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(data, ['push', 'totp', 'webAuthn'], '');
  const current: Omit<MfaConfiguration, 'duo'> = {
    push: state.mfa.push,
    totp: state.mfa.totp,
    webAuthn: state.mfa.webAuthn,
  };
  let webAuthn = current.webAuthn;
  if (data.webAuthn !== undefined) {
    const given = requireObject(data.webAuthn, 'webAuthn');
    rejectUnknownKeys(given, ['enabled', 'allowSelfRegistration'], 'webAuthn');
    webAuthn = {
      enabled:
        given.enabled === undefined ? webAuthn.enabled : requireBoolean(given.enabled, 'webAuthn.enabled'),
      allowSelfRegistration:
        given.allowSelfRegistration === undefined
          ? webAuthn.allowSelfRegistration
          : requireBoolean(given.allowSelfRegistration, 'webAuthn.allowSelfRegistration'),
    };
  }
  const next = {
    push: method(data.push, 'push', current.push),
    totp: method(data.totp, 'totp', current.totp),
    webAuthn,
  };
  if (jsonEqual(next, current)) return [];
  return [{ type: 'MfaConfigured', data: next }];
}

export function configureDuo(
  { data }: ConfigureDuo,
  _state: OrganizationState,
  context: OrganizationDecisionContext,
): OrganizationEvent[] {
  rejectUnknownKeys(data, ['accountId', 'apiHost', 'integrationKey', 'secretKey'], '');
  if (typeof data.apiHost !== 'string' || !DUO_API_HOST_PATTERN.test(data.apiHost)) {
    throw new ValidationError('apiHost', 'must be a Duo API host (api-xxxxxxxx.duosecurity.com)');
  }
  if (typeof data.integrationKey !== 'string' || !DUO_INTEGRATION_KEY_PATTERN.test(data.integrationKey)) {
    throw new ValidationError(
      'integrationKey',
      'must be a Duo integration key (DI followed by 18 letters or digits)',
    );
  }
  // The message never echoes the value: it is a secret.
  if (typeof data.secretKey !== 'string' || !DUO_SECRET_KEY_PATTERN.test(data.secretKey)) {
    throw new ValidationError('secretKey', 'must be a Duo secret key (40 letters or digits)');
  }
  const duo = {
    accountId: requireId(data.accountId, 'accountId'),
    apiHost: data.apiHost,
    integrationKey: data.integrationKey,
    secretKey: context.seal(data.secretKey),
  };
  return [{ type: 'DuoConfigured', data: { duo } }];
}

export function removeDuo(_command: RemoveDuo, state: OrganizationState): OrganizationEvent[] {
  if (state.mfa.duo === null) return [];
  return [{ type: 'DuoRemoved', data: {} }];
}
