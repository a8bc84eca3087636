import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  type AllStreamResolvedEvent,
  type ReadableSubscription,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { SubscriptionQueue } from '../subscription-queue.js';
import type { Subscription } from '../types.js';
import { isSystemStream, toRecordedEvent } from './recorded-event.js';

type ClientSubscription = ReadableSubscription<ResolvedEvent | AllStreamResolvedEvent>;

/** Where a subscription starts, resolved once before its first gRPC subscription is opened. */
export interface SubscriptionStart {
  /** Deliver what comes after this cursor; undefined: from the start. */
  readonly cursor: bigint | undefined;
  /** `$all` position of the last event there was to catch up with when the subscription started. */
  readonly head: bigint | null;
  /** Nothing to catch up with: `caughtUp` is due as soon as the server confirms the subscription. */
  readonly caughtUp: boolean;
}

/** How one kind of subscription (`$all` or a stream) is opened and how far an event moves it. */
export interface SubscriptionSource {
  /**
   * Opens a client subscription that delivers what comes *after* `cursor` (from the start when undefined);
   * `onCheckpoint` receives the checkpoints of a filtered `$all` subscription.
   */
  open(
    cursor: bigint | undefined,
    onCheckpoint: (from: ClientSubscription, position: bigint) => void,
  ): ClientSubscription;
  /** The cursor an event moves the subscription to: its `$all` position, or its stream revision. */
  cursorOf(event: EsdbRecordedEvent): bigint;
}

const FIRST_RETRY_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * What subscribing again can cure: the server gone or restarting, the subscription dropped (a consumer too
 * slow is dropped with ABORTED, which the client reports as a timeout), a leader change, a reset call.
 * Anything else (access denied, a deleted stream, an event this adapter cannot read) ends the subscription.
 */
function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof TimeoutError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof UnknownError
  );
}

/**
 * A catch-up subscription that survives the gRPC subscription being dropped. The client never resumes a
 * dropped subscription, so this one reopens it, with a backoff doubling from 50 ms up to 5 s, from the cursor
 * of the last message it delivered. The server resumes exclusively after a cursor (an event's revision, or
 * its exact `$all` position), so the consumer sees neither a gap nor a duplicate. `caughtUp` is delivered
 * once; when there was nothing to catch up with it is delivered on confirmation, as servers before 24.2
 * never send it for a stream that does not exist yet.
 *
 * Order holds because the client's subscription (a Transform stream) is consumed in flowing mode and never
 * paused: each event is emitted as `data` while the client transforms it, before it transforms the next
 * message, so the `caughtUp` and checkpoints it announces on arrival always follow the events sent before.
 */
export class ResubscribingSubscription implements Subscription {
  private readonly queue = new SubscriptionQueue(() => this.stop());
  private current: ClientSubscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private caughtUp = false;
  /** Set when there was nothing to catch up with at the start: `caughtUp` is due on confirmation. */
  private caughtUpOnConfirmation = false;
  /** Where the subscription resumes: the cursor of the last event or checkpoint passed; undefined: the start. */
  private cursor: bigint | undefined;
  /**
   * Reported with `caughtUp`: the `$all` position of the last event or checkpoint delivered, or the head the
   * subscription started from if further (everything up to it has been passed by then).
   */
  private lastPosition: bigint | null = null;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly resolveStart: () => Promise<SubscriptionStart>,
    private readonly skipSystemStreams: boolean,
    private readonly onStopped: () => void,
  ) {
    this.begin();
  }

  unsubscribe(): Promise<void> {
    return this.queue.unsubscribe();
  }

  [Symbol.asyncIterator]() {
    return this.queue[Symbol.asyncIterator]();
  }

  private begin(): void {
    this.resolveStart().then(
      ({ cursor, head, caughtUp }) => {
        this.cursor = cursor;
        this.lastPosition = head;
        this.caughtUpOnConfirmation = caughtUp;
        this.connect();
      },
      (error: unknown) => this.retryOrFail(error, () => this.begin()),
    );
  }

  private connect(): void {
    if (this.stopped) return;
    const subscription = this.source.open(this.cursor, (from, position) => {
      if (from === this.current) this.deliverCheckpoint(position);
    });
    this.current = subscription;
    subscription.on('data', (resolved: ResolvedEvent | AllStreamResolvedEvent) => {
      if (resolved.event) this.deliverEvent(resolved.event);
    });
    if (this.caughtUpOnConfirmation) subscription.once('confirmation', () => this.deliverCaughtUp());
    subscription.on('caughtUp', () => this.deliverCaughtUp());
    subscription.on('error', (error: Error) => this.dropped(subscription, error));
    subscription.on('end', () =>
      this.dropped(subscription, new UnavailableError(undefined, 'the server ended the subscription')),
    );
  }

  private deliverEvent(event: EsdbRecordedEvent): void {
    if (this.queue.isEnded) return;
    this.cursor = this.source.cursorOf(event);
    this.failures = 0;
    if (this.skipSystemStreams && isSystemStream(event.streamId)) return;
    try {
      const recorded = toRecordedEvent(event);
      this.advanceLastPosition(recorded.position);
      this.queue.push({ kind: 'event', event: recorded });
    } catch (error) {
      this.queue.fail(error);
    }
  }

  /** Only a checkpoint beyond the cursor says something new; resuming after it is safe (see `positionOf`). */
  private deliverCheckpoint(position: bigint): void {
    if (this.queue.isEnded || (this.cursor !== undefined && position <= this.cursor)) return;
    this.cursor = position;
    this.advanceLastPosition(position);
    this.queue.push({ kind: 'checkpoint', position });
  }

  private advanceLastPosition(position: bigint): void {
    if (this.lastPosition === null || position > this.lastPosition) this.lastPosition = position;
  }

  private deliverCaughtUp(): void {
    this.failures = 0;
    if (this.caughtUp || this.queue.isEnded) return;
    this.caughtUp = true;
    this.queue.push({ kind: 'caughtUp', position: this.lastPosition });
  }

  private dropped(subscription: ClientSubscription, error: Error): void {
    if (this.stopped || subscription !== this.current) return;
    this.current = undefined;
    void this.release(subscription);
    this.retryOrFail(error, () => this.connect());
  }

  private retryOrFail(error: unknown, retry: () => void): void {
    if (this.stopped) return;
    if (!isTransient(error)) {
      this.queue.fail(error);
      return;
    }
    const delay = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** this.failures);
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      retry();
    }, delay);
  }

  /** Detaches from a client subscription and cancels its gRPC call, whose late errors no longer matter. */
  private release(subscription: ClientSubscription): Promise<void> {
    subscription.removeAllListeners('data');
    subscription.removeAllListeners('confirmation');
    subscription.removeAllListeners('caughtUp');
    subscription.removeAllListeners('end');
    subscription.removeAllListeners('error');
    subscription.on('error', () => {});
    return subscription.unsubscribe();
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    this.onStopped();
    clearTimeout(this.retryTimer);
    const subscription = this.current;
    this.current = undefined;
    if (subscription) await this.release(subscription);
  }
}
