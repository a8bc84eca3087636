import type { AllFilter, RecordedEvent } from '../../../src/eventstore/types.js';
import type { Projection } from '../../../src/projections/projection.js';
import type { ReadModelDb } from '../../../src/projections/read-model-db.js';

export interface StreamCountOptions {
  name?: string;
  version?: number;
  filter?: AllFilter;
  /** Version 2 of the fold also records each stream's last event type (a schema change). */
  recordLastType?: boolean;
  /** Called for every event inside `apply`, after its row was written: lets a test crash mid-batch. */
  afterEvent?: (event: RecordedEvent) => void;
}

/**
 * Counts events per stream. A double-applied event shows as a count above the stream's length, a
 * skipped one as a count below it.
 */
export function streamCountProjection(options: StreamCountOptions = {}): Projection {
  const name = options.name ?? 'stream_counts';
  const table = `${name}_rows`;
  return {
    name,
    version: options.version ?? 1,
    filter: options.filter,
    setup(db: ReadModelDb) {
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (
          stream_id TEXT PRIMARY KEY,
          events INTEGER NOT NULL,
          last_revision INTEGER NOT NULL${options.recordLastType ? ',\n          last_type TEXT NOT NULL' : ''}
        )`,
      );
    },
    reset(db: ReadModelDb) {
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    },
    apply(db: ReadModelDb, events: readonly RecordedEvent[]) {
      const upsert = options.recordLastType
        ? db.prepare(
            `INSERT INTO ${table} (stream_id, events, last_revision, last_type) VALUES (?, 1, ?, ?)
             ON CONFLICT (stream_id) DO UPDATE SET events = events + 1, last_revision = excluded.last_revision,
               last_type = excluded.last_type`,
          )
        : db.prepare(
            `INSERT INTO ${table} (stream_id, events, last_revision) VALUES (?, 1, ?)
             ON CONFLICT (stream_id) DO UPDATE SET events = events + 1, last_revision = excluded.last_revision`,
          );
      for (const event of events) {
        if (options.recordLastType) upsert.run(event.streamId, event.revision, event.type);
        else upsert.run(event.streamId, event.revision);
        options.afterEvent?.(event);
      }
    },
  };
}

export function readStreamCounts(db: ReadModelDb, name = 'stream_counts'): Record<string, number> {
  const rows = db
    .prepare<[], { stream_id: string; events: number }>(
      `SELECT stream_id, events FROM ${name}_rows ORDER BY stream_id`,
    )
    .all();
  return Object.fromEntries(rows.map((row) => [row.stream_id, row.events]));
}
