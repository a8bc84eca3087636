import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteEventStore } from '../../../src/eventstore/sqlite/sqlite-event-store.js';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/sqlite-event-store.js';
import type { AllFilter, EventStore } from '../../../src/eventstore/types.js';
import { matchesFilter } from '../../../src/projections/projection.js';
import type {
  ProjectionLogEntry,
  ProjectionRunnerOptions,
} from '../../../src/projections/projection-runner.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import type { ReadModelDb } from '../../../src/projections/read-model-db.js';
import { openReadModelDb } from '../../../src/projections/read-model-db.js';

/** A real SQLite event store and read-model databases in a fresh directory; `close()` releases all. */
export async function projectionFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'projections-'));
  const store: SqliteEventStore = await openSqliteEventStore({ path: join(dir, 'events.db') });
  const runners: ProjectionRunner[] = [];
  const dbs: ReadModelDb[] = [];
  const logs: ProjectionLogEntry[] = [];

  return {
    store,
    logs,
    openDb(name = 'read.db'): ReadModelDb {
      const db = openReadModelDb(join(dir, name));
      dbs.push(db);
      return db;
    },
    /** Starts a runner on the fixture's store (or a wrapper of it) that logs into `logs`. */
    async startRunner(
      options: Omit<ProjectionRunnerOptions, 'store' | 'log'> & { store?: EventStore },
    ): Promise<ProjectionRunner> {
      const runner = new ProjectionRunner({ store, ...options, log: (entry) => logs.push(entry) });
      runners.push(runner);
      await runner.start();
      return runner;
    },
    /** Appends `perStream` events to each stream, in chunks, interleaving the streams. */
    async append(
      streams: readonly string[],
      perStream: number,
      type = 'Happened',
      chunk = 50,
    ): Promise<bigint> {
      let position = 0n;
      for (let offset = 0; offset < perStream; offset += chunk) {
        for (const streamId of streams) {
          const count = Math.min(chunk, perStream - offset);
          const events = Array.from({ length: count }, (_, index) => ({
            id: randomUUID(),
            type,
            data: { n: offset + index },
          }));
          position = (await store.appendToStream(streamId, events)).position;
        }
      }
      return position;
    },
    /** Events per stream according to the log itself (what a projection must show). */
    async countsInStore(filter?: AllFilter): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for await (const event of store.readAll()) {
        if (matchesFilter(filter, event)) counts[event.streamId] = (counts[event.streamId] ?? 0) + 1;
      }
      return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
    },
    async close(): Promise<void> {
      for (const runner of runners) await runner.stop();
      await store.close();
      for (const db of dbs) if (db.open) db.close();
    },
  };
}

export type ProjectionFixture = Awaited<ReturnType<typeof projectionFixture>>;
