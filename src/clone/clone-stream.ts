/**
 * One clone's stream `clone-{id}` held in memory by the worker that advances it: decisions are taken
 * on the state folded so far and appended with the exact revision it was folded to, so a worker
 * never reloads the stream between batches (that would be quadratic) and two workers never both
 * advance one clone: the second append at a revision fails, and its worker catches up.
 *
 * The second append does not always fail by itself: event ids are deterministic, so a worker that
 * decides exactly what another one appended first resends it, and the store takes a resend as a
 * no-op success. Each append is therefore marked with its worker's run (`writerRun` in the metadata)
 * and checked after the fact; one that turns out to be another run's fails like a conflict.
 */
import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '../application/command-handler.js';
import { chainHashes } from '../domain/clone/chain.js';
import type { CloneCommand } from '../domain/clone/commands.js';
import type { CloneState } from '../domain/clone/decider.js';
import { cloneDecider, cloneStreamId } from '../domain/clone/decider.js';
import type { CloneEvent } from '../domain/clone/events.js';
import { cloneEventId } from '../domain/clone/events.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../eventstore/errors.js';
import type { EventData, EventMetadata, EventStore, JsonValue, RecordedEvent } from '../eventstore/types.js';
import { eventAt } from './stream-reads.js';

/** Metadata of clone events on top of the command's: each event's chain hash (SPEC §4). */
export function cloneEventMetadata(events: readonly CloneEvent[], state: CloneState): EventMetadata[] {
  return chainHashes(events, state.chainHash).map((chainHash) => ({ chainHash }));
}

/**
 * The events of a clone decision as appended: deterministic ids, the chain hash each one brings the
 * stream to (the decider's fold computes them), the command's metadata.
 */
export function cloneEventsToAppend(
  events: readonly CloneEvent[],
  hashes: readonly string[],
  metadata: CommandMetadata & { recordedAt: string; writerRun?: string },
): EventData[] {
  return events.map((event, index) => ({
    id: cloneEventId(event),
    type: event.type,
    data: event.data as unknown as JsonValue,
    metadata: { chainHash: hashes[index]!, ...metadata },
  }));
}

/** The stream holds exactly what the clone decider emitted, so the stored shape is the decider's own. */
export function asCloneEvent(event: RecordedEvent): CloneEvent {
  return { type: event.type, data: event.data } as CloneEvent;
}

export interface CloneAppend {
  /** Events the decision appended (0: it decided nothing). */
  count: number;
  /** `$all` position of the last one; null when nothing was appended. */
  position: bigint | null;
}

export class CloneStream {
  readonly streamId: string;
  /** Marks the events this instance appends (see the top of the file). */
  private readonly writerRun = randomUUID();

  private constructor(
    private readonly store: EventStore,
    readonly cloneId: string,
    private current: CloneState,
    private head: bigint,
    /** The stream's first event, `CloneRequested`: its time, position and metadata anchor the clone. */
    readonly requested: RecordedEvent,
  ) {
    this.streamId = cloneStreamId(cloneId);
  }

  /** The clone's stream folded to its end; null when the clone does not exist. */
  static async load(store: EventStore, cloneId: string): Promise<CloneStream | null> {
    let state = cloneDecider.initialState();
    let head = -1n;
    let requested: RecordedEvent | undefined;
    try {
      for await (const event of store.readStream(cloneStreamId(cloneId))) {
        requested ??= event;
        state = cloneDecider.evolve(state, asCloneEvent(event));
        head = event.revision;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
    if (!requested || requested.type !== 'CloneRequested') {
      throw new Error(`stream ${cloneStreamId(cloneId)} does not start with CloneRequested`);
    }
    return new CloneStream(store, cloneId, state, head, requested);
  }

  get state(): CloneState {
    return this.current;
  }

  /** Revision of the last event folded. */
  get revision(): bigint {
    return this.head;
  }

  /**
   * Decides the command on the state folded so far and appends what it decides at exactly this
   * revision. Throws the store's `WrongExpectedVersionError` (or `DuplicateEventIdError`) when
   * another writer got there first, also with the very same events: `catchUp()`, then decide again.
   */
  async decide(command: CloneCommand, metadata: CommandMetadata, now: Date): Promise<CloneAppend> {
    const decided = cloneDecider.decide(command, this.current);
    if (decided.length === 0) return { count: 0, position: null };
    // Folded before the append: each event's chain hash is the one its fold computes.
    const chained: string[] = [];
    let folded = this.current;
    for (const event of decided) {
      folded = cloneDecider.evolve(folded, event);
      chained.push(folded.chainHash);
    }
    const toAppend = cloneEventsToAppend(decided, chained, {
      ...metadata,
      recordedAt: now.toISOString(),
      writerRun: this.writerRun,
    });
    const result = await this.store.appendToStream(this.streamId, toAppend, { expectedRevision: this.head });
    const last = await eventAt(this.store, this.streamId, result.nextExpectedRevision);
    if (last?.metadata.writerRun !== this.writerRun) {
      // A resend of another run's events: that run advances the clone.
      throw new WrongExpectedVersionError(this.streamId, this.head, result.nextExpectedRevision);
    }
    this.current = folded;
    this.head = result.nextExpectedRevision;
    return { count: decided.length, position: result.position };
  }

  /** Folds what other writers appended since; returns how many events that was. */
  async catchUp(): Promise<number> {
    let count = 0;
    for await (const event of this.store.readStream(this.streamId, { fromRevision: this.head + 1n })) {
      this.current = cloneDecider.evolve(this.current, asCloneEvent(event));
      this.head = event.revision;
      count += 1;
    }
    return count;
  }
}
