/**
 * The application services on real parts: a SQLite event store file, and per "API process" its own
 * store connection, read-model database and projection runner — so that two processes sharing the
 * file can be simulated in one test. Callers are authenticated with real API keys.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Caller } from '../../../src/application/organizations.js';
import { OrganizationService } from '../../../src/application/organizations.js';
import type { NewAdministrator } from '../../../src/application/providers.js';
import { ProviderService } from '../../../src/application/providers.js';
import type { SqliteEventStore } from '../../../src/eventstore/sqlite/sqlite-event-store.js';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/sqlite-event-store.js';
import type { BillingPlan } from '../../../src/domain/organization/model.js';
import { organizationsProjection } from '../../../src/projections/organizations/projection.js';
import { OrganizationReadModel } from '../../../src/projections/organizations/queries.js';
import type { ProjectionLogEntry } from '../../../src/projections/projection-runner.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { providersProjection } from '../../../src/projections/providers/projection.js';
import type { ReadModelDb } from '../../../src/projections/read-model-db.js';
import { openReadModelDb } from '../../../src/projections/read-model-db.js';
import { Sealer } from '../../../src/security/sealer.js';
import { createApiKeyAuthenticator } from '../../../src/server/auth.js';

export interface ApiProcess {
  store: SqliteEventStore;
  db: ReadModelDb;
  runner: ProjectionRunner;
  organizations: OrganizationService;
  providers: ProviderService;
  readModel: OrganizationReadModel;
}

export async function serviceFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'services-'));
  const eventsPath = join(dir, 'events.db');
  const readModelPaths: string[] = [];
  const sealer = new Sealer(randomBytes(32));
  const processes: ApiProcess[] = [];
  const logs: ProjectionLogEntry[] = [];

  async function startProcess(): Promise<ApiProcess> {
    const store = await openSqliteEventStore({ path: eventsPath, pollIntervalMs: 10 });
    const readModelPath = join(dir, `read-${processes.length}.db`);
    readModelPaths.push(readModelPath);
    const db = openReadModelDb(readModelPath);
    const runner = new ProjectionRunner({
      store,
      db,
      projections: [organizationsProjection(), providersProjection()],
      log: (entry) => logs.push(entry),
    });
    await runner.start();
    const apiProcess: ApiProcess = {
      store,
      db,
      runner,
      organizations: new OrganizationService({ store, db, projections: runner, sealer }),
      providers: new ProviderService({ store, db, projections: runner }),
      readModel: new OrganizationReadModel(db),
    };
    processes.push(apiProcess);
    return apiProcess;
  }

  const main = await startProcess();

  return {
    main,
    eventsPath,
    readModelPaths,
    logs,
    startProcess,

    async provider(plan: BillingPlan = 'PAID', orgCreationDisabled = false) {
      return main.providers.createProvider({
        name: `MSP ${randomUUID().slice(0, 8)}`,
        plan,
        orgCreationDisabled,
      });
    },

    /** Adds an administrator, issues it a key and authenticates with it, as the server would. */
    async caller(
      providerId: string,
      roleName: NewAdministrator['roleName'] = 'Administrator With Billing',
      access: { orgAccess?: NewAdministrator['orgAccess']; linkedOrganizationIds?: string[] } = {},
    ): Promise<Caller> {
      const administrator = await main.providers.addAdministrator({
        providerId,
        email: `${randomUUID().slice(0, 8)}@msp.example`,
        firstname: 'Test',
        lastname: roleName,
        roleName,
        orgAccess: access.orgAccess ?? 'ALL',
        linkedOrganizationIds: access.linkedOrganizationIds ?? [],
      });
      const { key } = await main.providers.issueApiKey({ providerId, administratorId: administrator.id });
      const principal = await createApiKeyAuthenticator(main.providers.authenticatorLookup()).authenticate(
        key,
      );
      if (!principal) throw new Error('a freshly issued key did not authenticate');
      return { principal, requestId: randomUUID() };
    },

    async eventCount(): Promise<number> {
      let count = 0;
      for await (const _event of main.store.readAll()) count++;
      return count;
    },

    async close(): Promise<void> {
      for (const { runner } of processes) await runner.stop();
      for (const { store, db } of processes) {
        await store.close();
        db.close();
      }
    },
  };
}

export type ServiceFixture = Awaited<ReturnType<typeof serviceFixture>>;
