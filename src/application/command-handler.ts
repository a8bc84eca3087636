import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '../domain/decider.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../eventstore/errors.js';
import type { EventData, EventMetadata, EventStore, JsonValue } from '../eventstore/types.js';
import type { AggregateCache } from './aggregate-cache.js';
import { ConcurrencyConflictError } from './errors.js';

/** Who asked for a command and why: stamped on every event it produces. */
export interface CommandMetadata {
  correlationId: string;
  causationId: string;
  /** Administrator id on whose behalf the command runs. */
  actor: string;
}

/** The part of a decider needed to rebuild its state from a stream. */
export type Fold<State, Event extends DomainEvent> = Pick<
  Decider<State, unknown, Event, unknown>,
  'evolve' | 'initialState' | 'evolveAll'
>;

export interface LoadedAggregate<State> {
  state: State;
  /** Revision of the last event folded; null when the stream does not exist. */
  revision: bigint | null;
}

/**
 * Folds a stream into its aggregate state. With `upToRevision`, folds only the events up to and
 * including that revision (a clone copies its source as of one version); `revision` then tells
 * which revision was really reached, which is lower when the stream is shorter. With a `cache`,
 * only the events after the cached state are read, and the result is cached in turn.
 */
export async function loadAggregate<State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Fold<State, Event>,
  options: { upToRevision?: bigint; cache?: AggregateCache<State> } = {},
): Promise<LoadedAggregate<State>> {
  const { upToRevision, cache } = options;
  if (upToRevision !== undefined && upToRevision < 0n) {
    throw new RangeError(`upToRevision must be >= 0, got ${upToRevision}`);
  }
  const cached = cache?.get(streamId);
  // A cached state past the revision asked for cannot be unfolded: fold from the start then.
  const base = cached && (upToRevision === undefined || cached.revision <= upToRevision) ? cached : undefined;
  if (base && base.revision === upToRevision) return { state: base.state, revision: base.revision };
  const fromRevision = base ? base.revision + 1n : 0n;
  const folded: Event[] = [];
  let revision: bigint | null = base?.revision ?? null;
  const events = store.readStream(streamId, {
    fromRevision,
    ...(upToRevision === undefined ? {} : { maxCount: Number(upToRevision - fromRevision + 1n) }),
  });
  try {
    for await (const event of events) {
      // The store holds exactly what the decider emitted, so the stored shape is the decider's own.
      folded.push({ type: event.type, data: event.data } as Event);
      revision = event.revision;
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { state: decider.initialState(), revision: null };
    throw error;
  }
  const initial = base?.state ?? decider.initialState();
  // Folded at once, synchronously: a decider's `evolveAll` may rely on no other fold interleaving.
  const state = decider.evolveAll
    ? decider.evolveAll(initial, folded)
    : folded.reduce((current, event) => decider.evolve(current, event), initial);
  if (cache && revision !== null) cache.remember(streamId, state, revision);
  return { state, revision };
}

/** A decided event as appended: the domain event plus its id, metadata and stream revision. */
export type AppendedEvent<Event extends DomainEvent> = Event & {
  id: string;
  metadata: EventMetadata;
  revision: bigint;
};

export interface HandleCommandOptions<State, Command, Event extends DomainEvent, Context> {
  store: EventStore;
  streamId: string;
  decider: Decider<State, Command, Event, Context>;
  command: Command;
  context: Context;
  metadata: CommandMetadata;
  now: () => Date;
  /** Re-reads and re-decides after this many concurrent modifications before giving up. */
  maxRetries?: number;
  /**
   * Deterministic event ids, one per decided event, where a retry could resend the same events
   * (the store turns an exact resend into a no-op). Random UUIDs otherwise.
   */
  eventIds?: (events: readonly Event[]) => string[];
  /**
   * Metadata of each decided event on top of the command's (a clone stream's chain hashes, which
   * depend on the state the events were decided on). One entry per decided event.
   */
  eventMetadata?: (events: readonly Event[], state: State) => EventMetadata[];
  /** Folded states of this decider's streams (see `AggregateCache`); the new state is kept in it. */
  cache?: AggregateCache<State>;
}

export interface CommandResult<State, Event extends DomainEvent> {
  /** The appended events; empty when the command decided nothing. */
  events: AppendedEvent<Event>[];
  /** The aggregate state after the events. */
  state: State;
  /** Revision of the stream's last event (null: the stream still does not exist). */
  nextExpectedRevision: bigint | null;
  /** `$all` position of the last appended event (null when nothing was appended). */
  position: bigint | null;
}

/**
 * Runs one command against one aggregate stream: load, decide, append with the exact revision that
 * was read. A concurrent writer makes the append fail; the command is then decided again on the
 * fresh state, at most `maxRetries` times, before `ConcurrencyConflictError`.
 */
export async function handleCommand<State, Command, Event extends DomainEvent, Context>(
  options: HandleCommandOptions<State, Command, Event, Context>,
): Promise<CommandResult<State, Event>> {
  const {
    store,
    streamId,
    decider,
    command,
    context,
    metadata,
    now,
    maxRetries = 3,
    eventIds,
    eventMetadata,
    cache,
  } = options;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadAggregate(store, streamId, decider, cache ? { cache } : {});
    const decided = decider.decide(command, state, context);
    if (decided.length === 0) return { events: [], state, nextExpectedRevision: revision, position: null };

    const ids = eventIds ? eventIds(decided) : decided.map(() => randomUUID());
    if (ids.length !== decided.length) {
      throw new Error(`eventIds returned ${ids.length} ids for ${decided.length} events`);
    }
    const extraMetadata = eventMetadata?.(decided, state);
    if (extraMetadata && extraMetadata.length !== decided.length) {
      throw new Error(`eventMetadata returned ${extraMetadata.length} entries for ${decided.length} events`);
    }
    const recordedAt = now().toISOString();
    const toAppend: EventData[] = decided.map((event, index) => ({
      id: ids[index]!,
      type: event.type,
      // Domain event payloads are JSON by construction (bigints travel as decimal strings).
      data: event.data as JsonValue,
      metadata: { ...extraMetadata?.[index], ...metadata, recordedAt },
    }));

    try {
      const appended = await store.appendToStream(streamId, toAppend, {
        expectedRevision: revision ?? 'no_stream',
      });
      const firstRevision = appended.nextExpectedRevision - BigInt(decided.length) + 1n;
      const newState = decided.reduce((current, event) => decider.evolve(current, event), state);
      cache?.remember(streamId, newState, appended.nextExpectedRevision);
      return {
        events: decided.map((event, index) => ({
          ...event,
          id: toAppend[index]!.id,
          metadata: toAppend[index]!.metadata!,
          revision: firstRevision + BigInt(index),
        })),
        state: newState,
        nextExpectedRevision: appended.nextExpectedRevision,
        position: appended.position,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt > maxRetries) throw new ConcurrencyConflictError(streamId, attempt, { cause: error });
    }
  }
}
