/**
 * Who runs a CLI command that acts as an administrator (`clone`, `audit …`): the owner of an API
 * key, authenticated against the providers read model exactly as the server authenticates
 * `Authorization: Bearer <key>`.
 */
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../app/runtime.js';
import type { Caller } from '../application/organizations.js';
import { UnauthenticatedError } from '../domain/errors.js';
import type { Actor } from '../domain/provider/permissions.js';
import { ProviderReadModel } from '../projections/providers/queries.js';
import { AUTHENTICATION_MESSAGES, createApiKeyAuthenticator } from '../server/auth.js';
import { UsageError, type OptionSpecs, type ParsedArgs } from './args.js';

export const API_KEY_ENV = 'ORGCLONE_API_KEY';

export const API_KEY_OPTION: OptionSpecs = { 'api-key': { type: 'string' } };

/** `--api-key`, else `ORGCLONE_API_KEY` (which keeps the key out of the shell history and `ps`). */
export function apiKeyFrom(args: ParsedArgs, env: NodeJS.ProcessEnv, command: string): string {
  const key = args.string('api-key') ?? env[API_KEY_ENV]?.trim();
  if (!key) throw new UsageError(`missing --api-key (or ${API_KEY_ENV})`, command);
  return key;
}

export interface Authenticated {
  caller: Caller;
  /** The administrator with its provider's plan, as the permission rules take it. */
  actor: Actor;
}

/** The key's administrator; UNAUTHENTICATED for an unknown or revoked key or a suspended administrator. */
export async function authenticate(runtime: Runtime, key: string): Promise<Authenticated> {
  const reads = new ProviderReadModel(runtime.db);
  const principal = await createApiKeyAuthenticator(reads).authenticate(key);
  if (!principal) throw new UnauthenticatedError(AUTHENTICATION_MESSAGES.INVALID_CREDENTIALS);
  if (principal.suspended) throw new UnauthenticatedError(AUTHENTICATION_MESSAGES.ADMINISTRATOR_SUSPENDED);
  const actor = reads.actor(principal.providerId, principal.administratorId);
  if (!actor) throw new UnauthenticatedError(AUTHENTICATION_MESSAGES.INVALID_CREDENTIALS);
  return { caller: { principal, requestId: randomUUID() }, actor };
}
