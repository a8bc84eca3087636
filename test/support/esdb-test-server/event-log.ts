import { randomUUID } from 'node:crypto';

/**
 * The in-memory transaction log of the test server, with EventStoreDB's write rules.
 *
 * Positions are byte offsets of records in a log, as in EventStoreDB: sparse, growing with the size of each
 * event, and never 0 (the log opens with an epoch record). Every event is written the way EventStoreDB
 * writes a gRPC append (a self-committing prepare record), so its commit and prepare positions are equal.
 */

export interface LoggedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  readonly created: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedState = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendOutcome =
  | {
      readonly kind: 'written' | 'idempotent';
      readonly currentRevision: bigint;
      readonly position: bigint | null;
    }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint | null };

const EPOCH_RECORD_SIZE = 128n;
const PREPARE_RECORD_OVERHEAD = 88n;
const TICKS_PER_MILLISECOND = 10_000n;

/** EventStoreDB's `Event.SizeOnDisk`, the measure its append size cap applies to on batch appends. */
export function sizeOnDisk(event: Pick<ProposedEvent, 'type' | 'data' | 'customMetadata'>): number {
  return event.data.length + event.customMetadata.length + event.type.length * 2;
}

export class EventLog {
  private readonly events: LoggedEvent[] = [];
  private readonly streams = new Map<string, LoggedEvent[]>();
  /** EventStoreDB's committed-events cache (event id → where it was last written); unbounded here. */
  private readonly committedIds = new Map<string, LoggedEvent>();
  private readonly listeners = new Set<(events: readonly LoggedEvent[]) => void>();
  private nextPosition = EPOCH_RECORD_SIZE;

  constructor(private readonly linkToCategories: boolean) {}

  get all(): readonly LoggedEvent[] {
    return this.events;
  }

  stream(streamName: string): readonly LoggedEvent[] | undefined {
    return this.streams.get(streamName);
  }

  /** Index in `all` of the first event at or after `position`. */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle]!.position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Calls `listener` with every batch committed from now on, synchronously, in commit order. */
  onCommitted(listener: (events: readonly LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const decision = this.checkCommit(streamName, expected, proposed);
    if (decision.kind !== 'ok') return decision;
    const written = this.write(streamName, proposed);
    if (this.linkToCategories) this.linkToCategory(streamName, written);
    return {
      kind: 'written',
      currentRevision: BigInt(this.streams.get(streamName)?.length ?? 0) - 1n,
      position: written.at(-1)?.position ?? null,
    };
  }

  /** What the `$by_category` projection writes after an append: a link (`$>`) to each event, in its own commit. */
  private linkToCategory(streamName: string, events: readonly LoggedEvent[]): void {
    const separator = streamName.indexOf('-');
    if (streamName.startsWith('$') || separator <= 0) return;
    const links = events.map((event) => ({
      id: randomUUID(),
      type: '$>',
      contentType: 'application/octet-stream',
      data: Buffer.from(`${event.revision}@${event.streamName}`),
      customMetadata: new Uint8Array(),
    }));
    this.write(`$ce-${streamName.slice(0, separator)}`, links);
  }

  /**
   * EventStoreDB's `IndexWriter.CheckCommit`: the expected-version check and idempotency rules. `any` and
   * `stream_exists` recognise a resend through the committed-ids cache (first id unknown: a new write;
   * first id known but not all: corrupted idempotency); an exact revision (`no_stream` being revision -1)
   * compares the ids with the events stored after it. A corrupted idempotency is answered, like on the
   * real server, as a wrong expected version.
   */
  private checkCommit(
    streamName: string,
    expected: ExpectedState,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | { kind: 'ok' } {
    const stored = this.streams.get(streamName) ?? [];
    const current = BigInt(stored.length) - 1n;
    const wrongExpectedVersion: AppendOutcome = {
      kind: 'wrong_expected_version',
      currentRevision: current < 0n ? null : current,
    };

    if (expected === 'stream_exists' && current < 0n) return wrongExpectedVersion;

    if (expected === 'any' || expected === 'stream_exists') {
      let last: LoggedEvent | undefined;
      for (const [index, event] of proposed.entries()) {
        const committed = this.committedIds.get(event.id);
        if (!committed || committed.streamName !== streamName) {
          return index === 0 ? { kind: 'ok' } : wrongExpectedVersion;
        }
        last = committed;
      }
      if (!last) return { kind: 'ok' };
      return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
    }

    const expectedRevision = expected === 'no_stream' ? -1n : expected;
    if (expectedRevision < current) {
      if (proposed.length === 0) return wrongExpectedVersion;
      for (const [index, event] of proposed.entries()) {
        const atRevision = stored[Number(expectedRevision) + 1 + index];
        if (atRevision?.id !== event.id) return wrongExpectedVersion;
      }
      const last = stored[Number(expectedRevision) + proposed.length]!;
      return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
    }
    if (expectedRevision > current) return wrongExpectedVersion;
    return { kind: 'ok' };
  }

  /** Writes events as one commit, seen by every listener. */
  write(streamName: string, proposed: readonly ProposedEvent[]): LoggedEvent[] {
    const stored = this.streams.get(streamName) ?? [];
    if (proposed.length > 0) this.streams.set(streamName, stored);
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written: LoggedEvent[] = [];
    for (const event of proposed) {
      const logged: LoggedEvent = {
        ...event,
        streamName,
        revision: BigInt(stored.length),
        position: this.nextPosition,
        created,
      };
      this.nextPosition +=
        PREPARE_RECORD_OVERHEAD + BigInt(sizeOnDisk(event)) + BigInt(Buffer.byteLength(streamName) * 2);
      stored.push(logged);
      this.events.push(logged);
      this.committedIds.set(event.id, logged);
      written.push(logged);
    }
    if (written.length > 0) for (const listener of this.listeners) listener(written);
    return written;
  }
}
