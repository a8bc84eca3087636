import type { EventStore, RecordedEvent } from '../eventstore/types.js';
import type { Projection } from './projection.js';
import { commitBatch, matchesFilter, resetProjection } from './projection.js';
import type { ReadModelDb } from './read-model-db.js';

export interface RebuildOptions {
  store: EventStore;
  db: ReadModelDb;
  projections: readonly Projection[];
  /** Events read from `$all` and applied per transaction. */
  pageSize?: number;
}

export interface RebuildResult {
  /** Events read from `$all`. */
  events: number;
  /** Position every projection's checkpoint now holds (null: the log is empty). */
  position: bigint | null;
}

/**
 * Rebuilds read models from scratch: empties them and replays `$all` from the start, one page per
 * transaction, the checkpoints moving with each page. Run it while no `ProjectionRunner` serves the
 * same database. Every projection sees exactly the events its subscription filter would deliver,
 * so the result equals an incrementally built read model byte for byte.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const { store, db, projections, pageSize = 10_000 } = options;
  for (const projection of projections) resetProjection(db, projection);

  let position: bigint | null = null;
  let events = 0;
  for (;;) {
    const page: RecordedEvent[] = [];
    for await (const event of store.readAll({
      ...(position === null ? {} : { after: position }),
      maxCount: pageSize,
    })) {
      page.push(event);
    }
    if (page.length === 0) break;
    const pageEnd = page[page.length - 1]!.position;
    db.transaction(() => {
      for (const projection of projections) {
        const selected = projection.filter
          ? page.filter((event) => matchesFilter(projection.filter, event))
          : page;
        commitBatch(db, projection, selected, pageEnd);
      }
    })();
    position = pageEnd;
    events += page.length;
    if (page.length < pageSize) break;
  }
  return { events, position };
}
