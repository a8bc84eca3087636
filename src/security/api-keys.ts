import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Keys read `oc_<prefix>_<secret>`: the prefix finds the stored hash, the whole key is compared. */
const KEY_PATTERN = /^oc_([0-9a-f]{12})_([A-Za-z0-9_-]{43,})$/;

export interface IssuedApiKey {
  /** Shown once to the operator, never stored. */
  key: string;
  /** Public lookup part of the key. */
  prefix: string;
  /** sha256 of the whole key, hex: what the store keeps. */
  hash: string;
}

export function generateApiKey(): IssuedApiKey {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = `oc_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The lookup prefix of a well-formed key, or null. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
