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

interface Waiter {
  target: bigint;
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * Keeps read models up to date: ONE catch-up subscription to `$all`, from the lowest stored
 * checkpoint, whose events are read and parsed once and handed to every projection whose filter
 * selects them (the filter applied here, as a rebuild applies it). Each batch is one transaction:
 * every projection's writes and its checkpoint, each projection in its own savepoint so that one
 * whose fold throws fails alone. Every projection's checkpoint moves to the batch end, past the
 * events it does not select, so a wait for any position needs no scan of the log.
 */
export class ProjectionRunner {
  private readonly workers: ProjectionWorker[];
  private readonly waiters = new Set<Waiter>();
  private readonly maxBatchSize: number;
  private started = false;
  private stopped = false;

  /** Furthest position received from the subscription (events or checkpoints), not yet committed. */
  private received: bigint | null = null;
  /** End of the last batch committed (or the position the subscription resumed after). */
  private committed: bigint | null = null;
  private pending: RecordedEvent[] = [];
  private caughtUpReceived = false;
  private headAtStart: bigint | null = null;
  private flushHandle: NodeJS.Immediate | null = null;
  private subscription: Subscription | null = null;
  private consuming: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const names = new Set<string>();
    for (const projection of options.projections) {
      if (names.has(projection.name)) throw new Error(`duplicate projection name ${projection.name}`);
      names.add(projection.name);
    }
    this.workers = options.projections.map((projection) => new ProjectionWorker(projection));
    this.maxBatchSize = options.maxBatchSize ?? 500;
  }

  /** Readies every projection (rebuilding those whose version changed) and subscribes. */
  async start(): Promise<void> {
    if (this.started) throw new Error('projection runner already started');
    this.started = true;
    this.headAtStart = await this.options.store.headPosition();
    for (const worker of this.workers) worker.position = this.prepare(worker.projection);
    const resumeAfter = this.position();
    this.received = resumeAfter;
    this.committed = resumeAfter;
    this.markCaughtUp();
    if (this.workers.length === 0) return;
    const options: SubscribeToAllOptions = resumeAfter === null ? {} : { after: resumeAfter };
    this.subscription = this.options.store.subscribeToAll(options);
    this.consuming = this.consume(this.subscription);
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
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const lagging = this.workers.filter((worker) => !worker.hasReached(position));
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
      this.settle(waiter);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping = true;
    await this.subscription?.unsubscribe();
    await this.consuming;
    // What was received before the stop is a consistent prefix of the log: keep it.
    this.flush();
    this.cancelScheduledFlush();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new ProjectionsStoppedError());
    }
    this.waiters.clear();
  }

  /** Creates or rebuilds the tables; returns the checkpoint to resume after. */
  private prepare(projection: Projection): bigint | null {
    const { position, reset } = prepareProjection(this.options.db, projection);
    if (reset) {
      this.options.log({
        level: 'info',
        msg: 'projection version changed: rebuilding from the start',
        projection: projection.name,
        version: projection.version,
      });
    }
    return position;
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
        if (this.pending.length >= this.maxBatchSize) {
          this.flush();
          if (this.allFailed()) return;
          // Let the process serve requests between batches of a long catch-up.
          await new Promise((resolve) => setImmediate(resolve));
        } else {
          this.scheduleFlush();
        }
      }
      if (!this.stopping) this.failAll('subscription ended unexpectedly', new Error('subscription ended'));
    } catch (error) {
      if (!this.stopping) this.failAll('subscription failed', error);
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
    const position = this.received;
    if (position !== null && position !== this.committed) {
      const events = this.pending;
      this.pending = [];
      this.commit(events, position);
      this.committed = position;
    }
    this.markCaughtUp();
    this.settleWaiters();
  }

  /** One transaction for the batch; a projection whose fold throws is rolled back alone and fails. */
  private commit(events: readonly RecordedEvent[], position: bigint): void {
    const { db } = this.options;
    const advanced: ProjectionWorker[] = [];
    const failed: { worker: ProjectionWorker; error: unknown; from: RecordedEvent | undefined }[] = [];
    try {
      db.transaction(() => {
        for (const worker of this.workers) {
          if (worker.failed || worker.hasReached(position)) continue;
          const selected = events.filter((event) => worker.selects(event));
          try {
            commitBatch(db, worker.projection, selected, position);
            advanced.push(worker);
          } catch (error) {
            // An error that ended the whole transaction (disk full, I/O) fails the batch for all.
            if (!db.inTransaction) throw error;
            failed.push({ worker, error, from: selected[0] });
          }
        }
      })();
    } catch (error) {
      for (const worker of this.workers) {
        if (!worker.failed && !worker.hasReached(position)) {
          this.fail(worker, 'projection apply failed', error, this.batchFields(events[0], position));
        }
      }
      return;
    }
    for (const worker of advanced) worker.position = position;
    for (const { worker, error, from } of failed) {
      this.fail(worker, 'projection apply failed', error, this.batchFields(from, position));
    }
  }

  private batchFields(from: RecordedEvent | undefined, position: bigint): Record<string, unknown> {
    return { fromPosition: from?.position.toString(), toPosition: position.toString() };
  }

  private markCaughtUp(): void {
    for (const worker of this.workers) {
      if (worker.failed) continue;
      if (this.caughtUpReceived || this.headAtStart === null || worker.hasReached(this.headAtStart)) {
        worker.caughtUp = true;
      }
    }
  }

  private allFailed(): boolean {
    return this.workers.every((worker) => worker.failed);
  }

  private fail(
    worker: ProjectionWorker,
    msg: string,
    error: unknown,
    fields: Record<string, unknown> = {},
  ): void {
    if (worker.failed) return;
    worker.failed = true;
    worker.failure = error;
    this.options.log({ level: 'error', msg, projection: worker.projection.name, error, ...fields });
    if (this.allFailed()) {
      this.pending = [];
      this.cancelScheduledFlush();
      void this.subscription?.unsubscribe();
    }
    this.settleWaiters();
  }

  private failAll(msg: string, error: unknown): void {
    for (const worker of this.workers) this.fail(worker, msg, error);
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) this.settle(waiter);
  }

  /** Resolves or rejects the waiter if its outcome is known. */
  private settle(waiter: Waiter): void {
    let reached = true;
    for (const worker of this.workers) {
      if (worker.hasReached(waiter.target)) continue;
      if (worker.failed) {
        this.finish(waiter);
        waiter.reject(new ProjectionFailedError(worker.projection.name, { cause: worker.failure }));
        return;
      }
      reached = false;
    }
    if (!reached) return;
    this.finish(waiter);
    waiter.resolve();
  }

  private finish(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}

/** One projection's committed position and health. */
class ProjectionWorker {
  /** Position committed to the read model together with the projection's writes. */
  position: bigint | null = null;
  caughtUp = false;
  failed = false;
  failure: unknown = undefined;

  constructor(readonly projection: Projection) {}

  hasReached(target: bigint): boolean {
    return this.position !== null && this.position >= target;
  }

  /** After its checkpoint (the subscription resumes after the lowest one) and chosen by its filter. */
  selects(event: RecordedEvent): boolean {
    return (
      (this.position === null || event.position > this.position) &&
      matchesFilter(this.projection.filter, event)
    );
  }
}
