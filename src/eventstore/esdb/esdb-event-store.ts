import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamNotFoundError as EsdbStreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventData as EsdbEventData,
  type JSONType,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  AppendTooLargeError,
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors.js';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
} from '../types.js';
import { isSystemStream, positionOf, toRecordedEvent } from './recorded-event.js';
import {
  ResubscribingSubscription,
  type SubscriptionSource,
  type SubscriptionStart,
} from './resubscribing-subscription.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkMaxCount(maxCount: number | undefined): void {
  if (maxCount !== undefined && (!Number.isInteger(maxCount) || maxCount < 0)) {
    throw new RangeError('maxCount must be a non-negative integer');
  }
}

function checkFilter(filter: AllFilter | undefined): void {
  if (!filter) return;
  if ('streamPrefixes' in filter && filter.streamPrefixes.length === 0) {
    throw new RangeError('streamPrefixes must not be empty');
  }
  if ('eventTypes' in filter && filter.eventTypes.length === 0)
    throw new RangeError('eventTypes must not be empty');
}

/** Escapes a literal for the server's (.NET) regular expressions. */
function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|]/g, (character) => `\\${character}`);
}

/** EventStoreDB filters event types by prefix or regex; exact names are an anchored alternation. */
function exactEventTypesRegex(eventTypes: readonly string[]): string {
  return `^(?:${eventTypes.map(escapeRegex).join('|')})$`;
}

/** The size EventStoreDB measures an append by (`Event.SizeOnDisk`): data, metadata, and the type in UTF-16. */
function appendSize(events: readonly EventData[]): number {
  return events.reduce(
    (size, event) =>
      size +
      Buffer.byteLength(JSON.stringify(event.data)) +
      (event.metadata ? Buffer.byteLength(JSON.stringify(event.metadata)) : 0) +
      event.type.length * 2,
    0,
  );
}

function toEsdbEvent(event: EventData): EsdbEventData {
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: event.data as JSONType,
    metadata: event.metadata,
  };
}

type ClientRead = StreamingRead<ResolvedEvent | AllStreamResolvedEvent>;

/**
 * Reads to the end, turning the client's errors into the port's. Leaving early abandons the read, which
 * would otherwise keep streaming into a stream nobody reads.
 */
async function* recordedEvents(
  read: ClientRead,
  streamId: string | undefined,
): AsyncGenerator<ResolvedEvent | AllStreamResolvedEvent> {
  let finished = false;
  try {
    // Not destroyed on leaving: `abandon` still needs it to drain the gRPC call.
    const responses: AsyncIterable<ResolvedEvent | AllStreamResolvedEvent> = read.iterator({
      destroyOnReturn: false,
    });
    for await (const resolved of responses) yield resolved;
    finished = true;
  } catch (error) {
    finished = true;
    if (error instanceof EsdbStreamNotFoundError && streamId !== undefined)
      throw new StreamNotFoundError(streamId);
    throw error;
  } finally {
    if (!finished) await abandon(read);
  }
}

/**
 * Cancels the gRPC call, then lets whatever the client has buffered flow out unread. Cancelling does
 * nothing once the server's end of the call has arrived, and the call (piped into `read`) only finishes
 * when its responses have all been read: were `read` left paused, the call would stay open for good and
 * `dispose()`, which waits for every call to finish, would never resolve.
 */
async function abandon(read: ClientRead): Promise<void> {
  // An error the cancelled call reports while draining concerns nobody any more.
  read.on('error', () => {});
  await read.cancel();
  read.resume();
}

/**
 * The event-store port on EventStoreDB / KurrentDB through @eventstore/db-client. The port's semantics are
 * EventStoreDB's (revisions from 0, exclusive resume points); what differs is mapped here:
 * - `$all` reads and subscriptions hide system streams (`$…`), which the server writes on its own;
 * - reads from a position are inclusive on the server, so the event at `after` is skipped;
 * - a corrupted idempotency (some of the sent ids already stored) comes back as a wrong expected version
 *   and is told apart by reading what follows the expected revision;
 * - subscriptions resubscribe on their own when the gRPC subscription drops.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    for (const event of events) {
      if (!UUID.test(event.id)) throw new RangeError(`event id ${event.id} is not a UUID`);
    }
    const expected = options.expectedRevision ?? 'any';
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEsdbEvent), {
        expectedRevision: expected,
      });
      // Servers before 22.6 answer an idempotent resend without a position: look the event up.
      const position =
        result.position?.commit ?? (await this.positionAtRevision(streamId, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      throw await this.appendError(streamId, events, expected, error);
    }
  }

  private async appendError(
    streamId: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
    error: unknown,
  ): Promise<unknown> {
    if (error instanceof MaxAppendSizeExceededError) {
      return new AppendTooLargeError(streamId, appendSize(events), error.maxAppendSize);
    }
    if (!(error instanceof EsdbWrongExpectedVersionError)) return error;
    const actual = error.actualVersion;
    const duplicate = await this.alreadyCommittedId(streamId, events, expected, actual);
    if (duplicate !== undefined) return new DuplicateEventIdError(streamId, duplicate);
    return new WrongExpectedVersionError(streamId, expected, actual);
  }

  /**
   * Which sent id, if any, makes a wrong expected version a corrupted idempotency. With an exact revision
   * (`no_stream` being revision -1) the events after it are read and compared. With `any` or
   * `stream_exists` on an existing stream the server has no other reason to refuse than its first id being
   * already stored there while the rest of the append is not.
   */
  private async alreadyCommittedId(
    streamId: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
    actual: bigint | 'no_stream',
  ): Promise<string | undefined> {
    if (actual === 'no_stream' || events.length === 0) return undefined;
    if (expected === 'any' || expected === 'stream_exists') return events[0]!.id;
    const expectedRevision = expected === 'no_stream' ? -1n : expected;
    if (actual <= expectedRevision) return undefined;
    const stored = new Set<string>();
    const read = this.client.readStream(streamId, {
      fromRevision: expectedRevision + 1n,
      maxCount: events.length,
    });
    for await (const resolved of recordedEvents(read, streamId)) {
      if (resolved.event) stored.add(resolved.event.id.toLowerCase());
    }
    return events.find((event) => stored.has(event.id.toLowerCase()))?.id;
  }

  private async positionAtRevision(streamId: string, revision: bigint): Promise<bigint> {
    const read = this.client.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    for await (const resolved of recordedEvents(read, streamId)) {
      if (resolved.event) return positionOf(resolved.event);
    }
    throw new StreamNotFoundError(streamId);
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    checkMaxCount(options.maxCount);
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    const read = this.client.readStream(streamId, {
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    for await (const resolved of recordedEvents(read, streamId)) {
      if (resolved.event) yield toRecordedEvent(resolved.event);
    }
  }

  /**
   * `$all` without system streams. The server takes a position as the start of a record when reading
   * forwards (so the event at `after` comes back first and is skipped here) and as the end of one when
   * reading backwards (so it starts before it). `maxCount` counts what the server sends, boundary and system
   * events included, so a counted read continues page after page until it has found enough or reached the end.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkMaxCount(options.maxCount);
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after = options.after;
    while (remaining > 0) {
      const boundary = forwards && after !== undefined ? 1 : 0;
      const requested = Number.isFinite(remaining) ? remaining + boundary : undefined;
      const read = this.client.readAll({
        direction: forwards ? FORWARDS : BACKWARDS,
        fromPosition: after === undefined ? (forwards ? START : END) : { commit: after, prepare: after },
        ...(requested === undefined ? {} : { maxCount: requested }),
      });
      let received = 0;
      let last: bigint | undefined;
      for await (const resolved of recordedEvents(read, undefined)) {
        received += 1;
        const event = resolved.event;
        if (!event) continue;
        const position = positionOf(event);
        last = position;
        if (boundary === 1 && position <= after!) continue;
        if (isSystemStream(event.streamId)) continue;
        yield toRecordedEvent(event);
        remaining -= 1;
        if (remaining === 0) return;
      }
      if (requested === undefined || received < requested || last === undefined) return;
      after = last;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.checkOpen();
    const filter = options.filter;
    checkFilter(filter);
    const source: SubscriptionSource = {
      open: (cursor, onCheckpoint) =>
        this.client.subscribeToAll({
          fromPosition: cursor === undefined ? START : { commit: cursor, prepare: cursor },
          ...(filter ? { filter: this.clientFilter(filter, onCheckpoint) } : {}),
        }),
      cursorOf: positionOf,
    };
    const start = () => this.allStart(options.after);
    return this.track((stopped) => new ResubscribingSubscription(source, start, true, stopped));
  }

  private clientFilter(
    filter: AllFilter,
    onCheckpoint: (from: AllStreamSubscription, position: bigint) => void,
  ) {
    const checkpointReached = (from: AllStreamSubscription, position: { commit: bigint }) =>
      onCheckpoint(from, position.commit);
    return 'streamPrefixes' in filter
      ? streamNameFilter({ prefixes: filter.streamPrefixes, checkpointReached })
      : eventTypeFilter({ regex: exactEventTypesRegex(filter.eventTypes), checkpointReached });
  }

  subscribeToStream(streamId: string, options: SubscribeToStreamOptions = {}): Subscription {
    this.checkOpen();
    const source: SubscriptionSource = {
      open: (cursor) => this.client.subscribeToStream(streamId, { fromRevision: cursor ?? START }),
      cursorOf: (event) => event.revision,
    };
    const start = () => this.streamStart(streamId, options.after);
    return this.track((stopped) => new ResubscribingSubscription(source, start, false, stopped));
  }

  /**
   * `'end'` is resolved to the current head rather than passed to the server, so a resubscription resumes
   * from there and not from whatever the end has become.
   */
  private async allStart(after: bigint | 'end' | undefined): Promise<SubscriptionStart> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let head: bigint | undefined;
    for await (const resolved of recordedEvents(read, undefined)) {
      if (resolved.event) head = positionOf(resolved.event);
    }
    const cursor = after === 'end' ? head : after;
    const caughtUp = head === undefined || (cursor !== undefined && cursor >= head);
    return { cursor, head: caughtUp ? (cursor ?? null) : head!, caughtUp };
  }

  private async streamStart(streamId: string, after: bigint | 'end' | undefined): Promise<SubscriptionStart> {
    const read = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    let last: EsdbRecordedEvent | undefined;
    try {
      for await (const resolved of recordedEvents(read, streamId)) last = resolved.event;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const cursor = after === 'end' ? last?.revision : after;
    const caughtUp = last === undefined || (cursor !== undefined && cursor >= last.revision);
    return { cursor, head: last ? positionOf(last) : null, caughtUp };
  }

  /** Keeps the open subscriptions, so that `close()` can end them. */
  private track(create: (stopped: () => void) => Subscription): Subscription {
    const subscription = create(() => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }

  async headPosition(): Promise<bigint | null> {
    for await (const event of this.readAll({ direction: 'backwards', maxCount: 1 })) return event.position;
    return null;
  }

  /** Ends the subscriptions still open (their iterators finish), then cancels the client's calls. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }
}

export function openEsdbEventStore(connectionString: string): EsdbEventStore {
  return new EsdbEventStore(connectionString);
}
