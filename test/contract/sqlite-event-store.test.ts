import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError } from '../../src/eventstore/errors.js';
import {
  EventStoreSchemaTooNewError,
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { SubscriptionQueue } from '../../src/eventstore/subscription-queue.js';
import type {
  EventData,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
} from '../../src/eventstore/types.js';

/** What the SQLite adapter does beyond the shared contract (which `sqlite.contract.test.ts` runs). */

function event(type = 'Happened', data: Record<string, number | string> = {}): EventData {
  return { id: randomUUID(), type, data };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function readUntil(
  subscription: Subscription,
  matches: (message: SubscriptionMessage) => boolean,
): Promise<SubscriptionMessage[]> {
  // Not `for await`: leaving that loop would unsubscribe, and the tests read on afterwards.
  const iterator = subscription[Symbol.asyncIterator]();
  const read: SubscriptionMessage[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new Error('the subscription ended first');
    read.push(next.value);
    if (matches(next.value)) return read;
  }
}

describe('SqliteEventStore', () => {
  let directory: string;
  let path: string;
  let store: SqliteEventStore;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'orgclone-sqlite-store-'));
    path = join(directory, 'events.db');
    store = await openSqliteEventStore({ path });
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  function track(subscription: Subscription): Subscription {
    subscriptions.push(subscription);
    return subscription;
  }

  it('is durable as configured: WAL and synchronous=FULL', () => {
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    // synchronous is per connection: check the one the store holds.
    const connection = (store as unknown as { db: Database.Database }).db;
    expect(connection.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('keeps events and positions across reopening, and numbers positions from 1', async () => {
    const first = await store.appendToStream('reopen', [event(), event()]);
    expect(first.position).toBe(2n);
    await store.close();
    store = await openSqliteEventStore({ path });
    const second = await store.appendToStream('reopen', [event()], { expectedRevision: 1n });
    expect(second).toEqual({ nextExpectedRevision: 2n, position: 3n });
  });

  it('refuses a file whose schema is newer than it knows', async () => {
    await store.close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    await expect(openSqliteEventStore({ path })).rejects.toBeInstanceOf(EventStoreSchemaTooNewError);
    store = await openSqliteEventStore({ path: join(directory, 'other.db') });
  });

  it('refuses ids committed earlier in the stream, or repeated in the batch, and writes nothing', async () => {
    const old = event();
    await store.appendToStream('dupes', [old, event()]);
    const reused = await store
      .appendToStream('dupes', [event(), old], { expectedRevision: 1n })
      .catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(DuplicateEventIdError);
    expect((reused as DuplicateEventIdError).eventId).toBe(old.id);

    const twice = event();
    const repeated = await store.appendToStream('dupes', [twice, twice]).catch((error: unknown) => error);
    expect(repeated).toBeInstanceOf(DuplicateEventIdError);
    expect((repeated as DuplicateEventIdError).eventId).toBe(twice.id);
    expect(await collect(store.readStream('dupes'))).toHaveLength(2);
  });

  it("treats a resend whose events are no longer the stream's last as a duplicate under 'any'", async () => {
    const batch = [event(), event()];
    await store.appendToStream('resend-not-last', batch);
    await store.appendToStream('resend-not-last', [event()]);
    await expect(store.appendToStream('resend-not-last', batch)).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
  });

  it('accepts the same event id in another stream, as EventStoreDB does', async () => {
    const shared = event();
    await store.appendToStream('first-home', [shared]);
    await store.appendToStream('second-home', [shared]);
    expect((await collect(store.readStream('second-home')))[0]!.id).toBe(shared.id);
  });

  it('refuses event ids that are not UUIDs and empty appends, as programming errors', async () => {
    await expect(
      store.appendToStream('bad', [{ id: 'not-a-uuid', type: 'X', data: {} }]),
    ).rejects.toBeInstanceOf(RangeError);
    await expect(store.appendToStream('bad', [])).rejects.toBeInstanceOf(RangeError);
  });

  it('reads more than a page, forwards and backwards, in order', async () => {
    for (let offset = 0; offset < 1_200; offset += 400) {
      await store.appendToStream(
        'paged',
        Array.from({ length: 400 }, (_, n) => event('Counted', { n: offset + n })),
      );
    }
    const forwards = await collect(store.readStream('paged', { fromRevision: 100n, maxCount: 700 }));
    expect(forwards.map((e) => Number(e.revision))).toEqual(Array.from({ length: 700 }, (_, n) => 100 + n));
    const backwards = await collect(store.readAll({ direction: 'backwards', maxCount: 1_100 }));
    expect(backwards.map((e) => Number(e.position))).toEqual(
      Array.from({ length: 1_100 }, (_, n) => 1_200 - n),
    );
  });

  it('lets a filtered $all subscription checkpoint past events it does not deliver', async () => {
    await store.appendToStream(
      'noise-1',
      Array.from({ length: 50 }, () => event()),
    );
    const subscription = track(store.subscribeToAll({ filter: { streamPrefixes: ['wanted-'] } }));
    const history = await readUntil(subscription, (m) => m.kind === 'caughtUp');
    expect(history).toEqual([
      { kind: 'checkpoint', position: 50n },
      { kind: 'caughtUp', position: 50n },
    ]);

    await store.appendToStream('noise-2', [event(), event()]);
    expect(await readUntil(subscription, (m) => m.kind === 'checkpoint')).toEqual([
      { kind: 'checkpoint', position: 52n },
    ]);
    const wanted = event();
    await store.appendToStream('wanted-1', [wanted]);
    const [delivered] = await readUntil(subscription, (m) => m.kind === 'event');
    expect(delivered).toMatchObject({ kind: 'event', event: { id: wanted.id, position: 53n } });
  });

  it('scans a long filtered history in bounded windows, checkpointing after each', async () => {
    for (let round = 0; round < 5; round++) {
      await store.appendToStream(
        'noise',
        Array.from({ length: 5_000 }, () => event()),
      );
    }
    const wanted = event();
    await store.appendToStream('wanted', [wanted]);
    const subscription = track(store.subscribeToAll({ filter: { eventTypes: ['Wanted', 'Happened'] } }));
    const history = await readUntil(subscription, (m) => m.kind === 'caughtUp');
    expect(history.filter((m) => m.kind === 'event')).toHaveLength(25_001);

    const sparse = track(store.subscribeToAll({ filter: { streamPrefixes: ['wanted'] } }));
    const messages = await readUntil(sparse, (m) => m.kind === 'caughtUp');
    expect(messages).toEqual([
      { kind: 'checkpoint', position: 10_000n },
      { kind: 'checkpoint', position: 20_000n },
      { kind: 'event', event: expect.objectContaining({ id: wanted.id, position: 25_001n }) },
      { kind: 'caughtUp', position: 25_001n },
    ]);
  });

  it('pauses paging history while the consumer has a page or more unread', async () => {
    for (let offset = 0; offset < 3_000; offset += 500) {
      await store.appendToStream(
        'backlog',
        Array.from({ length: 500 }, (_, n) => event('Counted', { n: offset + n })),
      );
    }
    const subscription = track(store.subscribeToStream('backlog'));
    // Give the producer ample opportunity to run ahead of a consumer that reads nothing yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((subscription as SubscriptionQueue).backlog).toBeLessThanOrEqual(1_000);

    const events = (await readUntil(subscription, (m) => m.kind === 'caughtUp')).filter(
      (m) => m.kind === 'event',
    );
    expect(events.map((m) => (m.event as RecordedEvent).revision)).toEqual(
      Array.from({ length: 3_000 }, (_, n) => BigInt(n)),
    );
  });

  it('ends live subscriptions when the store closes', async () => {
    const subscription = store.subscribeToAll();
    await readUntil(subscription, (m) => m.kind === 'caughtUp');
    const ended = collect(subscription);
    await store.close();
    expect(await ended).toEqual([]);
    store = await openSqliteEventStore({ path });
  });

  it('reports caughtUp at the head of $all, and at the last event of a stream', async () => {
    const empty = track(store.subscribeToAll());
    expect(await readUntil(empty, (m) => m.kind === 'caughtUp')).toEqual([
      { kind: 'caughtUp', position: null },
    ]);
    await store.appendToStream('caught-up', [event(), event()]);
    await store.appendToStream('elsewhere', [event()]);
    const all = track(store.subscribeToAll({ after: 1n }));
    expect((await readUntil(all, (m) => m.kind === 'caughtUp')).at(-1)).toEqual({
      kind: 'caughtUp',
      position: 3n,
    });
    const stream = track(store.subscribeToStream('caught-up', { after: 'end' }));
    expect(await readUntil(stream, (m) => m.kind === 'caughtUp')).toEqual([
      { kind: 'caughtUp', position: 2n },
    ]);
  });
});
