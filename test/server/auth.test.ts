import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/security/api-keys.js';
import {
  authenticateAuthorization,
  createApiKeyAuthenticator,
  type ApiKeyLookup,
} from '../../src/server/auth.js';
import { issueTestKeys } from './support/test-server.js';

describe('createApiKeyAuthenticator', () => {
  const { keys, lookup } = issueTestKeys();
  const authenticator = createApiKeyAuthenticator(lookup);

  it('returns the principal of a valid key', async () => {
    expect(await authenticator.authenticate(keys.valid)).toMatchObject({ administratorId: 'admin-1' });
  });

  it('returns suspended principals for the caller to refuse', async () => {
    expect(await authenticator.authenticate(keys.suspended)).toMatchObject({
      administratorId: 'admin-2',
      suspended: true,
    });
  });

  it.each([
    ['a revoked key', () => keys.revoked],
    ['a key never issued', () => keys.unknown],
    ['a malformed key', () => 'oc_123_short'],
    ['an issued prefix with another secret', () => keys.valid.replace(/_[^_]+$/, `_${'A'.repeat(43)}`)],
  ])('returns null for %s', async (_case, key) => {
    expect(await authenticator.authenticate(key())).toBeNull();
  });

  it('does not ask the store about keys that are not well-formed', async () => {
    const asked: string[] = [];
    const spying: ApiKeyLookup = { findByPrefix: async (prefix) => (asked.push(prefix), null) };
    await createApiKeyAuthenticator(spying).authenticate('Bearer whatever');
    expect(asked).toEqual([]);
    await createApiKeyAuthenticator(spying).authenticate(generateApiKey().key);
    expect(asked).toHaveLength(1);
  });
});

describe('authenticateAuthorization', () => {
  const { keys, lookup } = issueTestKeys();
  const authenticator = createApiKeyAuthenticator(lookup);

  it.each([
    [undefined, 'MISSING_CREDENTIALS'],
    [null, 'MISSING_CREDENTIALS'],
    ['', 'MISSING_CREDENTIALS'],
    [42, 'INVALID_CREDENTIALS'],
    ['Bearer', 'INVALID_CREDENTIALS'],
    ['Token abc', 'INVALID_CREDENTIALS'],
  ])('refuses %j with %s', async (authorization, reason) => {
    expect(await authenticateAuthorization(authorization, authenticator)).toEqual({
      authenticated: false,
      reason,
    });
  });

  it('refuses a suspended administrator', async () => {
    expect(await authenticateAuthorization(`Bearer ${keys.suspended}`, authenticator)).toEqual({
      authenticated: false,
      reason: 'ADMINISTRATOR_SUSPENDED',
    });
  });

  it.each(['Bearer ', 'bearer ', 'BEARER   '])('accepts the scheme written %j', async (scheme) => {
    const outcome = await authenticateAuthorization(`${scheme}${keys.valid}`, authenticator);
    expect(outcome).toMatchObject({ authenticated: true, principal: { administratorId: 'admin-1' } });
  });

  it('lets a failing store propagate: that is an outage, not a bad key', async () => {
    const failing = createApiKeyAuthenticator({
      findByPrefix: async () => {
        throw new Error('read model unavailable');
      },
    });
    await expect(authenticateAuthorization(`Bearer ${keys.valid}`, failing)).rejects.toThrow(
      'read model unavailable',
    );
  });
});
