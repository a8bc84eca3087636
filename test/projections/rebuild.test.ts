import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/projections/rebuild.js';
import { dumpReadModel, readCheckpoint } from '../../src/projections/read-model-db.js';
import type { ProjectionFixture } from './support/fixture.js';
import { projectionFixture } from './support/fixture.js';
import { readStreamCounts, streamCountProjection } from './support/stream-count-projection.js';

const WAIT = { timeoutMs: 10_000 };

function projections() {
  return [
    streamCountProjection({ recordLastType: true }),
    streamCountProjection({ name: 'a_streams', filter: { streamPrefixes: ['a-'] } }),
    streamCountProjection({ name: 'renames', filter: { eventTypes: ['Renamed'] } }),
  ];
}

let fixture: ProjectionFixture;
beforeEach(async () => {
  fixture = await projectionFixture();
});
afterEach(async () => {
  await fixture.close();
});

describe('rebuildProjections', () => {
  it('gives the same read model, byte for byte, as the projections built incrementally', async () => {
    await fixture.append(['a-1', 'b-1', 'a-2'], 300, 'Created', 40);
    const incremental = fixture.openDb('incremental.db');
    const runner = await fixture.startRunner({
      db: incremental,
      projections: projections(),
      maxBatchSize: 13,
    });
    // Live writes while the runner follows, in small appends that interleave with its batches.
    await fixture.append(['a-1', 'c-1'], 50, 'Renamed', 3);
    await fixture.append(['b-2'], 20, 'Created', 1);
    const head = await fixture.append(['a-3', 'b-1'], 10, 'Renamed', 2);
    await runner.waitForPosition(head, WAIT);
    await runner.stop();

    const rebuilt = fixture.openDb('rebuilt.db');
    const result = await rebuildProjections({
      store: fixture.store,
      db: rebuilt,
      projections: projections(),
      pageSize: 97,
    });

    expect(result).toEqual({ events: 1040, position: head });
    expect(readStreamCounts(rebuilt, 'renames')).toEqual(
      await fixture.countsInStore({ eventTypes: ['Renamed'] }),
    );
    expect(readStreamCounts(rebuilt, 'a_streams')).toEqual(
      await fixture.countsInStore({ streamPrefixes: ['a-'] }),
    );
    expect(dumpReadModel(rebuilt)).toEqual(dumpReadModel(incremental));
    for (const projection of projections()) {
      expect(readCheckpoint(rebuilt, projection.name)).toEqual({ position: head, version: 1 });
    }
  });

  it('replaces what a read model held, and the runner resumes after it', async () => {
    await fixture.append(['a-1', 'b-1'], 25);
    const db = fixture.openDb();
    const first = await fixture.startRunner({ db, projections: projections() });
    await first.waitForPosition((await fixture.store.headPosition())!, WAIT);
    await first.stop();
    const built = dumpReadModel(db);
    db.exec(`UPDATE stream_counts_rows SET events = 0; DELETE FROM a_streams_rows`);

    await rebuildProjections({ store: fixture.store, db, projections: projections() });
    expect(dumpReadModel(db)).toEqual(built);

    const head = await fixture.append(['a-1'], 5, 'Renamed');
    const second = await fixture.startRunner({ db, projections: projections() });
    await second.waitForPosition(head, WAIT);
    expect(readStreamCounts(db)).toEqual(await fixture.countsInStore());
    expect(readStreamCounts(db, 'renames')).toEqual({ 'a-1': 5 });
    expect(fixture.logs).toEqual([]);
  });

  it('empties the read models of an empty log', async () => {
    const db = fixture.openDb();
    expect(await rebuildProjections({ store: fixture.store, db, projections: projections() })).toEqual({
      events: 0,
      position: null,
    });
    expect(readStreamCounts(db)).toEqual({});
    expect(readCheckpoint(db, 'renames')).toEqual({ position: null, version: 1 });
  });

  it('replays a large log quickly (rate logged, not asserted)', async () => {
    const streams = Array.from({ length: 100 }, (_, index) => `org-${index}`);
    await fixture.append(streams, 1000, 'Happened', 500);
    const db = fixture.openDb();

    const started = performance.now();
    const result = await rebuildProjections({
      store: fixture.store,
      db,
      projections: [
        streamCountProjection(),
        streamCountProjection({ name: 'half', filter: { streamPrefixes: ['org-1'] } }),
      ],
    });
    const seconds = (performance.now() - started) / 1000;

    console.log(
      `projection rebuild: ${result.events} events in ${seconds.toFixed(2)} s = ${Math.round(result.events / seconds)} events/s`,
    );
    expect(result.events).toBe(100_000);
    expect(readStreamCounts(db)['org-42']).toBe(1000);
  });
});
