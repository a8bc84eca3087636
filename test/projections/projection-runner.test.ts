import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/eventstore/types.js';
import { ProjectionFailedError, ProjectionTimeoutError } from '../../src/projections/errors.js';
import { readCheckpoint } from '../../src/projections/read-model-db.js';
import type { ProjectionFixture } from './support/fixture.js';
import { projectionFixture } from './support/fixture.js';
import { readStreamCounts, streamCountProjection } from './support/stream-count-projection.js';

const WAIT = { timeoutMs: 10_000 };

let fixture: ProjectionFixture;
beforeEach(async () => {
  fixture = await projectionFixture();
});
afterEach(async () => {
  await fixture.close();
});

describe('ProjectionRunner', () => {
  it('applies the history, then live events, each exactly once', async () => {
    await fixture.append(['a-1', 'a-2', 'b-1'], 120);
    const db = fixture.openDb();
    const runner = await fixture.startRunner({ db, projections: [streamCountProjection()], maxBatchSize: 7 });

    await runner.waitForPosition((await fixture.store.headPosition())!, WAIT);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 120, 'a-2': 120, 'b-1': 120 });

    const live = await fixture.append(['a-1', 'c-1'], 30);
    await runner.waitForPosition(live, WAIT);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 150, 'a-2': 120, 'b-1': 120, 'c-1': 30 });
    expect(runner.position()).toBe(live);
    expect(readCheckpoint(db, 'stream_counts')).toEqual({ position: live, version: 1 });
    expect(runner.isCaughtUp()).toBe(true);
    expect(fixture.logs).toEqual([]);
  });

  it('is caught up on an empty store and follows the first events', async () => {
    const db = fixture.openDb();
    const runner = await fixture.startRunner({ db, projections: [streamCountProjection()] });
    expect(runner.isCaughtUp()).toBe(true);
    expect(runner.position()).toBeNull();

    await runner.waitForPosition(await fixture.append(['a-1'], 3), WAIT);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 3 });
  });

  it('becomes caught up only once the history that existed at start is applied', async () => {
    await fixture.append(['a-1', 'a-2'], 500, 'Happened', 500);
    const runner = await fixture.startRunner({
      db: fixture.openDb(),
      projections: [streamCountProjection()],
      maxBatchSize: 10,
    });

    expect(runner.isCaughtUp()).toBe(false);
    await runner.waitForPosition((await fixture.store.headPosition())!, WAIT);
    expect(runner.isCaughtUp()).toBe(true);
  });

  it('resumes after its checkpoint on restart: nothing applied twice, nothing skipped', async () => {
    await fixture.append(['a-1', 'b-1'], 40);
    const db = fixture.openDb();
    const first = await fixture.startRunner({ db, projections: [streamCountProjection()], maxBatchSize: 9 });
    await first.waitForPosition((await fixture.store.headPosition())!, WAIT);
    await first.stop();

    await fixture.append(['a-1', 'c-1'], 25);
    const second = await fixture.startRunner({ db, projections: [streamCountProjection()], maxBatchSize: 9 });
    await second.waitForPosition((await fixture.store.headPosition())!, WAIT);

    expect(readStreamCounts(db)).toEqual(await fixture.countsInStore());
    expect(fixture.logs).toEqual([]);
  });

  it('rolls a batch back entirely when the process dies inside it, and redoes it after a restart', async () => {
    await fixture.append(['a-1', 'b-1'], 60);
    const db = fixture.openDb();
    let applied = 0;
    // Dies after writing a few rows of the fourth batch of 10.
    const dying = streamCountProjection({
      afterEvent: () => {
        if (++applied === 34) throw new Error('process killed');
      },
    });
    const first = await fixture.startRunner({ db, projections: [dying], maxBatchSize: 10 });
    const failure = await first
      .waitForPosition((await fixture.store.headPosition())!, WAIT)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProjectionFailedError);

    const checkpoint = readCheckpoint(db, 'stream_counts')!.position!;
    const countsAtCheckpoint: Record<string, number> = {};
    for await (const event of fixture.store.readAll({ maxCount: Number(checkpoint) })) {
      countsAtCheckpoint[event.streamId] = (countsAtCheckpoint[event.streamId] ?? 0) + 1;
    }
    expect(Object.values(countsAtCheckpoint).reduce((sum, count) => sum + count, 0)).toBe(30);
    expect(readStreamCounts(db)).toEqual(countsAtCheckpoint);
    await first.stop();

    const second = await fixture.startRunner({
      db,
      projections: [streamCountProjection()],
      maxBatchSize: 10,
    });
    await second.waitForPosition((await fixture.store.headPosition())!, WAIT);
    expect(readStreamCounts(db)).toEqual(await fixture.countsInStore());
  });

  it('writes the checkpoint in the same transaction as the rows: a failed checkpoint write undoes the rows', async () => {
    await fixture.append(['a-1', 'b-1'], 30);
    const db = fixture.openDb();
    // The crash strikes between the projection's writes and the checkpoint's, once, at the third batch.
    db.exec(`CREATE TABLE crash (at_update INTEGER NOT NULL)`);
    db.exec(`INSERT INTO crash VALUES (3)`);
    db.exec(`CREATE TRIGGER crash_on_checkpoint BEFORE UPDATE ON projection_checkpoints
             WHEN (SELECT at_update FROM crash) = 1
             BEGIN SELECT RAISE(ABORT, 'process killed'); END`);
    db.exec(`CREATE TRIGGER count_checkpoint_updates AFTER UPDATE ON projection_checkpoints
             BEGIN UPDATE crash SET at_update = at_update - 1; END`);

    const first = await fixture.startRunner({ db, projections: [streamCountProjection()], maxBatchSize: 10 });
    await expect(first.waitForPosition((await fixture.store.headPosition())!, WAIT)).rejects.toBeInstanceOf(
      ProjectionFailedError,
    );
    expect(readCheckpoint(db, 'stream_counts')!.position).toBe(20n);
    const applied = Object.values(readStreamCounts(db)).reduce((sum, count) => sum + count, 0);
    expect(applied).toBe(20);
    await first.stop();

    db.exec('DROP TRIGGER crash_on_checkpoint');
    const second = await fixture.startRunner({
      db,
      projections: [streamCountProjection()],
      maxBatchSize: 10,
    });
    await second.waitForPosition((await fixture.store.headPosition())!, WAIT);
    expect(readStreamCounts(db)).toEqual(await fixture.countsInStore());
  });

  it('rebuilds a projection whose version changed, and only that one', async () => {
    await fixture.append(['a-1', 'b-1'], 20, 'Created');
    const db = fixture.openDb();
    const first = await fixture.startRunner({
      db,
      projections: [streamCountProjection(), streamCountProjection({ name: 'other' })],
    });
    await first.waitForPosition((await fixture.store.headPosition())!, WAIT);
    await first.stop();
    // Tamper with the unchanged projection: a rebuild of it would undo this.
    db.exec(`UPDATE other_rows SET events = 1000 WHERE stream_id = 'a-1'`);
    await fixture.append(['a-1'], 5, 'Renamed');

    const second = await fixture.startRunner({
      db,
      projections: [
        streamCountProjection({ version: 2, recordLastType: true }),
        streamCountProjection({ name: 'other' }),
      ],
    });
    await second.waitForPosition((await fixture.store.headPosition())!, WAIT);

    expect(
      db.prepare('SELECT stream_id, events, last_type FROM stream_counts_rows ORDER BY stream_id').all(),
    ).toEqual([
      { stream_id: 'a-1', events: 25, last_type: 'Renamed' },
      { stream_id: 'b-1', events: 20, last_type: 'Created' },
    ]);
    expect(readCheckpoint(db, 'stream_counts')!.version).toBe(2);
    expect(readStreamCounts(db, 'other')).toEqual({ 'a-1': 1005, 'b-1': 20 });
    expect(fixture.logs).toEqual([
      expect.objectContaining({ level: 'info', projection: 'stream_counts', version: 2 }),
    ]);
  });

  it('moves a filtered projection past events it never sees', async () => {
    await fixture.append(['a-1'], 10);
    await fixture.append(['b-1'], 30);
    const db = fixture.openDb();
    const filter = { streamPrefixes: ['a-'] };
    const runner = await fixture.startRunner({
      db,
      projections: [streamCountProjection({ filter }), streamCountProjection({ name: 'everything' })],
    });
    const historyHead = (await fixture.store.headPosition())!;
    await runner.waitForPosition(historyHead, WAIT);
    await until(() => runner.isCaughtUp());
    // The last `a-` event is at position 10; the checkpoint moved on to the head of the history.
    expect(readCheckpoint(db, 'stream_counts')!.position).toBe(historyHead);

    const live = await fixture.append(['b-2'], 5);
    await until(() => readCheckpoint(db, 'stream_counts')!.position === live);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 10 });
    expect(readStreamCounts(db, 'everything')).toEqual(await fixture.countsInStore());
  });

  it('filters by event type', async () => {
    await fixture.append(['a-1', 'b-1'], 4, 'Created');
    await fixture.append(['a-1'], 3, 'Renamed');
    const db = fixture.openDb();
    const filter = { eventTypes: ['Renamed'] };
    const runner = await fixture.startRunner({ db, projections: [streamCountProjection({ filter })] });
    await runner.waitForPosition((await fixture.store.headPosition())!, WAIT);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 3 });
  });

  it("waits for a write its filtered projections don't select, on a store that sends no checkpoints", async () => {
    await fixture.append(['a-1'], 5);
    const db = fixture.openDb();
    // Like EventStoreDB, which sends a filtered subscription's checkpoints only every so many events.
    const runner = await fixture.startRunner({
      db,
      store: withoutCheckpoints(fixture.store),
      projections: [streamCountProjection({ filter: { streamPrefixes: ['a-'] } })],
    });
    await runner.waitForPosition(5n, WAIT);

    const unrelated = await fixture.append(['b-1'], 1);
    await runner.waitForPosition(unrelated, WAIT);
    expect(readCheckpoint(db, 'stream_counts')!.position).toBe(unrelated);

    await fixture.append(['a-1'], 1);
    const unrelatedAgain = await fixture.append(['b-1'], 1);
    await runner.waitForPosition(unrelatedAgain, WAIT);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 6 });
    expect(readCheckpoint(db, 'stream_counts')!.position).toBe(unrelatedAgain);
  });

  it('reads $all once for all its projections, however their filters differ', async () => {
    await fixture.append(['a-1', 'b-1'], 20, 'Created');
    const db = fixture.openDb();
    const subscriptions: unknown[] = [];
    const counting = Object.create(fixture.store) as EventStore;
    counting.subscribeToAll = (options) => {
      subscriptions.push(options);
      return fixture.store.subscribeToAll(options);
    };
    const runner = await fixture.startRunner({
      db,
      store: counting,
      projections: [
        streamCountProjection({ name: 'a_only', filter: { streamPrefixes: ['a-'] } }),
        streamCountProjection({ name: 'created', filter: { eventTypes: ['Created'] } }),
        streamCountProjection(),
      ],
    });
    await runner.waitForPosition(await fixture.append(['b-1'], 3, 'Renamed'), WAIT);

    expect(subscriptions).toEqual([{}]);
    expect(readStreamCounts(db, 'a_only')).toEqual({ 'a-1': 20 });
    expect(readStreamCounts(db, 'created')).toEqual({ 'a-1': 20, 'b-1': 20 });
    expect(readStreamCounts(db)).toEqual({ 'a-1': 20, 'b-1': 23 });
  });

  it('rejects a wait with a typed timeout naming the projections that lag', async () => {
    const head = await fixture.append(['a-1'], 3);
    const runner = await fixture.startRunner({
      db: fixture.openDb(),
      projections: [
        streamCountProjection(),
        streamCountProjection({ name: 'filtered', filter: { eventTypes: ['X'] } }),
      ],
    });
    await runner.waitForPosition(head, WAIT);

    const failure = await runner
      .waitForPosition(head + 100n, { timeoutMs: 50 })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProjectionTimeoutError);
    expect(failure).toMatchObject({
      code: 'PROJECTION_TIMEOUT',
      position: head + 100n,
      lagging: ['stream_counts', 'filtered'],
    });
  });

  it('stops a projection whose fold throws, logs it, and keeps the others running', async () => {
    await fixture.append(['a-1'], 5, 'Fine');
    const db = fixture.openDb();
    const broken = streamCountProjection({
      name: 'broken',
      afterEvent: (event) => {
        if (event.type === 'Poison') throw new Error('cannot fold Poison');
      },
    });
    const runner = await fixture.startRunner({ db, projections: [broken, streamCountProjection()] });
    await runner.waitForPosition((await fixture.store.headPosition())!, WAIT);

    const poison = await fixture.append(['a-1'], 1, 'Poison');
    const failure = await runner.waitForPosition(poison, WAIT).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProjectionFailedError);
    expect(failure).toMatchObject({ projection: 'broken', cause: new Error('cannot fold Poison') });
    expect(fixture.logs).toEqual([
      expect.objectContaining({
        level: 'error',
        projection: 'broken',
        error: new Error('cannot fold Poison'),
        toPosition: poison.toString(),
      }),
    ]);
    expect(runner.isCaughtUp()).toBe(false);
    expect(runner.status().map((status) => [status.name, status.failure !== undefined])).toEqual([
      ['broken', true],
      ['stream_counts', false],
    ]);
    expect(readStreamCounts(db, 'broken')).toEqual({ 'a-1': 5 });

    const after = await fixture.append(['a-1'], 2, 'Fine');
    await until(() => runner.status()[1]!.position === after);
    expect(readStreamCounts(db)).toEqual({ 'a-1': 8 });
  });

  it('refuses two projections with one name', async () => {
    await expect(
      fixture.startRunner({
        db: fixture.openDb(),
        projections: [streamCountProjection(), streamCountProjection()],
      }),
    ).rejects.toThrow('duplicate projection name stream_counts');
  });
});

function withoutCheckpoints(store: EventStore): EventStore {
  const wrapped = Object.create(store) as EventStore;
  wrapped.subscribeToAll = (options) => {
    const inner = store.subscribeToAll(options);
    return {
      unsubscribe: () => inner.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        for await (const message of inner) if (message.kind !== 'checkpoint') yield message;
      },
    };
  };
  return wrapped;
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; !condition(); attempt++) {
    if (attempt > 1000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
