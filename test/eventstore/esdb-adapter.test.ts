import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, UnavailableError } from '@eventstore/db-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEsdbEventStore, type EsdbEventStore } from '../../src/eventstore/esdb/esdb-event-store.js';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../../src/eventstore/errors.js';
import type {
  EventData,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
} from '../../src/eventstore/types.js';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb-test-server/index.js';

/*
 * What is specific to the EventStoreDB adapter, against the in-process server: telling a corrupted
 * idempotency from a conflict, the order of what the client announces, checkpoints, and resubscription
 * when the server drops a subscription or goes away. The port's semantics are the contract suite's.
 */

let server: EsdbTestServer;
let store: EsdbEventStore;

beforeAll(async () => {
  server = await startEsdbTestServer();
  store = openEsdbEventStore(server.connectionString);
});

afterAll(async () => {
  await store.close();
  await server.stop();
});

const streamName = (prefix = 'adapter') => `${prefix}-${randomUUID()}`;
const event = (type = 'Happened', data: EventData['data'] = { at: 1 }): EventData => ({
  id: randomUUID(),
  type,
  data,
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Reads messages until `done` says the ones read so far are enough. */
async function readUntil(
  iterator: AsyncIterator<SubscriptionMessage>,
  done: (messages: SubscriptionMessage[]) => boolean,
  messages: SubscriptionMessage[] = [],
): Promise<SubscriptionMessage[]> {
  while (!done(messages)) {
    const next = await iterator.next();
    if (next.done) throw new Error(`the subscription ended after ${messages.length} messages`);
    messages.push(next.value);
  }
  return messages;
}

/** Appends as a caller would after an outage: retrying while the client has not reconnected yet. */
async function appendOnceReachable(stream: string, events: EventData[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.appendToStream(stream, events);
      return;
    } catch (error) {
      const transient = error instanceof CancelledError || error instanceof UnavailableError;
      if (!transient || attempt === 100) throw error;
      await sleep(20);
    }
  }
}

const eventsIn = (messages: SubscriptionMessage[]): RecordedEvent[] =>
  messages.flatMap((message) => (message.kind === 'event' ? [message.event] : []));

describe('EsdbEventStore on the in-process EventStoreDB server', () => {
  const open: Subscription[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.unsubscribe()));
    await server.start();
  });
  const subscribe = (subscription: Subscription) => {
    open.push(subscription);
    return subscription;
  };

  it('tells a resend that only partly matches from a conflict, which the server reports alike', async () => {
    const stream = streamName();
    const batch = [event(), event()];
    await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

    // The first id is stored right after the expectation, the second is not: a corrupted idempotency.
    await expect(
      store.appendToStream(stream, [batch[0]!, event()], { expectedRevision: 'no_stream' }),
    ).rejects.toEqual(new DuplicateEventIdError(stream, batch[0]!.id));
    // The first id differs (the server sees a plain conflict) but the second is stored after revision 0.
    await expect(
      store.appendToStream(stream, [event(), batch[1]!], { expectedRevision: 0n }),
    ).rejects.toEqual(new DuplicateEventIdError(stream, batch[1]!.id));
    // With `any`, the server refuses only when the first id is stored and the rest is not.
    await expect(store.appendToStream(stream, [batch[0]!, event()])).rejects.toEqual(
      new DuplicateEventIdError(stream, batch[0]!.id),
    );
    // None of the ids stored: a plain conflict.
    await expect(store.appendToStream(stream, [event()], { expectedRevision: 0n })).rejects.toEqual(
      new WrongExpectedVersionError(stream, 0n, 1n),
    );
    expect(await collect(store.readStream(stream))).toHaveLength(2);
  });

  it('delivers caughtUp after the whole history, however the client buffers it', async () => {
    const stream = streamName();
    await store.appendToStream(
      stream,
      Array.from({ length: 300 }, () => event()),
    );
    const subscription = subscribe(store.subscribeToStream(stream));
    const messages = await readUntil(subscription[Symbol.asyncIterator](), (read) =>
      read.some((m) => m.kind === 'caughtUp'),
    );
    expect(eventsIn(messages).map((e) => e.revision)).toEqual(
      Array.from({ length: 300 }, (_, i) => BigInt(i)),
    );
    expect(messages.at(-1)).toEqual({ kind: 'caughtUp', position: eventsIn(messages).at(-1)!.position });
  });

  it('resubscribes to $all after the server drops the subscription, without gap or duplicate', async () => {
    const stream = streamName();
    await store.appendToStream(stream, [event(), event()]);
    const start = (await collect(store.readStream(stream)))[0]!.position;
    const subscription = subscribe(store.subscribeToAll({ after: start }));
    const iterator = subscription[Symbol.asyncIterator]();

    const beforeDrop = await readUntil(iterator, (messages) => messages.some((m) => m.kind === 'caughtUp'));
    server.dropSubscriptions();
    await store.appendToStream(stream, [event(), event()]);
    const all = await readUntil(iterator, (messages) => eventsIn(messages).length === 3, beforeDrop);

    const stored = await collect(store.readStream(stream));
    expect(eventsIn(all).map((e) => e.id)).toEqual(stored.slice(1).map((e) => e.id));
    expect(all.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
  });

  it('resubscribes to a stream after the server drops the subscription, without gap or duplicate', async () => {
    const stream = streamName();
    await store.appendToStream(stream, [event(), event()]);
    const subscription = subscribe(store.subscribeToStream(stream, { after: 0n }));
    const iterator = subscription[Symbol.asyncIterator]();

    const first = await readUntil(iterator, (messages) => messages.some((m) => m.kind === 'caughtUp'));
    expect(first.map((m) => m.kind)).toEqual(['event', 'caughtUp']);
    for (let round = 0; round < 3; round++) {
      server.dropSubscriptions();
      await store.appendToStream(stream, [event()]);
    }
    const all = await readUntil(iterator, (messages) => eventsIn(messages).length === 4, first);

    expect(eventsIn(all).map((e) => e.revision)).toEqual([1n, 2n, 3n, 4n]);
    expect(all.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
  });

  it('passes on the checkpoints of a filtered $all subscription that move past filtered-out events', async () => {
    const type = `Wanted${randomUUID().slice(0, 8)}`;
    const noise = streamName('noise');
    await store.appendToStream(noise, [event('Marker')]);
    const [marker] = await collect(store.readStream(noise));
    // The server scans 32 events per page: the first page holds the first wanted event, the second none.
    await store.appendToStream(streamName(), [
      event(type),
      ...Array.from({ length: 31 }, () => event('Noise')),
    ]);
    await store.appendToStream(
      noise,
      Array.from({ length: 40 }, () => event('Noise')),
    );
    await store.appendToStream(streamName(), [event(type)]);
    const secondPageStart = (await collect(store.readStream(noise)))[1]!.position;

    const filter = { eventTypes: [type] };
    const subscription = subscribe(store.subscribeToAll({ after: marker!.position, filter }));
    const messages = await readUntil(subscription[Symbol.asyncIterator](), (read) =>
      read.some((m) => m.kind === 'caughtUp'),
    );
    expect(messages.map((m) => m.kind)).toEqual(['event', 'checkpoint', 'event', 'caughtUp']);
    expect(messages[1]).toEqual({ kind: 'checkpoint', position: secondPageStart });

    const resumed = subscribe(store.subscribeToAll({ after: secondPageStart, filter }));
    const afterCheckpoint = await readUntil(resumed[Symbol.asyncIterator](), (read) =>
      read.some((m) => m.kind === 'caughtUp'),
    );
    expect(eventsIn(afterCheckpoint).map((e) => e.id)).toEqual([eventsIn(messages)[1]!.id]);
  });

  it('starts a subscription made while the server is down once it is back', async () => {
    const stream = streamName();
    await store.appendToStream(stream, [event()]);
    await server.stop();
    const subscription = subscribe(store.subscribeToStream(stream));
    await server.start();
    const created = event();
    await appendOnceReachable(stream, [created]);

    const messages = await readUntil(subscription[Symbol.asyncIterator](), (read) =>
      read.some((m) => m.kind === 'event' && m.event.id === created.id),
    );
    expect(eventsIn(messages).map((e) => e.revision)).toEqual([0n, 1n]);
  });

  it('close() resolves after reads of $all abandoned midway and after unsubscribing a live subscription', async () => {
    const { position: before } = await store.appendToStream(streamName(), [event()]);
    await store.appendToStream(
      streamName(),
      Array.from({ length: 64 }, () => event()),
    );
    const own = openEsdbEventStore(server.connectionString);

    // A read left while the client already holds the server's end of the call cannot be cancelled any more:
    // its gRPC call only finishes once what the client buffered has been read. How much the client buffers
    // depends on its streams' high-water marks, so a read is left at every fourth event.
    for (let taken = 1; taken < 64; taken += 4) {
      let read = 0;
      for await (const _ of own.readAll({ after: before })) {
        if (++read < taken) continue;
        // A slow consumer: the rest of the read reaches the client meanwhile.
        await sleep(50);
        break;
      }
    }
    const subscription = own.subscribeToAll({ after: 'end' });
    await readUntil(subscription[Symbol.asyncIterator](), (messages) =>
      messages.some((m) => m.kind === 'caughtUp'),
    );
    await subscription.unsubscribe();

    const closing = own.close().then(() => 'closed');
    expect(await Promise.race([closing, sleep(5_000).then(() => 'still closing')])).toBe('closed');
  });

  it('resumes a filtered $all subscription across a server restart, checkpoints included', async () => {
    const prefix = `filtered${randomUUID().slice(0, 8)}`;
    const subscription = subscribe(
      store.subscribeToAll({ after: 'end', filter: { streamPrefixes: [prefix] } }),
    );
    const iterator = subscription[Symbol.asyncIterator]();
    await readUntil(iterator, (messages) => messages.some((m) => m.kind === 'caughtUp'));

    await store.appendToStream(`${prefix}-1`, [event()]);
    await server.stop();
    await server.start();
    await appendOnceReachable(
      streamName('noise'),
      Array.from({ length: 40 }, () => event('Noise')),
    );
    await appendOnceReachable(`${prefix}-2`, [event()]);
    const messages = await readUntil(iterator, (read) => eventsIn(read).length === 2);

    expect(eventsIn(messages).map((e) => e.streamId)).toEqual([`${prefix}-1`, `${prefix}-2`]);
    const checkpoints = messages.filter((m) => m.kind === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThan(0);
    const positions = messages.map((m) =>
      m.kind === 'event' ? m.event.position : m.kind === 'checkpoint' ? m.position : 0n,
    );
    expect([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(positions);
  });
});

describe('EsdbEventStore on a server that sends no caughtUp for a missing stream (before 24.2)', () => {
  let olderServer: EsdbTestServer;
  let olderStore: EsdbEventStore;
  beforeAll(async () => {
    olderServer = await startEsdbTestServer({ caughtUpOnMissingStream: false });
    olderStore = openEsdbEventStore(olderServer.connectionString);
  });
  afterAll(async () => {
    await olderStore.close();
    await olderServer.stop();
  });

  it('is caught up with a stream that has no events as soon as the subscription is confirmed', async () => {
    const stream = streamName();
    const subscription = olderStore.subscribeToStream(stream);
    try {
      const iterator = subscription[Symbol.asyncIterator]();
      expect(await readUntil(iterator, (read) => read.length === 1)).toEqual([
        { kind: 'caughtUp', position: null },
      ]);
      const created = event('Created');
      await olderStore.appendToStream(stream, [created]);
      const [live] = await readUntil(iterator, (read) => read.length === 1);
      expect(live).toMatchObject({ kind: 'event', event: { id: created.id, revision: 0n } });
    } finally {
      await subscription.unsubscribe();
    }
  });
});
