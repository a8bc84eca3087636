/**
 * Folds the `provider-{id}` streams into the providers read model: providers, administrators with
 * their organization links, and API keys (hash and display prefix only: the key itself is never in
 * the log).
 */
import { PROVIDER_STREAM_PREFIX, aggregateIdOf } from '../../application/streams.js';
import type { ProviderEvent } from '../../domain/provider/events.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import type { Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import {
  ADMINISTRATORS_TABLE,
  ADMINISTRATOR_LINKS_TABLE,
  API_KEYS_TABLE,
  PROVIDERS_TABLE,
} from './queries.js';

export const PROVIDERS_PROJECTION = 'providers';

export function providersProjection(): Projection {
  return {
    name: PROVIDERS_PROJECTION,
    version: 1,
    filter: { streamPrefixes: [PROVIDER_STREAM_PREFIX] },
    setup(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${PROVIDERS_TABLE} (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          plan TEXT NOT NULL,
          org_creation_disabled INTEGER NOT NULL,
          version TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ${ADMINISTRATORS_TABLE} (
          provider_id TEXT NOT NULL,
          id TEXT NOT NULL,
          email TEXT NOT NULL,
          firstname TEXT NOT NULL,
          lastname TEXT NOT NULL,
          role_name TEXT NOT NULL,
          org_access TEXT NOT NULL,
          suspended INTEGER NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY (provider_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ${ADMINISTRATOR_LINKS_TABLE} (
          provider_id TEXT NOT NULL,
          administrator_id TEXT NOT NULL,
          organization_id TEXT NOT NULL,
          PRIMARY KEY (provider_id, administrator_id, organization_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ${API_KEYS_TABLE} (
          provider_id TEXT NOT NULL,
          id TEXT NOT NULL,
          administrator_id TEXT NOT NULL,
          prefix TEXT NOT NULL,
          key_hash TEXT NOT NULL,
          issued_at TEXT NOT NULL,
          revoked INTEGER NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY (provider_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS provider_api_keys_by_prefix ON ${API_KEYS_TABLE} (prefix);
      `);
    },
    reset(db) {
      db.exec(`
        DROP TABLE IF EXISTS ${API_KEYS_TABLE};
        DROP TABLE IF EXISTS ${ADMINISTRATOR_LINKS_TABLE};
        DROP TABLE IF EXISTS ${ADMINISTRATORS_TABLE};
        DROP TABLE IF EXISTS ${PROVIDERS_TABLE};
      `);
    },
    apply(db, events) {
      const statements = statementsOf(db);
      for (const event of events) fold(statements, event);
    },
  };
}

function prepareStatements(db: ReadModelDb) {
  return {
    insertProvider: db.prepare<[string, string, string, number, string]>(
      `INSERT INTO ${PROVIDERS_TABLE} (id, name, plan, org_creation_disabled, version) VALUES (?, ?, ?, ?, ?)`,
    ),
    setVersion: db.prepare<[string, string]>(`UPDATE ${PROVIDERS_TABLE} SET version = ? WHERE id = ?`),
    setPlan: db.prepare<[string, string]>(`UPDATE ${PROVIDERS_TABLE} SET plan = ? WHERE id = ?`),
    insertAdministrator: db.prepare(
      `INSERT INTO ${ADMINISTRATORS_TABLE}
         (provider_id, id, email, firstname, lastname, role_name, org_access, suspended, position)
       VALUES (@providerId, @id, @email, @firstname, @lastname, @roleName, @orgAccess, @suspended, @position)`,
    ),
    setRole: db.prepare<[string, string, string]>(
      `UPDATE ${ADMINISTRATORS_TABLE} SET role_name = ? WHERE provider_id = ? AND id = ?`,
    ),
    suspend: db.prepare<[string, string]>(
      `UPDATE ${ADMINISTRATORS_TABLE} SET suspended = 1 WHERE provider_id = ? AND id = ?`,
    ),
    link: db.prepare<[string, string, string]>(
      `INSERT INTO ${ADMINISTRATOR_LINKS_TABLE} (provider_id, administrator_id, organization_id)
       VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    unlink: db.prepare<[string, string, string]>(
      `DELETE FROM ${ADMINISTRATOR_LINKS_TABLE}
       WHERE provider_id = ? AND administrator_id = ? AND organization_id = ?`,
    ),
    insertApiKey: db.prepare(
      `INSERT INTO ${API_KEYS_TABLE}
         (provider_id, id, administrator_id, prefix, key_hash, issued_at, revoked, position)
       VALUES (@providerId, @id, @administratorId, @prefix, @keyHash, @issuedAt, 0, @position)`,
    ),
    revokeApiKey: db.prepare<[string, string]>(
      `UPDATE ${API_KEYS_TABLE} SET revoked = 1 WHERE provider_id = ? AND id = ?`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;
const statementsByDb = new WeakMap<ReadModelDb, Statements>();

function statementsOf(db: ReadModelDb): Statements {
  let statements = statementsByDb.get(db);
  if (!statements) statementsByDb.set(db, (statements = prepareStatements(db)));
  return statements;
}

function fold(s: Statements, recorded: RecordedEvent): void {
  const provider = aggregateIdOf(recorded.streamId, PROVIDER_STREAM_PREFIX);
  const event = { type: recorded.type, data: recorded.data } as ProviderEvent;
  switch (event.type) {
    case 'ProviderCreated': {
      const { name, billing, orgCreationDisabled } = event.data;
      s.insertProvider.run(provider, name, billing.plan, orgCreationDisabled ? 1 : 0, '0');
      break;
    }
    case 'BillingPlanChanged':
      s.setPlan.run(event.data.plan, provider);
      break;
    case 'AdministratorAdded': {
      const { administrator } = event.data;
      s.insertAdministrator.run({
        providerId: provider,
        id: administrator.id,
        email: administrator.email,
        firstname: administrator.firstname,
        lastname: administrator.lastname,
        roleName: administrator.roleName,
        orgAccess: administrator.orgAccess,
        suspended: administrator.suspended ? 1 : 0,
        position: recorded.revision,
      });
      for (const organizationId of administrator.linkedOrganizationIds) {
        s.link.run(provider, administrator.id, organizationId);
      }
      break;
    }
    case 'AdministratorRoleChanged':
      s.setRole.run(event.data.roleName, provider, event.data.administratorId);
      break;
    case 'AdministratorSuspended':
      s.suspend.run(provider, event.data.administratorId);
      break;
    case 'AdministratorLinkedToOrganization':
      s.link.run(provider, event.data.administratorId, event.data.organizationId);
      break;
    case 'AdministratorUnlinkedFromOrganization':
      s.unlink.run(provider, event.data.administratorId, event.data.organizationId);
      break;
    case 'ApiKeyIssued': {
      const { apiKey } = event.data;
      s.insertApiKey.run({
        providerId: provider,
        id: apiKey.id,
        administratorId: apiKey.administratorId,
        prefix: apiKey.prefix,
        keyHash: apiKey.keyHash,
        issuedAt: apiKey.issuedAt,
        position: recorded.revision,
      });
      break;
    }
    case 'ApiKeyRevoked':
      s.revokeApiKey.run(provider, event.data.apiKeyId);
      break;
  }
  s.setVersion.run(recorded.revision.toString(), provider);
}
