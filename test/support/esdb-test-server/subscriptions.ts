import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { READ_BATCH_SIZE, type EventFilter } from './event-filter.js';
import type { EventLog, LoggedEvent } from './event-log.js';
import type { Faults } from './faults.js';
import { checkpointResponse, readEventResponse } from './messages.js';
import { streamsPb } from './protocol.js';
import type { ReadCall } from './read-call.js';
import type { ServerBehaviour } from './server-behaviour.js';
import { ReadCallWriter } from './read-call.js';

/**
 * Catch-up subscriptions as EventStoreDB ≥ 24.2 serves them on `Streams.Read`: a confirmation, the history
 * page by page (with checkpoints on filtered `$all`), `CaughtUp`, then live events. Going live happens in the
 * same synchronous step as noticing the end of the history, so no commit can fall between the two.
 */

/** What the real server sends when it drops a subscription whose consumer fell too far behind. */
const DROPPED: Partial<grpc.StatusObject> = {
  code: grpc.status.ABORTED,
  details:
    'Operation timed out: Consumer too slow to handle event while live. Client resubscription required.',
};

export class SubscriptionRegistry {
  private readonly active = new Set<() => void>();

  track(drop: () => void): () => void {
    this.active.add(drop);
    return () => this.active.delete(drop);
  }

  dropAll(): void {
    for (const drop of [...this.active]) drop();
  }
}

export type StreamStart = 'start' | 'end' | { after: bigint };
export type AllStart = 'start' | 'end' | { from: bigint };

interface SubscriptionContext {
  readonly call: ReadCall;
  readonly log: EventLog;
  readonly registry: SubscriptionRegistry;
  readonly behaviour: ServerBehaviour;
  readonly faults: Faults;
}

function open(context: SubscriptionContext): { writer: ReadCallWriter; onLive(stop: () => void): void } {
  const writer = new ReadCallWriter(context.call);
  let stopLive = () => {};
  const untrack = context.registry.track(() => {
    stopLive();
    untrack();
    writer.fail(DROPPED);
  });
  context.call.on('cancelled', () => {
    stopLive();
    untrack();
  });
  writer.push(
    new streamsPb.ReadResp().setConfirmation(
      new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID()),
    ),
  );
  return {
    writer,
    onLive(stop) {
      stopLive = stop;
      if (!writer.isOpen) stop();
    },
  };
}

export async function subscribeToStream(
  context: SubscriptionContext,
  streamName: string,
  start: StreamStart,
): Promise<void> {
  const { log, faults } = context;
  const { writer, onLive } = open(context);
  let next =
    start === 'start' ? 0 : start === 'end' ? (log.stream(streamName)?.length ?? 0) : Number(start.after) + 1;

  for (;;) {
    if (!writer.isOpen) return;
    const stored = log.stream(streamName) ?? [];
    if (next >= stored.length) break;
    for (const event of stored.slice(next, next + READ_BATCH_SIZE)) {
      if (faults.dropsSubscriptionAt(event, 'catching-up')) return;
      next += 1;
      if (!(await writer.write(readEventResponse(event)))) return;
    }
  }

  if (log.stream(streamName) || context.behaviour.caughtUpOnMissingStream) {
    writer.push(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()));
  }
  onLive(
    log.onCommitted((events) => {
      for (const event of events) {
        if (event.streamName !== streamName || event.revision < BigInt(next)) continue;
        if (faults.dropsSubscriptionAt(event, 'live')) return;
        next = Number(event.revision) + 1;
        writer.push(readEventResponse(event));
      }
    }),
  );
}

/**
 * `$all` from a position starts *after* the event found at or after that position, as the real server does
 * (it reads one event from the position and continues from the next one): resuming from an event's exact
 * position is exclusive, resuming from anything else would skip an event.
 */
function firstIndex(log: EventLog, start: AllStart): number {
  if (start === 'start') return 0;
  if (start === 'end') return log.all.length;
  if (start.from === 0n) return 0;
  return Math.min(log.indexAtOrAfter(start.from) + 1, log.all.length);
}

export async function subscribeToAll(
  context: SubscriptionContext,
  start: AllStart,
  filter: EventFilter | undefined,
): Promise<void> {
  const { log, faults } = context;
  const { writer, onLive } = open(context);
  const searchWindow = filter?.searchWindow ?? READ_BATCH_SIZE;
  let index = firstIndex(log, start);
  let considered = 0;

  for (;;) {
    if (!writer.isOpen) return;
    if (index >= log.all.length) break;
    const page = log.all.slice(index, index + searchWindow);
    index += page.length;
    let lastMatched: LoggedEvent | undefined;
    for (const event of page) {
      if (filter && !filter.matches(event)) continue;
      if (faults.dropsSubscriptionAt(event, 'catching-up')) return;
      lastMatched = event;
      if (!(await writer.write(readEventResponse(event)))) return;
    }
    considered += page.length;
    if (faults.isDown) return;
    if (filter && index < log.all.length && considered >= filter.checkpointInterval) {
      considered %= filter.checkpointInterval;
      const position = (lastMatched ?? page[0]!).position;
      if (!(await writer.write(checkpointResponse(position)))) return;
    }
  }

  writer.push(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()));
  onLive(
    log.onCommitted((events) => {
      for (const event of events) {
        considered += 1;
        if (!filter || filter.matches(event)) {
          if (faults.dropsSubscriptionAt(event, 'live')) return;
          writer.push(readEventResponse(event));
        }
        // Nothing may follow an event a drop withheld, not even a checkpoint past it.
        if (faults.isDown) return;
        if (filter && considered >= filter.checkpointInterval) {
          considered = 0;
          writer.push(checkpointResponse(event.position));
        }
      }
    }),
  );
}
