/**
 * Who is calling. HTTP sends `Authorization: Bearer <key>`, graphql-ws sends the same value as
 * `authorization` in its `connection_init` payload; both land in `authenticateAuthorization`.
 */
import type { AdminRole, OrgAccess } from '../domain/organization/model.js';
import { apiKeyMatches, apiKeyPrefix } from '../security/api-keys.js';

/** The administrator an API key belongs to, as the resolvers see it. */
export interface Principal {
  administratorId: string;
  providerId: string;
  roleName: AdminRole;
  orgAccess: OrgAccess;
  /** Organizations a `LINKED` administrator may see; empty for `ALL`. */
  linkedOrganizationIds: readonly string[];
  suspended: boolean;
}

export interface ApiKeyAuthenticator {
  /** The principal of a valid, unrevoked key, or null. Never throws for a bad key. */
  authenticate(key: string): Promise<Principal | null>;
}

/** An issued key as the read model keeps it: only its hash, never the key. */
export interface StoredApiKey {
  keyHash: string;
  revoked: boolean;
  principal: Principal;
}

export interface ApiKeyLookup {
  /** The key issued with this prefix (prefixes are unique per store), or null. */
  findByPrefix(prefix: string): Promise<StoredApiKey | null>;
}

/** Finds the stored key by the public prefix, then compares the whole key in constant time. */
export function createApiKeyAuthenticator(lookup: ApiKeyLookup): ApiKeyAuthenticator {
  return {
    async authenticate(key) {
      const prefix = apiKeyPrefix(key);
      if (prefix === null) return null;
      const stored = await lookup.findByPrefix(prefix);
      if (!stored || stored.revoked || !apiKeyMatches(key, stored.keyHash)) return null;
      return stored.principal;
    },
  };
}

export type AuthenticationOutcome =
  | { authenticated: true; principal: Principal }
  | {
      authenticated: false;
      reason: 'MISSING_CREDENTIALS' | 'INVALID_CREDENTIALS' | 'ADMINISTRATOR_SUSPENDED';
    };

export const AUTHENTICATION_MESSAGES: Record<
  Exclude<AuthenticationOutcome, { authenticated: true }>['reason'],
  string
> = {
  MISSING_CREDENTIALS: 'an API key is required: send "Authorization: Bearer <key>"',
  INVALID_CREDENTIALS: 'the API key is not valid',
  ADMINISTRATOR_SUSPENDED: 'the administrator is suspended',
};

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/** Checks an `Authorization` value. Authenticator failures (store down) propagate: they are not a bad key. */
export async function authenticateAuthorization(
  authorization: unknown,
  authenticator: ApiKeyAuthenticator,
): Promise<AuthenticationOutcome> {
  if (authorization === undefined || authorization === null || authorization === '') {
    return { authenticated: false, reason: 'MISSING_CREDENTIALS' };
  }
  const key = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
  if (key === undefined) return { authenticated: false, reason: 'INVALID_CREDENTIALS' };
  const principal = await authenticator.authenticate(key);
  if (!principal) return { authenticated: false, reason: 'INVALID_CREDENTIALS' };
  if (principal.suspended) return { authenticated: false, reason: 'ADMINISTRATOR_SUSPENDED' };
  return { authenticated: true, principal };
}
