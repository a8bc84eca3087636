/**
 * Live progress of clones, read from their streams (SPEC §7 `cloneProgress`): the current state
 * first, then updates, then the terminal state. Fed by a catch-up subscription to `clone-{id}`, so
 * it follows a clone wherever it runs (this process, another process on the same SQLite file,
 * another instance on the same EventStoreDB), and works right after the request, before any read
 * model shows it.
 *
 * One store subscription and one fold per clone per process, shared by all of its followers: a
 * thousand followers of one clone cost one read of its stream, not a thousand. The subscription
 * ends with the clone, or when its last follower leaves.
 *
 * Updates are coalesced to at most one per 100 ms within one status and phase; a change
 * of status or phase goes out at once, so that a follower sees every phase. A follower that reads
 * slower than updates come keeps only the newest of its unread updates within a phase.
 */
import type { CloneState, CloneStatus } from '../domain/clone/decider.js';
import { cloneDecider, cloneStreamId } from '../domain/clone/decider.js';
import type { CloneItemEventData } from '../domain/clone/events.js';
import { CLONE_EVENT_TYPES, CLONE_ITEM_EVENT_TYPES } from '../domain/clone/events.js';
import type { PlanCategory, PlanTotals } from '../domain/clone/plan.js';
import { totalsOf } from '../domain/clone/totals.js';
import { NotFoundError } from '../domain/errors.js';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/types.js';
import { eventTime } from '../projections/clones/projection.js';
import { asCloneEvent } from './clone-stream.js';

export type CloneProgressStatus = Exclude<CloneStatus, 'absent'>;

/** A clone as its stream tells it after one event. */
export interface CloneProgressSnapshot {
  cloneId: string;
  status: CloneProgressStatus;
  /** Items recorded, of the plan's `total`. */
  done: number;
  total: number;
  /** Category of the item recorded last; null before the first. */
  phase: PlanCategory | null;
  /** Starts so far (0 while requested). */
  attempt: number;
  failure: { reason: string; resumable: boolean } | null;
  /** The recorded items per category and outcome, on the terminal snapshot only. */
  totals: PlanTotals | null;
  /** Digest of the ordered item outcomes, once completed. */
  auditDigest: string | null;
  /** Revision of the stream's last event folded. */
  version: bigint;
  /** Time of that event (ISO 8601). */
  updatedAt: string;
  /** Nothing follows: the clone completed, was discarded, or failed and cannot resume. */
  terminal: boolean;
}

/** Least time between two updates of one status and phase: 10 a second. */
const MIN_INTERVAL_MS = 100;
const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(CLONE_EVENT_TYPES);
const ITEM_EVENT_TYPES: ReadonlySet<string> = new Set(CLONE_ITEM_EVENT_TYPES);

/**
 * A resumable failure is not the end: the clone runner retries it, and the followers see it resume.
 */
function isTerminal(state: CloneState): boolean {
  return (
    state.status === 'completed' ||
    state.status === 'discarded' ||
    (state.status === 'failed' && state.failure?.resumable !== true)
  );
}

export class CloneProgressFeeds {
  private readonly feeds = new Map<string, CloneFeed>();

  constructor(private readonly store: EventStore) {}

  /**
   * Follows one clone: its current state first, then updates, then the terminal state, then the
   * iterator ends; it throws NOT_FOUND when the clone does not exist. `return()` leaves.
   */
  follow(cloneId: string): AsyncIterableIterator<CloneProgressSnapshot> {
    let feed = this.feeds.get(cloneId);
    if (!feed) {
      const created = new CloneFeed(cloneId, this.store, () => {
        if (this.feeds.get(cloneId) === created) this.feeds.delete(cloneId);
      });
      created.start();
      this.feeds.set(cloneId, created);
      feed = created;
    }
    const follower = new Follower(feed);
    feed.join(follower);
    return follower;
  }

  /** How many follow the clone in this process now (0: its stream is not subscribed to). */
  followers(cloneId: string): number {
    return this.feeds.get(cloneId)?.followerCount ?? 0;
  }
}

/** One clone's stream, folded once for all of its followers. */
class CloneFeed {
  private state = cloneDecider.initialState();
  private phase: PlanCategory | null = null;
  private last: RecordedEvent | null = null;
  private live = false;
  private ended = false;
  private readonly followers = new Set<Follower>();
  private subscription: Subscription | null = null;
  /** Status and phase of the last update sent, and when. */
  private sent: { status: CloneStatus; phase: PlanCategory | null; at: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cloneId: string,
    private readonly store: EventStore,
    private readonly onEnd: () => void,
  ) {}

  start(): void {
    this.subscription = this.store.subscribeToStream(cloneStreamId(this.cloneId));
    void this.run(this.subscription);
  }

  get followerCount(): number {
    return this.followers.size;
  }

  join(follower: Follower): void {
    this.followers.add(follower);
    // Caught up already: the newcomer's first update is the state as it is now.
    if (this.live) follower.push(this.snapshot(), true);
  }

  leave(follower: Follower): void {
    this.followers.delete(follower);
    if (this.followers.size === 0) void this.end();
  }

  private async run(subscription: Subscription): Promise<void> {
    try {
      for await (const message of subscription) {
        if (message.kind === 'event') {
          this.fold(message.event);
          if (this.live) this.changed();
        } else if (message.kind === 'caughtUp' && !this.live) {
          this.live = true;
          if (this.state.status === 'absent') {
            this.failAll(new NotFoundError('clone', this.cloneId, 'cloneId'));
            return;
          }
          this.broadcast(true);
        }
        if (this.ended) return;
      }
    } catch (error) {
      this.failAll(error);
    }
  }

  private fold(event: RecordedEvent): void {
    // Anything else in a clone stream cannot come from the decider; `verification` reports it.
    if (!KNOWN_EVENT_TYPES.has(event.type)) return;
    this.state = cloneDecider.evolve(this.state, asCloneEvent(event));
    if (ITEM_EVENT_TYPES.has(event.type)) this.phase = (event.data as unknown as CloneItemEventData).category;
    this.last = event;
  }

  /** After a live event: send now on a change of status or phase, else at most once per interval. */
  private changed(): void {
    const sent = this.sent;
    if (!sent || sent.status !== this.state.status || sent.phase !== this.phase || isTerminal(this.state)) {
      this.broadcast(true);
      return;
    }
    const wait = sent.at + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) this.broadcast(false);
    else this.timer ??= setTimeout(() => this.broadcast(false), wait);
  }

  private broadcast(boundary: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const snapshot = this.snapshot();
    this.sent = { status: this.state.status, phase: this.phase, at: Date.now() };
    for (const follower of this.followers) follower.push(snapshot, boundary);
    if (snapshot.terminal) void this.end();
  }

  private snapshot(): CloneProgressSnapshot {
    const { state } = this;
    // Only called once the stream has shown its `CloneRequested`.
    const last = this.last!;
    const terminal = isTerminal(state);
    return {
      cloneId: this.cloneId,
      status: state.status as CloneProgressStatus,
      done: state.audit.length,
      total: state.itemCount,
      phase: this.phase,
      attempt: state.attempts,
      failure: state.failure,
      totals: terminal ? totalsOf(state.audit.rows()) : null,
      auditDigest: state.completion?.auditDigest ?? null,
      version: last.revision,
      updatedAt: eventTime(last),
      terminal,
    };
  }

  private failAll(error: unknown): void {
    for (const follower of this.followers) follower.fail(error);
    void this.end();
  }

  /** Stops following the stream; followers keep what they have not read yet. */
  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.onEnd();
    for (const follower of this.followers) follower.finish();
    this.followers.clear();
    await this.subscription?.unsubscribe();
  }
}

/** One follower's view of a feed: an async iterator over its unread updates. */
class Follower implements AsyncIterableIterator<CloneProgressSnapshot> {
  private readonly unread: { snapshot: CloneProgressSnapshot; boundary: boolean }[] = [];
  private waiting: {
    resolve: (result: IteratorResult<CloneProgressSnapshot>) => void;
    reject: (error: unknown) => void;
  } | null = null;
  private finished = false;
  private failure: { error: unknown } | null = null;

  constructor(private readonly feed: CloneFeed) {}

  push(snapshot: CloneProgressSnapshot, boundary: boolean): void {
    if (this.finished) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: snapshot, done: false });
      return;
    }
    // An unread update within a phase is superseded by any newer one.
    if (this.unread.length > 0 && !this.unread[this.unread.length - 1]!.boundary) this.unread.pop();
    this.unread.push({ snapshot, boundary });
  }

  /** No more updates: the iterator ends once the unread ones are read. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.waiting && this.unread.length === 0) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = { error };
    this.finished = true;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<CloneProgressSnapshot>> {
    const entry = this.unread.shift();
    if (entry) return Promise.resolve({ value: entry.snapshot, done: false });
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<CloneProgressSnapshot>> {
    this.unread.length = 0;
    this.failure = null;
    this.finish();
    this.feed.leave(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<CloneProgressSnapshot> {
    return this;
  }
}
