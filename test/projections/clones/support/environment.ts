/**
 * A real event store (embedded SQLite, or the EventStoreDB adapter on the in-process test server) and
 * read-model databases in a fresh directory, with the clones projection; `close()` releases all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEsdbEventStore } from '../../../../src/eventstore/esdb/esdb-event-store.js';
import { openSqliteEventStore } from '../../../../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventStore } from '../../../../src/eventstore/types.js';
import { clonesProjection } from '../../../../src/projections/clones/projection.js';
import { CloneReadModel } from '../../../../src/projections/clones/queries.js';
import type { ProjectionLogEntry } from '../../../../src/projections/projection-runner.js';
import { ProjectionRunner } from '../../../../src/projections/projection-runner.js';
import type { ReadModelDb } from '../../../../src/projections/read-model-db.js';
import { openReadModelDb } from '../../../../src/projections/read-model-db.js';
import { startEsdbTestServer } from '../../../support/esdb-test-server/index.js';

export type Adapter = 'sqlite' | 'esdb';
export const ADAPTERS: readonly Adapter[] = ['sqlite', 'esdb'];

export const WAIT = { timeoutMs: 20_000 };

export async function cloneEnvironment(adapter: Adapter) {
  const dir = mkdtempSync(join(tmpdir(), 'clones-'));
  const eventsPath = join(dir, 'events.db');
  const closers: (() => Promise<void> | void)[] = [];
  let store: EventStore;
  if (adapter === 'sqlite') {
    store = await openSqliteEventStore({ path: eventsPath });
    closers.push(() => store.close());
  } else {
    const server = await startEsdbTestServer();
    store = openEsdbEventStore(server.connectionString);
    closers.push(
      () => server.stop(),
      () => store.close(),
    );
  }
  const logs: ProjectionLogEntry[] = [];

  return {
    store,
    /** The SQLite event file (meaningful for the `sqlite` adapter only). */
    eventsPath,
    logs,
    openDb(name = 'read.db'): ReadModelDb {
      const db = openReadModelDb(join(dir, name));
      closers.unshift(() => {
        if (db.open) db.close();
      });
      return db;
    },
    /** Starts the clones projection on `db`; returns the runner and the queries over `db`. */
    async follow(db: ReadModelDb, maxBatchSize?: number) {
      const runner = new ProjectionRunner({
        store,
        db,
        projections: [clonesProjection],
        log: (entry) => logs.push(entry),
        ...(maxBatchSize === undefined ? {} : { maxBatchSize }),
      });
      closers.unshift(() => runner.stop());
      await runner.start();
      return {
        runner,
        readModel: new CloneReadModel(db),
        /** Resolves once the read model reflects everything up to `position`. */
        reach: (position: bigint | null) => runner.waitForPosition(position!, WAIT),
      };
    },
    async close(): Promise<void> {
      for (const close of closers) await close();
    },
  };
}

export type CloneEnvironment = Awaited<ReturnType<typeof cloneEnvironment>>;
