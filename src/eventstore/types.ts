/**
 * The one event-store port every adapter implements (embedded SQLite, EventStoreDB).
 *
 * Semantics follow EventStoreDB so that code written against one adapter behaves the same on the
 * other: stream revisions start at 0, global positions only grow, `$all` and subscriptions resume
 * *after* a stored position, and re-sending already-committed event ids with the same exact expected
 * revision is a successful no-op. Positions and revisions are bigint end to end.
 */

/** Revision of the last event a writer expects the stream to have, or a looser condition. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EventMetadata = Record<string, JsonValue>;

/** An event about to be appended. `id` is a UUID; deterministic ids make a resent append a no-op. */
export interface EventData<Type extends string = string, Data = JsonValue> {
  id: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as stored. */
export interface RecordedEvent<Type extends string = string, Data = JsonValue> {
  id: string;
  streamId: string;
  type: Type;
  /** Position inside its stream, from 0. */
  revision: bigint;
  /** Position in `$all`: strictly increasing in commit order. */
  position: bigint;
  data: Data;
  metadata: EventMetadata;
  /** When the store committed it. */
  created: Date;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append (pass it as the next exact expectation). */
  nextExpectedRevision: bigint;
  /** `$all` position of the last event of the append (or of the already-committed one on a no-op). */
  position: bigint;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: ReadDirection;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint | 'start' | 'end';
  maxCount?: number;
}

export interface ReadAllOptions {
  direction?: ReadDirection;
  /**
   * Exclusive: only events whose position is strictly after (forwards) or before (backwards)
   * this one. Omit to start at the beginning (forwards) or the end (backwards).
   */
  after?: bigint;
  maxCount?: number;
}

/** Server-side filter for `$all`; EventStoreDB accepts one kind at a time, so does the port. */
export type AllFilter = { streamPrefixes: string[] } | { eventTypes: string[] };

export interface SubscribeToAllOptions {
  /** Exclusive checkpoint; omit for the beginning of `$all`, `'end'` for live events only. */
  after?: bigint | 'end';
  filter?: AllFilter;
}

export interface SubscribeToStreamOptions {
  /** Exclusive: the last revision already processed; omit for the beginning, `'end'` for live only. */
  after?: bigint | 'end';
}

/**
 * What a catch-up subscription yields: events in order (history first, then live), one `caughtUp`
 * when the history available at subscription time has been delivered, and, for filtered `$all`
 * subscriptions, `checkpoint`s so a consumer can advance its stored position past filtered events.
 */
export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  | { kind: 'caughtUp'; position: bigint | null }
  | { kind: 'checkpoint'; position: bigint };

export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Stops the subscription; the iterator then ends. Idempotent. */
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly EventData[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Throws `StreamNotFoundError` when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  subscribeToStream(streamId: string, options?: SubscribeToStreamOptions): Subscription;
  /** Position of the last event in `$all`, or null when the store is empty. */
  headPosition(): Promise<bigint | null>;
  close(): Promise<void>;
}
