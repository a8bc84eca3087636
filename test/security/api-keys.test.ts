import { describe, expect, it } from 'vitest';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from '../../src/security/api-keys.js';

describe('API keys', () => {
  it('are random, carry at least 32 bytes of secret and a lookup prefix', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toEqual(b.key);
    const secret = a.key.split('_').slice(2).join('_');
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(apiKeyPrefix(a.key)).toBe(a.prefix);
  });

  it('are stored only as a hash that matches the key and nothing else', () => {
    const { key, hash } = generateApiKey();
    expect(hash).not.toContain(key);
    expect(hash).toBe(hashApiKey(key));
    expect(apiKeyMatches(key, hash)).toBe(true);
    expect(apiKeyMatches(`${key}x`, hash)).toBe(false);
    expect(apiKeyMatches(key, 'abcd')).toBe(false);
  });

  it('reject malformed keys before any lookup', () => {
    expect(apiKeyPrefix('Bearer nonsense')).toBeNull();
    expect(apiKeyPrefix('oc_zz_short')).toBeNull();
  });
});
