/**
 * Reads of the providers read model (tables written by `providersProjection`): providers, their
 * administrators and API keys. It is also what the server authenticates API keys against.
 */
import type { AdminRole, BillingPlan, OrgAccess } from '../../domain/organization/model.js';
import type { Actor } from '../../domain/provider/permissions.js';
import type { ApiKeyLookup, Principal, StoredApiKey } from '../../server/auth.js';
import type { ReadModelDb } from '../read-model-db.js';

export const PROVIDERS_TABLE = 'providers';
export const ADMINISTRATORS_TABLE = 'provider_administrators';
export const ADMINISTRATOR_LINKS_TABLE = 'provider_administrator_links';
export const API_KEYS_TABLE = 'provider_api_keys';

export interface ProviderRecord {
  id: string;
  name: string;
  plan: BillingPlan;
  orgCreationDisabled: boolean;
  /** Revision of the provider's stream after its last event, as a decimal string. */
  version: string;
}

export interface AdministratorRecord {
  id: string;
  providerId: string;
  email: string;
  firstname: string;
  lastname: string;
  roleName: AdminRole;
  orgAccess: OrgAccess;
  /** Organizations a `LINKED` administrator may see, by id; empty for `ALL`. */
  linkedOrganizationIds: string[];
  suspended: boolean;
}

/** An API key as it may be listed: never the key, nor its hash. */
export interface ApiKeyRecord {
  id: string;
  providerId: string;
  administratorId: string;
  prefix: string;
  issuedAt: string;
  revoked: boolean;
}

interface ProviderRow {
  id: string;
  name: string;
  plan: BillingPlan;
  org_creation_disabled: number;
  version: string;
}

interface AdministratorRow {
  provider_id: string;
  id: string;
  email: string;
  firstname: string;
  lastname: string;
  role_name: AdminRole;
  org_access: OrgAccess;
  suspended: number;
  /** JSON array of the linked organization ids. */
  linked: string;
}

interface ApiKeyRow {
  provider_id: string;
  id: string;
  administrator_id: string;
  prefix: string;
  key_hash: string;
  issued_at: string;
  revoked: number;
}

const ADMINISTRATOR_COLUMNS = `a.provider_id, a.id, a.email, a.firstname, a.lastname, a.role_name, a.org_access,
  a.suspended, (SELECT json_group_array(l.organization_id ORDER BY l.organization_id)
    FROM ${ADMINISTRATOR_LINKS_TABLE} l WHERE l.provider_id = a.provider_id AND l.administrator_id = a.id) AS linked`;

function prepareStatements(db: ReadModelDb) {
  return {
    providers: db.prepare<[string], ProviderRow>(
      `SELECT id, name, plan, org_creation_disabled, version FROM ${PROVIDERS_TABLE}
       WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    providersNamed: db.prepare<[string], ProviderRow>(
      `SELECT id, name, plan, org_creation_disabled, version FROM ${PROVIDERS_TABLE} WHERE name = ? ORDER BY id`,
    ),
    administrators: db.prepare<[string, string], AdministratorRow>(
      `SELECT ${ADMINISTRATOR_COLUMNS} FROM ${ADMINISTRATORS_TABLE} a
       WHERE a.provider_id = ? AND a.id IN (SELECT value FROM json_each(?))`,
    ),
    administratorsOf: db.prepare<[string], AdministratorRow>(
      `SELECT ${ADMINISTRATOR_COLUMNS} FROM ${ADMINISTRATORS_TABLE} a
       WHERE a.provider_id IN (SELECT value FROM json_each(?)) ORDER BY a.provider_id, a.position`,
    ),
    apiKeysOf: db.prepare<[string, string], ApiKeyRow>(
      `SELECT * FROM ${API_KEYS_TABLE}
       WHERE provider_id = ? AND administrator_id IN (SELECT value FROM json_each(?))
       ORDER BY administrator_id, position`,
    ),
    apiKey: db.prepare<[string, string], ApiKeyRow>(
      `SELECT * FROM ${API_KEYS_TABLE} WHERE provider_id = ? AND id = ?`,
    ),
    apiKeyByPrefix: db.prepare<[string], ApiKeyRow>(
      `SELECT * FROM ${API_KEYS_TABLE} WHERE prefix = ? ORDER BY provider_id, id LIMIT 1`,
    ),
  };
}

/**
 * Queries over the read-model database the providers projection writes (prepared on first use,
 * once the projection has created its tables). Id lists answer in the order of the ids, one entry
 * per id, so that they can back DataLoader batch functions.
 */
export class ProviderReadModel implements ApiKeyLookup {
  #statements: ReturnType<typeof prepareStatements> | undefined;

  constructor(private readonly db: ReadModelDb) {}

  private get statements(): ReturnType<typeof prepareStatements> {
    return (this.#statements ??= prepareStatements(this.db));
  }

  getProviders(ids: readonly string[]): (ProviderRecord | null)[] {
    const byId = new Map(
      this.statements.providers.all(JSON.stringify(ids)).map((row) => [row.id, toProvider(row)]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  getProvider(id: string): ProviderRecord | null {
    return this.getProviders([id])[0] ?? null;
  }

  /** Providers with exactly this name (names are not unique), by id. */
  providersNamed(name: string): ProviderRecord[] {
    return this.statements.providersNamed.all(name).map(toProvider);
  }

  /** A provider's administrators by id (an id of another provider reads null). */
  getAdministrators(providerId: string, ids: readonly string[]): (AdministratorRecord | null)[] {
    const rows = this.statements.administrators.all(providerId, JSON.stringify(ids));
    const byId = new Map(rows.map((row) => [row.id, toAdministrator(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  getAdministrator(providerId: string, id: string): AdministratorRecord | null {
    return this.getAdministrators(providerId, [id])[0] ?? null;
  }

  /** One list per provider id, in the order the administrators were added. */
  administratorsOf(providerIds: readonly string[]): AdministratorRecord[][] {
    const byProvider = new Map<string, AdministratorRecord[]>();
    for (const row of this.statements.administratorsOf.all(JSON.stringify(providerIds))) {
      let administrators = byProvider.get(row.provider_id);
      if (!administrators) byProvider.set(row.provider_id, (administrators = []));
      administrators.push(toAdministrator(row));
    }
    return providerIds.map((id) => byProvider.get(id) ?? []);
  }

  /** One list per administrator id of the provider, in the order the keys were issued. */
  apiKeysOf(providerId: string, administratorIds: readonly string[]): ApiKeyRecord[][] {
    const byAdministrator = new Map<string, ApiKeyRecord[]>();
    for (const row of this.statements.apiKeysOf.all(providerId, JSON.stringify(administratorIds))) {
      let keys = byAdministrator.get(row.administrator_id);
      if (!keys) byAdministrator.set(row.administrator_id, (keys = []));
      keys.push(toApiKey(row));
    }
    return administratorIds.map((id) => byAdministrator.get(id) ?? []);
  }

  /**
   * The administrator with what its provider decides for it (plan, org creation), as the domain's
   * permission rules take it; null when either is unknown.
   */
  actor(providerId: string, administratorId: string): Actor | null {
    const provider = this.getProvider(providerId);
    const administrator = this.getAdministrator(providerId, administratorId);
    if (!provider || !administrator) return null;
    return {
      id: administrator.id,
      email: administrator.email,
      firstname: administrator.firstname,
      lastname: administrator.lastname,
      roleName: administrator.roleName,
      orgAccess: administrator.orgAccess,
      linkedOrganizationIds: administrator.linkedOrganizationIds,
      suspended: administrator.suspended,
      providerId: provider.id,
      plan: provider.plan,
      orgCreationDisabled: provider.orgCreationDisabled,
    };
  }

  getApiKey(providerId: string, apiKeyId: string): ApiKeyRecord | null {
    const row = this.statements.apiKey.get(providerId, apiKeyId);
    return row ? toApiKey(row) : null;
  }

  isApiKeyPrefixTaken(prefix: string): boolean {
    return this.statements.apiKeyByPrefix.get(prefix) !== undefined;
  }

  /** `ApiKeyLookup`: the key issued with this prefix, with the principal it authenticates. */
  async findByPrefix(prefix: string): Promise<StoredApiKey | null> {
    const key = this.statements.apiKeyByPrefix.get(prefix);
    if (!key) return null;
    const administrator = this.getAdministrator(key.provider_id, key.administrator_id);
    if (!administrator) return null;
    return {
      keyHash: key.key_hash,
      revoked: key.revoked === 1,
      principal: principalOf(administrator),
    };
  }
}

function toProvider(row: ProviderRow): ProviderRecord {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    orgCreationDisabled: row.org_creation_disabled === 1,
    version: row.version,
  };
}

function toAdministrator(row: AdministratorRow): AdministratorRecord {
  return {
    id: row.id,
    providerId: row.provider_id,
    email: row.email,
    firstname: row.firstname,
    lastname: row.lastname,
    roleName: row.role_name,
    orgAccess: row.org_access,
    linkedOrganizationIds: JSON.parse(row.linked) as string[],
    suspended: row.suspended === 1,
  };
}

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    providerId: row.provider_id,
    administratorId: row.administrator_id,
    prefix: row.prefix,
    issuedAt: row.issued_at,
    revoked: row.revoked === 1,
  };
}

/** Who an administrator is when it acts: what an API key of it authenticates as. */
export function principalOf(administrator: AdministratorRecord): Principal {
  return {
    administratorId: administrator.id,
    providerId: administrator.providerId,
    roleName: administrator.roleName,
    orgAccess: administrator.orgAccess,
    linkedOrganizationIds: administrator.linkedOrganizationIds,
    suspended: administrator.suspended,
  };
}
