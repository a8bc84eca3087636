import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AggregateCache } from '../../src/application/aggregate-cache.js';
import { handleCommand, loadAggregate } from '../../src/application/command-handler.js';
import { ConcurrencyConflictError } from '../../src/application/errors.js';
import type { Decider } from '../../src/domain/decider.js';
import { WrongExpectedVersionError } from '../../src/eventstore/errors.js';
import type { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventStore, RecordedEvent } from '../../src/eventstore/types.js';
import { deterministicUuid } from '../../src/shared/ids.js';

// A tally: the smallest aggregate that has a creation, a state-dependent decision and a no-op.
type TallyEvent =
  | { type: 'TallyOpened'; data: { name: string } }
  | { type: 'TallyAdded'; data: { by: number; total: number } };
type TallyCommand = { type: 'OpenTally'; name: string } | { type: 'Add'; by: number };
interface TallyState {
  open: boolean;
  total: number;
}

const tally: Decider<TallyState, TallyCommand, TallyEvent, { limit: number }> = {
  initialState: () => ({ open: false, total: 0 }),
  decide(command, state, context) {
    if (command.type === 'OpenTally')
      return state.open ? [] : [{ type: 'TallyOpened', data: { name: command.name } }];
    if (!state.open) throw new Error('tally not open');
    if (command.by === 0) return [];
    if (state.total + command.by > context.limit) throw new Error('over the limit');
    return [{ type: 'TallyAdded', data: { by: command.by, total: state.total + command.by } }];
  },
  evolve(state, event) {
    if (event.type === 'TallyOpened') return { ...state, open: true };
    return { ...state, total: event.data.total };
  },
};

const metadata = { correlationId: 'corr-1', causationId: 'cause-1', actor: 'admin-1' };
const now = () => new Date('2025-03-04T05:06:07.089Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let store: SqliteEventStore;

beforeEach(async () => {
  store = await openSqliteEventStore({
    path: join(mkdtempSync(join(tmpdir(), 'command-handler-')), 'events.db'),
  });
});
afterEach(async () => {
  await store.close();
});

function run(
  command: TallyCommand,
  streamId = 'tally-1',
  extra: { store?: EventStore; maxRetries?: number } = {},
) {
  return handleCommand({
    store: extra.store ?? store,
    streamId,
    decider: tally,
    command,
    context: { limit: 100 },
    metadata,
    now,
    maxRetries: extra.maxRetries,
  });
}

async function readStream(streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
}

describe('handleCommand', () => {
  it('creates the stream and stamps every event with the command metadata and a random UUID', async () => {
    const result = await run({ type: 'OpenTally', name: 'apples' });

    const stored = await readStream('tally-1');
    expect(stored.map((event) => [event.type, event.data, event.revision])).toEqual([
      ['TallyOpened', { name: 'apples' }, 0n],
    ]);
    expect(stored[0]!.metadata).toEqual({ ...metadata, recordedAt: '2025-03-04T05:06:07.089Z' });
    expect(stored[0]!.id).toMatch(UUID);
    expect(result).toEqual({
      events: [
        {
          type: 'TallyOpened',
          data: { name: 'apples' },
          id: stored[0]!.id,
          metadata: stored[0]!.metadata,
          revision: 0n,
        },
      ],
      state: { open: true, total: 0 },
      nextExpectedRevision: 0n,
      position: stored[0]!.position,
    });
  });

  it('appends at the revision it read and folds the new events into the returned state', async () => {
    await run({ type: 'OpenTally', name: 'apples' });
    await run({ type: 'Add', by: 3 });
    const result = await run({ type: 'Add', by: 4 });

    expect(result.state).toEqual({ open: true, total: 7 });
    expect(result.nextExpectedRevision).toBe(2n);
    expect(result.events.map((event) => [event.revision, event.data])).toEqual([[2n, { by: 4, total: 7 }]]);
    expect(result.position).toBe(await store.headPosition());
    const ids = (await readStream('tally-1')).map((event) => event.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('appends nothing when the decision is empty', async () => {
    await run({ type: 'OpenTally', name: 'apples' });
    const head = await store.headPosition();

    const result = await run({ type: 'Add', by: 0 });

    expect(result).toEqual({
      events: [],
      state: { open: true, total: 0 },
      nextExpectedRevision: 0n,
      position: null,
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('reports an empty decision on a missing stream with no revision', async () => {
    const noOp: typeof tally = { ...tally, decide: () => [] };
    const result = await handleCommand({
      store,
      streamId: 'tally-none',
      decider: noOp,
      command: { type: 'Add', by: 1 },
      context: { limit: 1 },
      metadata,
      now,
    });
    expect(result).toEqual({
      events: [],
      state: { open: false, total: 0 },
      nextExpectedRevision: null,
      position: null,
    });
  });

  it('lets domain errors through and writes nothing', async () => {
    await expect(run({ type: 'Add', by: 1 })).rejects.toThrow('tally not open');
    expect(await store.headPosition()).toBeNull();
  });

  it('uses deterministic ids when given, so a resent decision is a no-op', async () => {
    const decidedOnce = await handleCommand({
      store,
      streamId: 'tally-1',
      decider: tally,
      command: { type: 'OpenTally', name: 'apples' },
      context: { limit: 100 },
      metadata,
      now,
      eventIds: (events) =>
        events.map((event, index) => deterministicUuid('tally-1', event.type, String(index))),
    });
    expect(decidedOnce.events[0]!.id).toBe(deterministicUuid('tally-1', 'TallyOpened', '0'));
    expect((await readStream('tally-1')).map((event) => event.id)).toEqual([decidedOnce.events[0]!.id]);
  });

  it('rejects an eventIds function that does not return one id per event', async () => {
    await expect(
      handleCommand({
        store,
        streamId: 'tally-1',
        decider: tally,
        command: { type: 'OpenTally', name: 'apples' },
        context: { limit: 100 },
        metadata,
        now,
        eventIds: () => [],
      }),
    ).rejects.toThrow('eventIds returned 0 ids for 1 events');
  });

  it('serializes concurrent commands on one stream: every one lands, none is lost', async () => {
    await run({ type: 'OpenTally', name: 'apples' });

    const results = await Promise.all(
      Array.from({ length: 8 }, () => run({ type: 'Add', by: 1 }, 'tally-1', { maxRetries: 20 })),
    );

    const stored = await readStream('tally-1');
    expect(stored.map((event) => (event.data as { total?: number }).total)).toEqual([
      undefined,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
    ]);
    expect(results.map((result) => result.state.total).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  describe('when another writer gets in between the read and the append', () => {
    /** The real store, with a competing append after each of the first `times` stream reads. */
    function storeWithInterference(times: number): EventStore & { interferences: number } {
      const racing = Object.create(store) as EventStore & { interferences: number };
      racing.interferences = 0;
      racing.readStream = async function* (streamId, options) {
        yield* store.readStream(streamId, options);
        if (racing.interferences >= times) return;
        racing.interferences++;
        await store.appendToStream(streamId, [
          { id: randomUUID(), type: 'TallyAdded', data: { by: 10, total: 10 * racing.interferences } },
        ]);
      };
      return racing;
    }

    it('decides again on the fresh state and succeeds within the retry budget', async () => {
      await run({ type: 'OpenTally', name: 'apples' });
      const racing = storeWithInterference(3);

      const result = await run({ type: 'Add', by: 1 }, 'tally-1', { store: racing, maxRetries: 3 });

      expect(racing.interferences).toBe(3);
      expect(result.state.total).toBe(31);
      expect(result.nextExpectedRevision).toBe(4n);
    });

    it('gives up after maxRetries with a CONFLICT error', async () => {
      await run({ type: 'OpenTally', name: 'apples' });
      const racing = storeWithInterference(3);

      const failure = await run({ type: 'Add', by: 1 }, 'tally-1', { store: racing, maxRetries: 2 }).catch(
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(ConcurrencyConflictError);
      expect(failure).toMatchObject({
        code: 'CONFLICT',
        reason: 'CONCURRENT_MODIFICATION',
        streamId: 'tally-1',
        attempts: 3,
      });
      expect((failure as Error).cause).toBeInstanceOf(WrongExpectedVersionError);
      expect((await readStream('tally-1')).map((event) => event.type)).toEqual([
        'TallyOpened',
        'TallyAdded',
        'TallyAdded',
        'TallyAdded',
      ]);
    });
  });
});

describe('loadAggregate', () => {
  beforeEach(async () => {
    await run({ type: 'OpenTally', name: 'apples' });
    for (const by of [1, 2, 3]) await run({ type: 'Add', by });
  });

  it('folds the whole stream', async () => {
    expect(await loadAggregate(store, 'tally-1', tally)).toEqual({
      state: { open: true, total: 6 },
      revision: 3n,
    });
  });

  it('folds up to and including a revision', async () => {
    expect(await loadAggregate(store, 'tally-1', tally, { upToRevision: 0n })).toEqual({
      state: { open: true, total: 0 },
      revision: 0n,
    });
    expect(await loadAggregate(store, 'tally-1', tally, { upToRevision: 2n })).toEqual({
      state: { open: true, total: 3 },
      revision: 2n,
    });
  });

  it('tells the revision really reached when the stream is shorter than asked', async () => {
    expect(await loadAggregate(store, 'tally-1', tally, { upToRevision: 99n })).toEqual({
      state: { open: true, total: 6 },
      revision: 3n,
    });
  });

  it('gives the initial state and no revision for a missing stream', async () => {
    expect(await loadAggregate(store, 'tally-missing', tally)).toEqual({
      state: { open: false, total: 0 },
      revision: null,
    });
  });

  it('refuses a negative revision', async () => {
    await expect(loadAggregate(store, 'tally-1', tally, { upToRevision: -1n })).rejects.toThrow(RangeError);
  });
});

describe('loadAggregate with a cache', () => {
  /** The store, telling which revisions each read started from. */
  function readsFrom(): { store: EventStore; starts: (bigint | string | undefined)[] } {
    const starts: (bigint | string | undefined)[] = [];
    const counting: EventStore = Object.create(store) as EventStore;
    counting.readStream = (streamId, options) => {
      starts.push(options?.fromRevision);
      return store.readStream(streamId, options);
    };
    return { store: counting, starts };
  }

  beforeEach(async () => {
    await run({ type: 'OpenTally', name: 'apples' });
    for (const by of [1, 2]) await run({ type: 'Add', by });
  });

  it('reads only the events after the cached state, and keeps the newer state', async () => {
    const cache = new AggregateCache<TallyState>(4);
    const { store: counting, starts } = readsFrom();
    expect(await loadAggregate(counting, 'tally-1', tally, { cache })).toEqual({
      state: { open: true, total: 3 },
      revision: 2n,
    });
    await run({ type: 'Add', by: 4 });
    expect(await loadAggregate(counting, 'tally-1', tally, { cache })).toEqual({
      state: { open: true, total: 7 },
      revision: 3n,
    });
    expect(starts).toEqual([0n, 3n]);
    expect(cache.get('tally-1')).toEqual({ state: { open: true, total: 7 }, revision: 3n });
  });

  it('answers a revision it holds without reading, and folds from the start for an earlier one', async () => {
    const cache = new AggregateCache<TallyState>(4);
    const { store: counting, starts } = readsFrom();
    await loadAggregate(counting, 'tally-1', tally, { cache });
    expect(await loadAggregate(counting, 'tally-1', tally, { cache, upToRevision: 2n })).toEqual({
      state: { open: true, total: 3 },
      revision: 2n,
    });
    expect(await loadAggregate(counting, 'tally-1', tally, { cache, upToRevision: 1n })).toEqual({
      state: { open: true, total: 1 },
      revision: 1n,
    });
    expect(starts).toEqual([0n, 0n]);
    // The earlier state does not replace the later one.
    expect(cache.get('tally-1')?.revision).toBe(2n);
  });

  it('is kept up to date by the commands handled with it', async () => {
    const cache = new AggregateCache<TallyState>(4);
    await handleCommand({
      store,
      streamId: 'tally-1',
      decider: tally,
      command: { type: 'Add', by: 5 },
      context: { limit: 100 },
      metadata,
      now,
      cache,
    });
    expect(cache.get('tally-1')).toEqual({ state: { open: true, total: 8 }, revision: 3n });
  });

  it('forgets the least recently used stream beyond its bound', () => {
    const cache = new AggregateCache<TallyState>(2);
    cache.remember('a', { open: true, total: 1 }, 0n);
    cache.remember('b', { open: true, total: 2 }, 0n);
    cache.get('a');
    cache.remember('c', { open: true, total: 3 }, 0n);
    expect([cache.get('a')?.state.total, cache.get('b'), cache.get('c')?.state.total]).toEqual([
      1,
      undefined,
      3,
    ]);
  });
});
