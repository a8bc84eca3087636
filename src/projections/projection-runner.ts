import type { EventStore, RecordedEvent, SubscribeToAllOptions, Subscription } from '../eventstore/types.js';
import { ProjectionFailedError, ProjectionsStoppedError, ProjectionTimeoutError } from './errors.js';
import type { Projection } from './projection.js';
import { commitBatch, matchesFilter, prepareProjection } from './projection.js';
import type { ReadModelDb } from './read-model-db.js';

export interface ProjectionLogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  projection: string;
  error?: unknown;
  [field: string]: unknown;
}
export type ProjectionLogger = (entry: ProjectionLogEntry) => void;

export interface ProjectionRunnerOptions {
  store: EventStore;
  db: ReadModelDb;
  projections: readonly Projection[];
  log: ProjectionLogger;
  /** Most events applied in one transaction; fewer when the subscription has no more buffered. */
  maxBatchSize?: number;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  /** `$all` position committed to the read model (null: nothing yet). */
  position: bigint | null;
  caughtUp: boolean;
  failure: unknown;
}

/**
 * How far `waitForPosition` reads `$all` on behalf of a filtered projection to learn that the events
 * it has not seen yet are all filtered out. Beyond that the projection is far behind anyway.
 */
const FILTERED_GAP_SCAN_LIMIT = 10_000;

interface Waiter {
  target: bigint;
  /**
   * Per filtered projection behind `target`: the position of the last event in (its position,
   * target] that its filter selects, or null when there is none; reaching it means reaching `target`.
   */
  required: Map<ProjectionWorker, bigint | null>;
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * Keeps read models up to date: one catch-up subscription to `$all` per projection, from its stored
 * checkpoint, applying events in batches, each batch one transaction with the checkpoint.
 */
export class ProjectionRunner {
  private readonly workers: ProjectionWorker[];
  private readonly waiters = new Set<Waiter>();
  private started = false;
  private stopped = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const names = new Set<string>();
    for (const projection of options.projections) {
      if (names.has(projection.name)) throw new Error(`duplicate projection name ${projection.name}`);
      names.add(projection.name);
    }
    this.workers = options.projections.map(
      (projection) =>
        new ProjectionWorker(projection, {
          store: options.store,
          db: options.db,
          log: options.log,
          maxBatchSize: options.maxBatchSize ?? 500,
          onProgress: () => this.settleWaiters(),
        }),
    );
  }

  /** Readies every projection (rebuilding those whose version changed) and subscribes. */
  async start(): Promise<void> {
    if (this.started) throw new Error('projection runner already started');
    this.started = true;
    const headAtStart = await this.options.store.headPosition();
    const resumeFrom = this.workers.map((worker) => worker.prepare());
    this.workers.forEach((worker, index) => worker.subscribe(resumeFrom[index]!, headAtStart));
  }

  /** The position every projection has reached (null until all have applied something). */
  position(): bigint | null {
    let lowest: bigint | null = null;
    for (const worker of this.workers) {
      if (worker.position === null) return null;
      if (lowest === null || worker.position < lowest) lowest = worker.position;
    }
    return lowest;
  }

  /** Ready to serve: every projection has applied the history that existed at start, none failed. */
  isCaughtUp(): boolean {
    return this.started && this.workers.every((worker) => worker.caughtUp && !worker.failed);
  }

  status(): ProjectionStatus[] {
    return this.workers.map((worker) => ({
      name: worker.projection.name,
      version: worker.projection.version,
      position: worker.position,
      caughtUp: worker.caughtUp,
      failure: worker.failure,
    }));
  }

  /**
   * Resolves once every read model reflects all events up to `position` (so a mutation can answer
   * with its own write). Rejects with `ProjectionTimeoutError` after `timeoutMs`, or at once with
   * `ProjectionFailedError` when a projection that has not reached it has failed.
   */
  waitForPosition(position: bigint, options: { timeoutMs: number }): Promise<void> {
    if (this.stopped) return Promise.reject(new ProjectionsStoppedError());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        target: position,
        required: new Map(),
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const lagging = this.workers.filter((worker) => !worker.hasReached(waiter));
          reject(
            new ProjectionTimeoutError(
              position,
              options.timeoutMs,
              lagging.map((w) => w.projection.name),
            ),
          );
        }, options.timeoutMs),
      };
      this.waiters.add(waiter);
      if (this.settle(waiter)) return;
      void this.scanFilteredGaps(waiter);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.workers.map((worker) => worker.stop()));
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new ProjectionsStoppedError());
    }
    this.waiters.clear();
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) this.settle(waiter);
  }

  /** Resolves or rejects the waiter if its outcome is known; true when it did. */
  private settle(waiter: Waiter): boolean {
    let reached = true;
    for (const worker of this.workers) {
      if (worker.hasReached(waiter)) continue;
      if (worker.failed) {
        this.finish(waiter);
        waiter.reject(new ProjectionFailedError(worker.projection.name, { cause: worker.failure }));
        return true;
      }
      reached = false;
    }
    if (!reached) return false;
    this.finish(waiter);
    waiter.resolve();
    return true;
  }

  private finish(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }

  /**
   * A filtered subscription only moves past events it does not select when the store sends a
   * checkpoint, which may be long after the write a caller waits for. So read the gap between a
   * filtered projection and the target ourselves: if the filter selects nothing in it, the projection
   * already reflects the target; otherwise it will once it has applied the last selected event.
   */
  private async scanFilteredGaps(waiter: Waiter): Promise<void> {
    for (const worker of this.workers) {
      const filter = worker.projection.filter;
      if (!filter || worker.hasReached(waiter)) continue;
      const from = worker.position;
      try {
        let lastSelected: bigint | null = null;
        // Only a gap that reaches the target is known: events after the head may still come.
        let reachedTarget = false;
        for await (const event of this.options.store.readAll({
          ...(from === null ? {} : { after: from }),
          maxCount: FILTERED_GAP_SCAN_LIMIT,
        })) {
          if (event.position > waiter.target) {
            reachedTarget = true;
            break;
          }
          if (matchesFilter(filter, event)) lastSelected = event.position;
          if (event.position === waiter.target) {
            reachedTarget = true;
            break;
          }
        }
        if (reachedTarget) waiter.required.set(worker, lastSelected);
      } catch (error) {
        this.options.log({
          level: 'warn',
          msg: 'could not scan $all for a position wait; waiting for the projection instead',
          projection: worker.projection.name,
          error,
        });
      }
    }
    if (this.waiters.has(waiter)) this.settle(waiter);
  }
}

interface WorkerDependencies {
  store: EventStore;
  db: ReadModelDb;
  log: ProjectionLogger;
  maxBatchSize: number;
  onProgress(): void;
}

/** One projection's subscription, pending batch and committed position. */
class ProjectionWorker {
  /** Position committed to the read model together with the projection's writes. */
  position: bigint | null = null;
  caughtUp = false;
  failed = false;
  failure: unknown = undefined;

  /** Furthest position received from the subscription (events or checkpoints), not yet committed. */
  private received: bigint | null = null;
  private pending: RecordedEvent[] = [];
  private caughtUpReceived = false;
  private headAtStart: bigint | null = null;
  private flushHandle: NodeJS.Immediate | null = null;
  private subscription: Subscription | null = null;
  private consuming: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    readonly projection: Projection,
    private readonly deps: WorkerDependencies,
  ) {}

  /** Creates or rebuilds the tables; returns the checkpoint to resume after. */
  prepare(): bigint | null {
    const { position, reset } = prepareProjection(this.deps.db, this.projection);
    if (reset) {
      this.deps.log({
        level: 'info',
        msg: 'projection version changed: rebuilding from the start',
        projection: this.projection.name,
        version: this.projection.version,
      });
    }
    return position;
  }

  subscribe(resumeAfter: bigint | null, headAtStart: bigint | null): void {
    this.position = resumeAfter;
    this.received = resumeAfter;
    this.headAtStart = headAtStart;
    this.caughtUp = this.reachedHeadAtStart();
    const options: SubscribeToAllOptions = {};
    if (resumeAfter !== null) options.after = resumeAfter;
    if (this.projection.filter) options.filter = this.projection.filter;
    this.subscription = this.deps.store.subscribeToAll(options);
    this.consuming = this.consume(this.subscription);
  }

  hasReached(waiter: Waiter): boolean {
    const position = this.position;
    if (position !== null && position >= waiter.target) return true;
    const required = waiter.required.get(this);
    if (required === undefined) return false;
    return required === null || (position !== null && position >= required);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.unsubscribe();
    await this.consuming;
    // What was received before the stop is a consistent prefix of the log: keep it.
    this.flush();
    this.cancelScheduledFlush();
  }

  private async consume(subscription: Subscription): Promise<void> {
    try {
      for await (const message of subscription) {
        if (message.kind === 'event') {
          // Exclusive resume makes this a no-op, unless a store redelivers: never apply twice.
          if (this.received !== null && message.event.position <= this.received) continue;
          this.pending.push(message.event);
          this.received = message.event.position;
        } else {
          if (message.position !== null) this.advanceTo(message.position);
          if (message.kind === 'caughtUp') this.caughtUpReceived = true;
        }
        if (this.pending.length >= this.deps.maxBatchSize) {
          this.flush();
          if (this.failed) return;
          // Let the process serve requests between batches of a long catch-up.
          await new Promise((resolve) => setImmediate(resolve));
        } else {
          this.scheduleFlush();
        }
      }
      if (!this.stopping) this.fail('subscription ended unexpectedly', new Error('subscription ended'));
    } catch (error) {
      if (!this.stopping) this.fail('subscription failed', error);
    }
  }

  private advanceTo(position: bigint): void {
    if (this.received === null || position > this.received) this.received = position;
  }

  /** Flushes once the messages already buffered have been taken in: "a batch" is whatever was there. */
  private scheduleFlush(): void {
    this.flushHandle ??= setImmediate(() => {
      this.flushHandle = null;
      this.flush();
    });
  }

  private cancelScheduledFlush(): void {
    if (this.flushHandle) clearImmediate(this.flushHandle);
    this.flushHandle = null;
  }

  private flush(): void {
    this.cancelScheduledFlush();
    if (this.failed) return;
    const position = this.received;
    if (position !== null && position !== this.position) {
      const events = this.pending;
      this.pending = [];
      try {
        commitBatch(this.deps.db, this.projection, events, position);
      } catch (error) {
        this.fail('projection apply failed', error, {
          fromPosition: events[0]?.position.toString(),
          toPosition: position.toString(),
        });
        return;
      }
      this.position = position;
    }
    if (this.caughtUpReceived || this.reachedHeadAtStart()) this.caughtUp = true;
    this.deps.onProgress();
  }

  private reachedHeadAtStart(): boolean {
    return this.headAtStart === null || (this.position !== null && this.position >= this.headAtStart);
  }

  private fail(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = error;
    this.pending = [];
    this.cancelScheduledFlush();
    this.deps.log({ level: 'error', msg, projection: this.projection.name, error, ...fields });
    void this.subscription?.unsubscribe();
    this.deps.onProgress();
  }
}
