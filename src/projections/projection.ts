import type { AllFilter, RecordedEvent } from '../eventstore/types.js';
import type { ReadModelDb } from './read-model-db.js';
import { readCheckpoint, writeCheckpoint } from './read-model-db.js';

/**
 * A fold of the event log into read-model tables. A rebuild must give the same tables byte for byte
 * as an incremental run, so `apply` is deterministic: it reads only the events (never the clock or a
 * random source) and never depends on the order rows happen to come back in.
 */
export interface Projection {
  readonly name: string;
  /** Bump whenever the tables or the fold change: the runner then rebuilds the projection. */
  readonly version: number;
  /** Server-side filter of the `$all` subscription; omitted: every event. */
  readonly filter?: AllFilter;
  /** Creates the projection's tables if they do not exist (`CREATE TABLE IF NOT EXISTS …`). */
  setup(db: ReadModelDb): void;
  /** Drops the projection's tables. */
  reset(db: ReadModelDb): void;
  /** Folds a batch of events, in `$all` order; called inside the transaction that stores the checkpoint. */
  apply(db: ReadModelDb, events: readonly RecordedEvent[]): void;
}

/**
 * Readies a projection's tables and returns the position to resume after. A projection seen for the
 * first time, or whose version changed, starts over from the beginning of `$all` with empty tables.
 */
export function prepareProjection(
  db: ReadModelDb,
  projection: Projection,
): { position: bigint | null; reset: boolean } {
  return db.transaction(() => {
    const checkpoint = readCheckpoint(db, projection.name);
    if (checkpoint && checkpoint.version === projection.version) {
      projection.setup(db);
      return { position: checkpoint.position, reset: false };
    }
    resetProjection(db, projection);
    return { position: null, reset: checkpoint !== undefined };
  })();
}

/** Empties a projection's tables and rewinds its checkpoint to the beginning of `$all`. */
export function resetProjection(db: ReadModelDb, projection: Projection): void {
  db.transaction(() => {
    projection.reset(db);
    projection.setup(db);
    writeCheckpoint(db, projection.name, { position: null, version: projection.version });
  })();
}

/** Applies a batch and moves the checkpoint in one transaction: a crash keeps both or neither. */
export function commitBatch(
  db: ReadModelDb,
  projection: Projection,
  events: readonly RecordedEvent[],
  position: bigint,
): void {
  db.transaction(() => {
    if (events.length > 0) projection.apply(db, events);
    writeCheckpoint(db, projection.name, { position, version: projection.version });
  })();
}

/**
 * The client-side reading of an `AllFilter`, matching what the store does server-side. Used where
 * the runner reads `$all` unfiltered on a projection's behalf (rebuild, read-your-write checks).
 */
export function matchesFilter(
  filter: AllFilter | undefined,
  event: Pick<RecordedEvent, 'streamId' | 'type'>,
): boolean {
  if (!filter) return true;
  if ('streamPrefixes' in filter)
    return filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix));
  return filter.eventTypes.includes(event.type);
}
