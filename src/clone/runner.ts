/**
 * The clone process manager: runs every requested clone to its end, server-side, whether or not
 * anyone is still connected (SPEC §5), and resumes the clones a crashed process left behind.
 *
 * It follows the clones' lifecycle events in `$all` (`CloneRequested`, `CloneStarted`,
 * `CloneCompleted`, `CloneFailed`, `CloneDiscarded`: filtered by event type, so the item events of
 * big clones are not shipped to it) from the beginning, keeping in memory the clones that are not
 * finished. Once caught up it runs all of them (a process restarting resumes its own), then every
 * clone requested from then on; a periodic scan takes over clones whose stream has not moved for
 * `staleAfterMs` (another process died while running them) and retries resumable failures.
 *
 * Several runners may share a store (processes on one SQLite file, instances on one EventStoreDB):
 * each clone is advanced by whoever appends first at its stream's revision; the others give it up
 * (and take it over when it goes stale).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cloneStreamId } from '../domain/clone/decider.js';
import { NotFoundError } from '../domain/errors.js';
import type { CloneState } from '../domain/clone/decider.js';
import type { PolicyTemplateLookup } from '../domain/clone/plan-policies.js';
import { findPolicyTemplate } from '../domain/policy-templates/catalogue.js';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/types.js';
import { OrgcloneError } from '../shared/errors.js';
import { CloneStream } from './clone-stream.js';
import type {
  CloneProgress,
  CloneRunnerLogger,
  CloneRunnerMetrics,
  CloneStep,
  ExecutionOutcome,
  ExecutionSettings,
} from './execution.js';
import { CloneExecution } from './execution.js';
import type { PlanHandoff } from './plan-handoff.js';
import { lastEventOf } from './stream-reads.js';

export type {
  CloneProgress,
  CloneRunnerLogEntry,
  CloneRunnerLogger,
  CloneRunnerMetrics,
  CloneStep,
} from './execution.js';

export interface CloneRunnerOptions {
  store: EventStore;
  now?: () => Date;
  /** Policy templates the plans are computed with; the catalogue by default. */
  templates?: PolicyTemplateLookup;
  /** Most plan items per batch (one append per stream). Default 500. */
  maxBatchItems?: number;
  /** Most bytes of event data per append, either stream. Default 256 KiB (EventStoreDB caps an append at 1 MiB). */
  maxBatchBytes?: number;
  /** Clones this runner advances at once; more wait their turn. Default 4. */
  maxConcurrentClones?: number;
  /** How often to look for stale clones and resumable failures. Default 5 s. */
  scanIntervalMs?: number;
  /** A clone whose stream has not moved for this long is taken over. Default 30 s. */
  staleAfterMs?: number;
  /** A resumable failure, or a run of this runner the store interrupted, is retried after this long. Default 10 s. */
  retryDelayMs?: number;
  /** Starts (the first and the resumptions) after which a resumable failure is left to an operator. Default 5. */
  maxAttempts?: number;
  /** Told of every append before it is made (tests crash the process there). */
  onStep?: (step: CloneStep) => void | Promise<void>;
  /** Told after every recorded batch. */
  onProgress?: (progress: CloneProgress) => void;
  /** Where this process's `CloneService` leaves the plans it computed, so they are not computed again. */
  plans?: PlanHandoff;
  metrics?: CloneRunnerMetrics;
  log?: CloneRunnerLogger;
}

export interface CloneRunResult {
  cloneId: string;
  outcome: 'completed' | 'failed' | 'discarded';
  /** The clone as its stream tells it after the run. */
  state: CloneState;
}

/** The clone could not be run to its end now (the store is unreachable, or the runner stops). */
export class CloneRunInterruptedError extends OrgcloneError {
  readonly code = 'CLONE_INTERRUPTED';
  constructor(
    readonly cloneId: string,
    readonly outcome: ExecutionOutcome,
  ) {
    super(`clone ${cloneId} did not finish: ${outcome}`);
  }
}

/** A clone that is neither completed, discarded, nor failed for good. */
interface UnfinishedClone {
  status: 'requested' | 'running' | 'failed';
  attempts: number;
  /** Store time of its last lifecycle event, in ms. */
  lastEventAt: number;
  /** When a run of this runner was interrupted (the store failed, not even recording it): retried soon. */
  interruptedAt?: number;
}

const LIFECYCLE_EVENT_TYPES = [
  'CloneRequested',
  'CloneStarted',
  'CloneCompleted',
  'CloneFailed',
  'CloneDiscarded',
];
const CLONE_STREAM_PREFIX = cloneStreamId('');

export class CloneRunner {
  private readonly unfinished = new Map<string, UnfinishedClone>();
  private readonly active = new Map<string, Promise<ExecutionOutcome | 'missing'>>();
  private readonly queue = new Set<string>();
  private readonly settings: ExecutionSettings;
  private readonly now: () => Date;
  private readonly log: CloneRunnerLogger;
  private subscription: Subscription | null = null;
  private following: Promise<void> | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private started = false;
  private stopping = false;

  constructor(private readonly options: CloneRunnerOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => {});
    this.settings = {
      store: options.store,
      now: this.now,
      templates: options.templates ?? findPolicyTemplate,
      maxBatchItems: options.maxBatchItems ?? 500,
      maxBatchBytes: options.maxBatchBytes ?? 256 * 1024,
      onStep: options.onStep,
      onProgress: options.onProgress,
      metrics: options.metrics,
      log: this.log,
      shouldStop: () => this.stopping,
      plans: options.plans,
    };
  }

  /** Follows the clones' lifecycle; resolves once the history is read and the unfinished clones are scheduled. */
  async start(): Promise<void> {
    if (this.started) throw new Error('clone runner already started');
    this.started = true;
    await new Promise<void>((caughtUp) => {
      this.following = this.follow(caughtUp);
    });
    const interval = this.options.scanIntervalMs ?? 5_000;
    this.scanTimer = setInterval(() => void this.scan(), interval);
    this.scanTimer.unref();
  }

  /** Stops taking work and waits for the running clones to reach a batch boundary (they resume later). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.queue.clear();
    await this.subscription?.unsubscribe();
    await this.following;
    await Promise.allSettled([...this.active.values()]);
  }

  /**
   * Runs one clone to its end in this process (the CLI), catching up with any other worker that
   * advances it meanwhile rather than leaving it to them. Throws `CloneRunInterruptedError` when
   * the store fails on the way, NOT_FOUND when there is no such clone.
   */
  async runToCompletion(cloneId: string): Promise<CloneRunResult> {
    for (;;) {
      const running = this.active.get(cloneId);
      if (running) {
        await running;
        continue;
      }
      const run = this.execute(cloneId, 'continue');
      this.active.set(cloneId, run);
      let outcome: ExecutionOutcome | 'missing';
      try {
        outcome = await run;
      } finally {
        this.active.delete(cloneId);
      }
      if (outcome === 'missing') throw new NotFoundError('clone', cloneId, 'cloneId');
      if (outcome === 'contended') continue;
      if (outcome === 'stopped' || outcome === 'interrupted')
        throw new CloneRunInterruptedError(cloneId, outcome);
      const stream = await CloneStream.load(this.options.store, cloneId);
      return { cloneId, outcome, state: stream!.state };
    }
  }

  private async follow(caughtUp: () => void): Promise<void> {
    let after: bigint | undefined;
    let isCaughtUp = false;
    while (!this.stopping) {
      this.subscription = this.options.store.subscribeToAll({
        ...(after === undefined ? {} : { after }),
        filter: { eventTypes: LIFECYCLE_EVENT_TYPES },
      });
      try {
        for await (const message of this.subscription) {
          if (message.kind === 'event') {
            after = message.event.position;
            this.track(message.event, isCaughtUp);
          } else if (message.kind === 'checkpoint') {
            after = message.position;
          } else if (!isCaughtUp) {
            isCaughtUp = true;
            for (const cloneId of this.unfinished.keys()) this.schedule(cloneId);
            caughtUp();
          }
        }
      } catch (error) {
        this.log({ level: 'error', msg: 'clone lifecycle subscription failed', cloneId: '', error });
        await sleep(this.options.scanIntervalMs ?? 5_000);
      }
    }
    caughtUp();
  }

  private track(event: RecordedEvent, live: boolean): void {
    const cloneId = event.streamId.slice(CLONE_STREAM_PREFIX.length);
    const lastEventAt = event.created.getTime();
    const known = this.unfinished.get(cloneId);
    switch (event.type) {
      case 'CloneRequested':
        this.unfinished.set(cloneId, { status: 'requested', attempts: 0, lastEventAt });
        if (live) this.schedule(cloneId);
        return;
      case 'CloneStarted': {
        const { attempt } = event.data as { attempt: number };
        this.unfinished.set(cloneId, { status: 'running', attempts: attempt, lastEventAt });
        return;
      }
      case 'CloneFailed': {
        const { resumable } = event.data as { resumable: boolean };
        if (resumable && known) this.unfinished.set(cloneId, { ...known, status: 'failed', lastEventAt });
        else this.unfinished.delete(cloneId);
        return;
      }
      default:
        this.unfinished.delete(cloneId);
    }
  }

  /** Takes over stale clones and retries resumable failures. */
  private async scan(): Promise<void> {
    if (this.stopping) return;
    const now = this.now().getTime();
    const staleAfter = this.options.staleAfterMs ?? 30_000;
    const retryDelay = this.options.retryDelayMs ?? 10_000;
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (const [cloneId, clone] of this.unfinished) {
      if (this.active.has(cloneId) || this.queue.has(cloneId)) continue;
      try {
        if (clone.interruptedAt !== undefined) {
          // Our own run stopped on a store failure that left no trace: nobody else is on it because of
          // that, so waiting for it to go stale would only stall it.
          if (now - clone.interruptedAt >= retryDelay) this.schedule(cloneId);
        } else if (clone.status === 'failed') {
          if (clone.attempts < maxAttempts && now - clone.lastEventAt >= retryDelay) this.schedule(cloneId);
        } else if (now - clone.lastEventAt >= staleAfter) {
          // Item events are not followed: the stream's last event tells whether anyone still works on it.
          const last = await lastEventOf(this.options.store, cloneStreamId(cloneId));
          if (last !== null && now - last.created.getTime() >= staleAfter) this.schedule(cloneId);
        }
      } catch (error) {
        this.log({ level: 'warn', msg: 'clone scan failed', cloneId, error });
      }
    }
  }

  private schedule(cloneId: string): void {
    if (this.stopping || this.active.has(cloneId)) return;
    this.queue.add(cloneId);
    this.drain();
  }

  private drain(): void {
    const limit = this.options.maxConcurrentClones ?? 4;
    for (const cloneId of this.queue) {
      if (this.active.size >= limit) return;
      this.queue.delete(cloneId);
      if (this.active.has(cloneId)) continue;
      const run = this.execute(cloneId, 'yield')
        .catch((error: unknown) => {
          // Not even loadable (the store is down): the scan tries again.
          this.log({ level: 'error', msg: 'clone run failed', cloneId, error });
          return 'interrupted' as const;
        })
        .then((outcome) => {
          const clone = this.unfinished.get(cloneId);
          if (clone) {
            if (outcome === 'interrupted') clone.interruptedAt = this.now().getTime();
            else delete clone.interruptedAt;
          }
          return outcome;
        })
        .finally(() => {
          this.active.delete(cloneId);
          this.drain();
        });
      this.active.set(cloneId, run);
    }
  }

  /** One run of one clone; `missing` when there is no such clone. */
  private async execute(
    cloneId: string,
    onContention: 'yield' | 'continue',
  ): Promise<ExecutionOutcome | 'missing'> {
    const stream = await CloneStream.load(this.options.store, cloneId);
    if (!stream) return 'missing';
    return new CloneExecution(this.settings, stream).run(onContention);
  }
}
