import { join } from 'node:path';
import { allProjections } from '../src/app/runtime.js';
import { openSqliteEventStore } from '../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventStore } from '../src/eventstore/types.js';
import { openReadModelDb } from '../src/projections/read-model-db.js';
import { rebuildProjections } from '../src/projections/rebuild.js';
import { median } from './stats.js';
import { cloneToCompletion, openBenchWorld, withTempDirectory } from './support.js';

/**
 * SPEC §10: rebuilding every read model (`allProjections()`, as `orgclone projections rebuild`
 * does) from a log of realistic events: a generated source organization and a few clones of it
 * made by the running product (clone streams, the new organizations' streams, provider and name
 * events). Each rebuild goes into a fresh read-model file; one warm-up rebuild is discarded, the
 * figure is the median of the timed ones.
 */

/**
 * A generated source writes about 0.9 events per item, a clone of it about 1.7 (its own stream and
 * the new organization's; skipped items write one): a source and two clones make the target.
 */
const SOURCE_ITEMS_PER_TARGET_EVENT = 1 / 4;
const MAX_CLONES = 10;

/** Fills the store until it holds at least `target` events; returns how many it holds. */
async function seedLog(store: EventStore, target: number): Promise<number> {
  const world = await openBenchWorld({ store });
  try {
    const source = await world.seedSource(Math.round(target * SOURCE_ITEMS_PER_TARGET_EVENT));
    let head = (await store.headPosition()) ?? 0n;
    for (let clone = 0; head < BigInt(target) && clone < MAX_CLONES; clone++) {
      ({ head } = await cloneToCompletion(world, source));
    }
    return Number(head);
  } finally {
    await world.close();
  }
}

async function rebuildRate(store: EventStore): Promise<{ events: number; perSecond: number }> {
  return withTempDirectory('rebuild', async (directory) => {
    const db = openReadModelDb(join(directory, 'readmodel.sqlite'));
    try {
      const startedAt = performance.now();
      const { events } = await rebuildProjections({ store, db, projections: allProjections() });
      return { events, perSecond: events / ((performance.now() - startedAt) / 1000) };
    } finally {
      db.close();
    }
  });
}

export async function runProjectionsBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  const target = opts.quick ? 50_000 : 200_000;
  const rounds = opts.quick ? 3 : 5;
  return withTempDirectory('projections', async (directory) => {
    const store = await openSqliteEventStore({ path: join(directory, 'events.sqlite') });
    try {
      const logEvents = await seedLog(store, target);
      await rebuildRate(store);
      const rates: number[] = [];
      let events = 0;
      for (let round = 0; round < rounds; round++) {
        const rebuilt = await rebuildRate(store);
        if (rebuilt.events !== logEvents) {
          throw new Error(`rebuilt ${rebuilt.events} events of a log of ${logEvents}`);
        }
        events = rebuilt.events;
        rates.push(rebuilt.perSecond);
      }
      return { rebuild_events_per_s: Math.round(median(rates)), rebuild_events: events, rounds };
    } finally {
      await store.close();
    }
  });
}
