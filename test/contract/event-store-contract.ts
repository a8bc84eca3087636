import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AppendTooLargeError,
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../src/eventstore/errors.js';
import type {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  JsonValue,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
} from '../../src/eventstore/types.js';

/**
 * The one behavioural contract of the event-store port, run against every adapter (embedded SQLite,
 * EventStoreDB through the in-process test server, a real EventStoreDB when one is configured).
 *
 * The store may be shared and non-empty (a real server holds other data and writes system events), so
 * every test uses streams, prefixes and event types of its own, starts `$all` reads and subscriptions
 * from positions it captured itself, and judges `$all` by the events of its own streams only.
 */

export interface ContractStore {
  store: EventStore;
  cleanup(): Promise<void>;
}

export interface EventStoreContractOptions {
  /** The append cap the adapter was opened with; EventStoreDB's default is 1 MiB. */
  maxAppendBytes?: number;
  /**
   * Opens an independent second instance over the same data (another SQLite connection, as a second
   * process would have; another gRPC client). Enables the tests across instances.
   */
  openSecondInstance?: () => Promise<ContractStore>;
}

/** Only to turn a lost message into a failure instead of a hang; never a speed requirement. */
const DELIVERY_TIMEOUT_MS = 10_000;

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<ContractStore>,
  options: EventStoreContractOptions = {},
): void {
  const maxAppendBytes = options.maxAppendBytes ?? 1_048_576;

  describe(`event store contract: ${name}`, () => {
    let opened: ContractStore;
    let store: EventStore;
    const openSubscriptions: Subscription[] = [];

    beforeAll(async () => {
      opened = await factory();
      store = opened.store;
    });
    afterEach(async () => {
      await Promise.all(openSubscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    function reader(subscription: Subscription): MessageReader {
      openSubscriptions.push(subscription);
      return new MessageReader(subscription);
    }

    /** Appends one event to a stream of its own and returns its position: a start point in `$all`. */
    async function marker(): Promise<bigint> {
      return (await store.appendToStream(stream('marker'), [event('MarkerPlaced')])).position;
    }

    describe('appending and reading a stream', () => {
      it('numbers revisions from 0 and returns the last revision and $all position of each append', async () => {
        const streamId = stream('numbering');
        const first = [event('Opened', { n: 0 }), event('Renamed', { n: 1 }), event('Renamed', { n: 2 })];
        const second = [
          event('Renamed', { n: 3 }),
          event('Closed', { n: 4, nested: { list: [1, 'two', null] } }),
        ];

        const r1 = await store.appendToStream(streamId, first, { expectedRevision: 'no_stream' });
        expect(r1.nextExpectedRevision).toBe(2n);
        expect(typeof r1.position).toBe('bigint');
        const r2 = await store.appendToStream(streamId, second, {
          expectedRevision: r1.nextExpectedRevision,
        });
        expect(r2.nextExpectedRevision).toBe(4n);
        expect(r2.position).toBeGreaterThan(r1.position);

        const read = await collect(store.readStream(streamId));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expectSameEvents(read, [...first, ...second], streamId);
        for (const recorded of read) {
          expect(typeof recorded.revision).toBe('bigint');
          expect(typeof recorded.position).toBe('bigint');
          expect(recorded.created).toBeInstanceOf(Date);
          expect(Number.isNaN(recorded.created.getTime())).toBe(false);
        }
        expectStrictlyIncreasing(read.map((e) => e.position));
        expect(read[2]!.position).toBe(r1.position);
        expect(read[4]!.position).toBe(r2.position);
      });

      it('reads an event without metadata back with empty metadata', async () => {
        const streamId = stream('no-metadata');
        const bare: EventData = { id: randomUUID(), type: 'Bare', data: { ok: true } };
        await store.appendToStream(streamId, [bare]);
        const [read] = await collect(store.readStream(streamId));
        expect(read!.metadata).toEqual({});
        expect(read!.data).toEqual({ ok: true });
      });

      it('refuses to read a stream that has no events with StreamNotFoundError', async () => {
        const streamId = stream('missing');
        for (const direction of ['forwards', 'backwards'] as const) {
          const error = await collect(store.readStream(streamId, { direction })).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(StreamNotFoundError);
          expect((error as StreamNotFoundError).streamId).toBe(streamId);
        }
      });

      it('reads forwards and backwards from an inclusive revision with maxCount', async () => {
        const streamId = stream('ranges');
        await store.appendToStream(
          streamId,
          range(6).map((n) => event('Counted', { n })),
        );
        const revisions = async (options: Parameters<EventStore['readStream']>[1]): Promise<bigint[]> =>
          (await collect(store.readStream(streamId, options))).map((e) => e.revision);

        expect(await revisions({})).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
        expect(await revisions({ fromRevision: 2n, maxCount: 2 })).toEqual([2n, 3n]);
        expect(await revisions({ fromRevision: 'start', maxCount: 1 })).toEqual([0n]);
        expect(await revisions({ fromRevision: 4n, maxCount: 100 })).toEqual([4n, 5n]);
        expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([5n, 4n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 'end' })).toEqual([
          5n,
          4n,
          3n,
          2n,
          1n,
          0n,
        ]);
        expect(await revisions({ direction: 'backwards', fromRevision: 1n })).toEqual([1n, 0n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3n, maxCount: 2 })).toEqual([3n, 2n]);
        expect(await revisions({ fromRevision: 6n })).toEqual([]);
      });

      it('keeps bigint revisions and positions usable as the next expectation and checkpoint', async () => {
        const streamId = stream('bigint');
        let expected: ExpectedRevision = 'no_stream';
        for (let round = 0; round < 3; round++) {
          const result: AppendResult = await store.appendToStream(streamId, [event('Ticked')], {
            expectedRevision: expected,
          });
          expect(typeof result.nextExpectedRevision).toBe('bigint');
          expect(result.nextExpectedRevision).toBe(BigInt(round));
          expected = result.nextExpectedRevision;
        }
        const head = await store.headPosition();
        expect(typeof head).toBe('bigint');
        const [last] = await collect(store.readStream(streamId, { direction: 'backwards', maxCount: 1 }));
        expect(head!).toBeGreaterThanOrEqual(last!.position);
      });
    });

    describe('expected revision', () => {
      it("'no_stream' appends to a new stream and refuses an existing one", async () => {
        const streamId = stream('no-stream');
        await store.appendToStream(streamId, [event('Created')], { expectedRevision: 'no_stream' });
        const error = await failure(
          store.appendToStream(streamId, [event('CreatedAgain')], { expectedRevision: 'no_stream' }),
        );
        expectWrongExpectedVersion(error, streamId, 'no_stream', 0n);
        expect(await countEvents(streamId)).toBe(1);
      });

      it("'stream_exists' refuses a missing stream (actual 'no_stream') and appends to an existing one", async () => {
        const streamId = stream('stream-exists');
        const error = await failure(
          store.appendToStream(streamId, [event('Changed')], { expectedRevision: 'stream_exists' }),
        );
        expectWrongExpectedVersion(error, streamId, 'stream_exists', 'no_stream');
        await expect(collect(store.readStream(streamId))).rejects.toBeInstanceOf(StreamNotFoundError);

        await store.appendToStream(streamId, [event('Created')]);
        const result = await store.appendToStream(streamId, [event('Changed')], {
          expectedRevision: 'stream_exists',
        });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision appends only when it is the revision of the last event', async () => {
        const streamId = stream('exact');
        const onMissing = await failure(
          store.appendToStream(streamId, [event('Changed')], { expectedRevision: 0n }),
        );
        expectWrongExpectedVersion(onMissing, streamId, 0n, 'no_stream');

        await store.appendToStream(streamId, [event('Created'), event('Changed')]);
        const behind = await failure(
          store.appendToStream(streamId, [event('Changed')], { expectedRevision: 0n }),
        );
        expectWrongExpectedVersion(behind, streamId, 0n, 1n);
        const ahead = await failure(
          store.appendToStream(streamId, [event('Changed')], { expectedRevision: 5n }),
        );
        expectWrongExpectedVersion(ahead, streamId, 5n, 1n);
        expect(await countEvents(streamId)).toBe(2);

        const result = await store.appendToStream(streamId, [event('Changed')], { expectedRevision: 1n });
        expect(result.nextExpectedRevision).toBe(2n);
      });

      it("'any' (also the default) appends whatever the stream holds", async () => {
        const streamId = stream('any');
        expect(
          (await store.appendToStream(streamId, [event('A')], { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(0n);
        expect((await store.appendToStream(streamId, [event('B')])).nextExpectedRevision).toBe(1n);
        expect(
          (await store.appendToStream(streamId, [event('C')], { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(2n);
      });

      it('of two concurrent appends with the same exact expected revision exactly one wins', async () => {
        const streamId = stream('race');
        await store.appendToStream(streamId, [event('Created')]);
        const contenders = range(5).map((n) => [event('Claimed', { by: n })]);
        const outcomes = await Promise.allSettled(
          contenders.map((events) => store.appendToStream(streamId, events, { expectedRevision: 0n })),
        );
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const outcome of lost) expectWrongExpectedVersion(outcome.reason, streamId, 0n, 1n);
        const read = await collect(store.readStream(streamId));
        expect(read).toHaveLength(2);
        const winner = contenders[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')]!;
        expect(read[1]!.id).toBe(winner[0]!.id);
      });
    });

    describe('idempotent appends', () => {
      it('an exact resend after the same expected revision writes nothing and returns the original result', async () => {
        const streamId = stream('resend-exact');
        await store.appendToStream(streamId, [event('Created')]);
        const batch = [event('Changed', { n: 1 }), event('Changed', { n: 2 })];
        const original = await store.appendToStream(streamId, batch, { expectedRevision: 0n });
        await store.appendToStream(streamId, [event('Changed', { n: 3 })], { expectedRevision: 2n });

        const resent = await store.appendToStream(streamId, batch, { expectedRevision: 0n });
        expect(resent).toEqual(original);
        const read = await collect(store.readStream(streamId));
        expect(read.map((e) => e.id)).toEqual([read[0]!.id, batch[0]!.id, batch[1]!.id, read[3]!.id]);
      });

      it("a resend of a stream's first events with 'no_stream' is a no-op", async () => {
        const streamId = stream('resend-no-stream');
        const batch = [event('Created'), event('Named')];
        const original = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        const resent = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        expect(resent).toEqual(original);
        expect(await countEvents(streamId)).toBe(2);
      });

      it("a resend of the stream's last events with 'any' or 'stream_exists' is a no-op", async () => {
        const streamId = stream('resend-any');
        await store.appendToStream(streamId, [event('Created')]);
        const batch = [event('Changed'), event('Changed')];
        const original = await store.appendToStream(streamId, batch, { expectedRevision: 'any' });
        expect(await store.appendToStream(streamId, batch, { expectedRevision: 'any' })).toEqual(original);
        expect(await store.appendToStream(streamId, batch, { expectedRevision: 'stream_exists' })).toEqual(
          original,
        );
        expect(await countEvents(streamId)).toBe(3);
      });

      it('a batch that only partly matches committed events is refused with DuplicateEventIdError', async () => {
        const streamId = stream('resend-partial');
        await store.appendToStream(streamId, [event('Created')]);
        const batch = [event('Changed', { n: 1 }), event('Changed', { n: 2 })];
        await store.appendToStream(streamId, batch, { expectedRevision: 0n });

        const mixed = [batch[0]!, event('Changed', { n: 3 })];
        const error = await failure(store.appendToStream(streamId, mixed, { expectedRevision: 0n }));
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect((error as DuplicateEventIdError).streamId).toBe(streamId);
        expect((error as DuplicateEventIdError).eventId).toBe(batch[0]!.id);
        expect(await countEvents(streamId)).toBe(3);
      });
    });

    describe('append size cap', () => {
      it('refuses an append over the cap with AppendTooLargeError and writes nothing', async () => {
        const streamId = stream('too-large');
        const big = event('Blob', { payload: 'x'.repeat(maxAppendBytes + 1) });
        const error = await failure(store.appendToStream(streamId, [big]));
        expect(error).toBeInstanceOf(AppendTooLargeError);
        expect((error as AppendTooLargeError).streamId).toBe(streamId);
        expect((error as AppendTooLargeError).size).toBeGreaterThan(maxAppendBytes);
        expect((error as AppendTooLargeError).maxSize).toBe(maxAppendBytes);
        await expect(collect(store.readStream(streamId))).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('counts the whole batch, in UTF-8 bytes', async () => {
        const streamId = stream('too-large-batch');
        // 'é' is 2 bytes in UTF-8: ten events of a tenth of the cap in characters are twice the cap in bytes.
        const chunk = 'é'.repeat(Math.floor(maxAppendBytes / 10));
        const error = await failure(
          store.appendToStream(
            streamId,
            range(10).map(() => event('Chunk', { chunk })),
          ),
        );
        expect(error).toBeInstanceOf(AppendTooLargeError);
        expect((error as AppendTooLargeError).size).toBeGreaterThan(2 * maxAppendBytes - 1000);
        await expect(collect(store.readStream(streamId))).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('accepts an append comfortably under the cap', async () => {
        const streamId = stream('large');
        const payload = 'y'.repeat(Math.floor(maxAppendBytes * 0.8));
        await store.appendToStream(streamId, [event('Blob', { payload })]);
        const [read] = await collect(store.readStream(streamId));
        expect((read!.data as { payload: string }).payload).toHaveLength(payload.length);
      });
    });

    describe('$all', () => {
      it('reads forwards in strictly increasing positions, exclusive of the start position', async () => {
        const start = await marker();
        const [a, b] = [stream('all-a'), stream('all-b')];
        const appended: EventData[] = [];
        for (const streamId of [a, b, a, b, a]) {
          const batch = [event('Interleaved'), event('Interleaved')];
          appended.push(...batch);
          await store.appendToStream(streamId, batch);
        }
        const read = await collect(store.readAll({ after: start }));
        expect(read.length).toBeGreaterThanOrEqual(appended.length);
        expect(read[0]!.position).toBeGreaterThan(start);
        expectStrictlyIncreasing(read.map((e) => e.position));
        const ours = read.filter((e) => e.streamId === a || e.streamId === b);
        expect(ours.map((e) => e.id)).toEqual(appended.map((e) => e.id));

        const third = ours[2]!;
        const resumed = await collect(store.readAll({ after: third.position, maxCount: 3 }));
        expect(resumed).toHaveLength(3);
        expect(resumed[0]!.position).toBeGreaterThan(third.position);
        expect(resumed.find((e) => e.streamId === a || e.streamId === b)?.id).toBe(ours[3]!.id);
      });

      it('reads backwards strictly before a position', async () => {
        const streamId = stream('all-backwards');
        await store.appendToStream(
          streamId,
          range(4).map((n) => event('Counted', { n })),
        );
        const ours = await collect(store.readStream(streamId));
        const read = await collect(
          store.readAll({ direction: 'backwards', after: ours[3]!.position, maxCount: 50 }),
        );
        expect(read[0]!.position).toBeLessThan(ours[3]!.position);
        expectStrictlyIncreasing(read.map((e) => e.position).reverse());
        expect(read.filter((e) => e.streamId === streamId).map((e) => e.revision)).toEqual([2n, 1n, 0n]);

        const newest = await collect(store.readAll({ direction: 'backwards', maxCount: 1 }));
        expect(newest[0]!.position).toBeGreaterThanOrEqual(ours[3]!.position);
      });

      it('reports the head position', async () => {
        const result = await store.appendToStream(stream('head'), [event('Moved')]);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });
    });

    describe('subscriptions', () => {
      it('$all: history after the checkpoint, then caughtUp, then live, with no gap and no duplicate', async () => {
        const start = await marker();
        const streamId = stream('sub-all');
        const history = [event('Happened', { n: 1 }), event('Happened', { n: 2 })];
        await store.appendToStream(streamId, history);

        const subscription = reader(store.subscribeToAll({ after: start }));
        const beforeCaughtUp = await subscription.until((m) => m.kind === 'caughtUp', 'caughtUp');
        expect(ownEvents(beforeCaughtUp, [streamId]).map((e) => e.id)).toEqual(history.map((e) => e.id));
        expect(eventsOf(beforeCaughtUp)[0]!.position).toBeGreaterThan(start);

        const live = [event('Happened', { n: 3 }), event('Happened', { n: 4 })];
        await store.appendToStream(streamId, live.slice(0, 1));
        await store.appendToStream(streamId, live.slice(1));
        await subscription.until((m) => isEventOf(m, live[1]!), 'the live events');

        expect(ownEvents(subscription.seen, [streamId]).map((e) => e.id)).toEqual(
          [...history, ...live].map((e) => e.id),
        );
        expect(subscription.seen.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
        expectStrictlyIncreasing(eventsOf(subscription.seen).map((e) => e.position));
        expectCheckpointsTrailEvents(subscription.seen);
      });

      it("$all from 'end' delivers only events appended after caughtUp", async () => {
        const streamId = stream('sub-all-end');
        await store.appendToStream(streamId, [event('Before')]);
        const subscription = reader(store.subscribeToAll({ after: 'end' }));
        const initial = await subscription.until((m) => m.kind === 'caughtUp', 'caughtUp');
        expect(ownEvents(initial, [streamId])).toEqual([]);

        const after = event('After');
        await store.appendToStream(streamId, [after]);
        await subscription.until((m) => isEventOf(m, after), 'the live event');
        expect(ownEvents(subscription.seen, [streamId]).map((e) => e.id)).toEqual([after.id]);
      });

      it('$all resumed from a stored checkpoint continues with no gap and no duplicate', async () => {
        const start = await marker();
        const streamId = stream('sub-resume');
        const events = range(6).map((n) => event('Stepped', { n }));
        await store.appendToStream(streamId, events.slice(0, 3));

        const first = reader(store.subscribeToAll({ after: start }));
        const received = await first.until((m) => isEventOf(m, events[1]!), 'the second event');
        const checkpoint = eventsOf(received).find((e) => e.id === events[1]!.id)!.position;
        await first.subscription.unsubscribe();
        const firstRun = ownEvents(received, [streamId]);

        await store.appendToStream(streamId, events.slice(3, 5));
        const second = reader(store.subscribeToAll({ after: checkpoint }));
        await second.until((m) => m.kind === 'caughtUp', 'caughtUp');
        await store.appendToStream(streamId, events.slice(5));
        await second.until((m) => isEventOf(m, events[5]!), 'the live event');

        const ids = [...firstRun, ...ownEvents(second.seen, [streamId])].map((e) => e.id);
        expect(ids).toEqual(events.map((e) => e.id));
        expect(eventsOf(second.seen)[0]!.position).toBeGreaterThan(checkpoint);
      });

      it('$all filtered by stream prefix delivers only matching streams, history then live', async () => {
        const start = await marker();
        const prefix = `cp${randomUUID().replaceAll('-', '')}-`;
        const [matching, alsoMatching, other] = [`${prefix}a`, `${prefix}b`, stream('sub-prefix-other')];
        const expected: EventData[] = [];
        for (const streamId of [other, matching, other, alsoMatching]) {
          const batch = [event('Filtered', { streamId })];
          if (streamId !== other) expected.push(...batch);
          await store.appendToStream(streamId, batch);
        }

        const subscription = reader(
          store.subscribeToAll({ after: start, filter: { streamPrefixes: [prefix] } }),
        );
        const history = await subscription.until((m) => m.kind === 'caughtUp', 'caughtUp');
        expect(eventsOf(history).map((e) => e.id)).toEqual(expected.map((e) => e.id));

        const liveOther = event('Filtered');
        const liveMatching = event('Filtered');
        await store.appendToStream(other, [liveOther]);
        await store.appendToStream(matching, [liveMatching]);
        await subscription.until((m) => isEventOf(m, liveMatching), 'the live matching event');

        const delivered = eventsOf(subscription.seen);
        expect(delivered.every((e) => e.streamId.startsWith(prefix))).toBe(true);
        expect(delivered.map((e) => e.id)).toEqual([...expected, liveMatching].map((e) => e.id));
        expectStrictlyIncreasing(delivered.map((e) => e.position));
        expectCheckpointsTrailEvents(subscription.seen);
      });

      it('$all filtered by event type delivers only those types, history then live', async () => {
        const start = await marker();
        const suffix = randomUUID().replaceAll('-', '');
        const [wanted, alsoWanted, unwanted] = [
          `Wanted${suffix}`,
          `AlsoWanted${suffix}`,
          `Unwanted${suffix}`,
        ];
        const streamId = stream('sub-type');
        const history = [event(unwanted), event(wanted), event(unwanted), event(alsoWanted)];
        await store.appendToStream(streamId, history);

        const subscription = reader(
          store.subscribeToAll({ after: start, filter: { eventTypes: [wanted, alsoWanted] } }),
        );
        const beforeCaughtUp = await subscription.until((m) => m.kind === 'caughtUp', 'caughtUp');
        expect(eventsOf(beforeCaughtUp).map((e) => e.id)).toEqual([history[1]!.id, history[3]!.id]);

        const live = [event(unwanted), event(wanted)];
        await store.appendToStream(stream('sub-type-live'), live);
        await subscription.until((m) => isEventOf(m, live[1]!), 'the live event');
        const delivered = eventsOf(subscription.seen);
        expect(delivered.map((e) => e.type)).toEqual([wanted, alsoWanted, wanted]);
        expectCheckpointsTrailEvents(subscription.seen);
      });

      it('a stream: history, caughtUp, live; resumed after a revision; from the end; before it exists', async () => {
        const streamId = stream('sub-stream');
        const events = range(5).map((n) => event('Stepped', { n }));
        await store.appendToStream(stream('sub-stream-noise'), [event('Noise')]);
        await store.appendToStream(streamId, events.slice(0, 2));

        const all = reader(store.subscribeToStream(streamId));
        const history = await all.until((m) => m.kind === 'caughtUp', 'caughtUp');
        expect(eventsOf(history).map((e) => e.revision)).toEqual([0n, 1n]);

        const resumed = reader(store.subscribeToStream(streamId, { after: 0n }));
        await resumed.until((m) => m.kind === 'caughtUp', 'caughtUp');
        const fromEnd = reader(store.subscribeToStream(streamId, { after: 'end' }));
        await fromEnd.until((m) => m.kind === 'caughtUp', 'caughtUp');

        await store.appendToStream(streamId, events.slice(2, 4), { expectedRevision: 1n });
        await store.appendToStream(streamId, events.slice(4), { expectedRevision: 3n });
        for (const subscription of [all, resumed, fromEnd]) {
          await subscription.until((m) => isEventOf(m, events[4]!), 'the live events');
        }
        expect(eventsOf(all.seen).map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(eventsOf(resumed.seen).map((e) => e.revision)).toEqual([1n, 2n, 3n, 4n]);
        expect(eventsOf(fromEnd.seen).map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        for (const subscription of [all, resumed, fromEnd]) {
          expect(eventsOf(subscription.seen).every((e) => e.streamId === streamId)).toBe(true);
          expect(subscription.seen.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
        }

        const future = stream('sub-stream-future');
        const early = reader(store.subscribeToStream(future));
        await early.until((m) => m.kind === 'caughtUp', 'caughtUp');
        const created = event('Created');
        await store.appendToStream(future, [created], { expectedRevision: 'no_stream' });
        const [first] = eventsOf(await early.until((m) => isEventOf(m, created), 'the first event'));
        expect(first!.revision).toBe(0n);
      });

      it('delivers a long history in order to a consumer that reads slowly', async () => {
        const start = await marker();
        const streamId = stream('sub-long');
        const count = 1_200;
        for (let offset = 0; offset < count; offset += 400) {
          await store.appendToStream(
            streamId,
            range(400).map((n) => event('Counted', { n: offset + n })),
          );
        }
        const subscription = reader(store.subscribeToAll({ after: start }));
        let received = 0;
        let expectedN = 0;
        await subscription.until(
          (m) => {
            if (m.kind === 'event' && m.event.streamId === streamId) {
              expect((m.event.data as { n: number }).n).toBe(expectedN++);
              received++;
            }
            return m.kind === 'caughtUp';
          },
          'caughtUp',
          1,
        );
        expect(received).toBe(count);
      });
    });

    describe.runIf(options.openSecondInstance)('a second instance on the same data', () => {
      let second: ContractStore;
      beforeAll(async () => {
        second = await options.openSecondInstance!();
      });
      afterAll(async () => {
        await second?.cleanup();
      });

      it("delivers the other instance's appends to live subscriptions", async () => {
        const streamId = stream('cross-instance');
        const onAll = reader(store.subscribeToAll({ after: 'end' }));
        const onStream = reader(store.subscribeToStream(streamId));
        await onAll.until((m) => m.kind === 'caughtUp', 'caughtUp');
        await onStream.until((m) => m.kind === 'caughtUp', 'caughtUp');

        const events = [event('Remote', { n: 1 }), event('Remote', { n: 2 })];
        await second.store.appendToStream(streamId, events.slice(0, 1));
        await second.store.appendToStream(streamId, events.slice(1));
        for (const subscription of [onAll, onStream]) {
          await subscription.until((m) => isEventOf(m, events[1]!), "the other instance's events");
          expect(ownEvents(subscription.seen, [streamId]).map((e) => e.id)).toEqual(events.map((e) => e.id));
        }
      });

      it('lets exactly one of two instances win the same exact expected revision', async () => {
        const streamId = stream('cross-race');
        await store.appendToStream(streamId, [event('Created')]);
        const outcomes = await Promise.allSettled([
          store.appendToStream(streamId, [event('Claimed')], { expectedRevision: 0n }),
          second.store.appendToStream(streamId, [event('Claimed')], { expectedRevision: 0n }),
        ]);
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        const lost = outcomes.find((outcome) => outcome.status === 'rejected');
        expectWrongExpectedVersion(lost?.reason, streamId, 0n, 1n);
        expect(await countEvents(streamId)).toBe(2);
      });
    });

    async function countEvents(streamId: string): Promise<number> {
      return (await collect(store.readStream(streamId))).length;
    }
  });
}

/** Reads a subscription message by message, keeping all it has seen. */
class MessageReader {
  readonly seen: SubscriptionMessage[] = [];
  private readonly iterator: AsyncIterator<SubscriptionMessage>;

  constructor(readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /**
   * Reads until a message matches, returning the messages read by this call. `pauseMs` makes the
   * consumer slow, so that a producer that ignores backpressure would be caught by the ordering checks.
   */
  async until(
    matches: (message: SubscriptionMessage) => boolean,
    what: string,
    pauseMs = 0,
  ): Promise<SubscriptionMessage[]> {
    const read: SubscriptionMessage[] = [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no ${what} within ${DELIVERY_TIMEOUT_MS} ms`)),
        DELIVERY_TIMEOUT_MS,
      );
    });
    try {
      for (;;) {
        const next = await Promise.race([this.iterator.next(), timeout]);
        if (next.done) throw new Error(`the subscription ended before ${what}`);
        read.push(next.value);
        this.seen.push(next.value);
        if (matches(next.value)) return read;
        if (pauseMs > 0 && read.length % 100 === 0)
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

function stream(purpose: string): string {
  return `contract-${purpose}-${randomUUID()}`;
}

function event(type: string, data: JsonValue = {}): EventData {
  return { id: randomUUID(), type, data, metadata: { correlationId: randomUUID(), actor: 'contract-suite' } };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

function expectWrongExpectedVersion(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): void {
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  const wrong = error as WrongExpectedVersionError;
  expect(wrong.code).toBe('WRONG_EXPECTED_VERSION');
  expect(wrong.streamId).toBe(streamId);
  expect(wrong.expected).toBe(expected);
  expect(wrong.actual).toBe(actual);
}

function expectSameEvents(read: RecordedEvent[], appended: EventData[], streamId: string): void {
  expect(
    read.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata, streamId: e.streamId })),
  ).toEqual(appended.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata, streamId })));
}

function expectStrictlyIncreasing(values: bigint[]): void {
  for (let index = 1; index < values.length; index++)
    expect(values[index]!).toBeGreaterThan(values[index - 1]!);
}

function eventsOf(messages: SubscriptionMessage[]): RecordedEvent[] {
  return messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
}

function ownEvents(messages: SubscriptionMessage[], streamIds: string[]): RecordedEvent[] {
  return eventsOf(messages).filter((e) => streamIds.includes(e.streamId));
}

function isEventOf(message: SubscriptionMessage, event: EventData): boolean {
  return message.kind === 'event' && message.event.id === event.id;
}

/**
 * Events come in strictly increasing positions; a checkpoint never goes back behind a delivered event
 * or an earlier checkpoint, and no event delivered after a checkpoint lies at or before it.
 */
function expectCheckpointsTrailEvents(messages: SubscriptionMessage[]): void {
  let lastEvent: bigint | null = null;
  let lastCheckpoint: bigint | null = null;
  for (const message of messages) {
    if (message.kind === 'event') {
      if (lastEvent !== null) expect(message.event.position).toBeGreaterThan(lastEvent);
      if (lastCheckpoint !== null) expect(message.event.position).toBeGreaterThan(lastCheckpoint);
      lastEvent = message.event.position;
    } else if (message.kind === 'checkpoint') {
      if (lastEvent !== null) expect(message.position).toBeGreaterThanOrEqual(lastEvent);
      if (lastCheckpoint !== null) expect(message.position).toBeGreaterThanOrEqual(lastCheckpoint);
      lastCheckpoint = message.position;
    }
  }
}
