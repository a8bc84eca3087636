/**
 * One worker's run of one clone, from its stream to completion (SPEC §5):
 *
 * 1. recompute the plan from the source as of the version `CloneRequested` recorded (and the
 *    provider's administrators as of the request), and check it is the requested one;
 * 2. `StartClone`; link a `LINKED` requester to the new organization;
 * 3. per batch of plan items: first the batch's events into `organization-{newId}`, then its item
 *    events into `clone-{id}`, each one append with the exact expected revision, deterministic ids,
 *    capped in count and bytes;
 * 4. `OrganizationProvisioned`, then `CompleteClone`.
 *
 * Crash safety follows from the order and the determinism: the clone stream says which items are
 * recorded; the new organization's stream is never behind it and holds only events whose ids the
 * worker can compute, so a resumed worker writes exactly what is missing. Two workers never both
 * advance a clone: the loser's append fails on the revision and it catches up.
 */
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import type { CommandMetadata } from '../application/command-handler.js';
import { handleCommand, loadAggregate } from '../application/command-handler.js';
import { organizationStreamId, providerStreamId } from '../application/streams.js';
import { auditDigest, auditFromPlan, auditRowOf } from '../domain/clone/audit.js';
import type { Materialization } from '../domain/clone/materialize.js';
import { clonedOrganizationEventId, materializeClone } from '../domain/clone/materialize.js';
import type { ClonePlan } from '../domain/clone/plan.js';
import type { PolicyTemplateLookup } from '../domain/clone/plan-policies.js';
import { planClone } from '../domain/clone/planner.js';
import { organizationDecider } from '../domain/organization/decider.js';
import { ownEntry } from '../domain/organization/validation/primitives.js';
import { providerDecider } from '../domain/provider/decider.js';
import type { ProviderEvent } from '../domain/provider/events.js';
import type { ProviderState } from '../domain/provider/state.js';
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventData, EventStore, JsonValue } from '../eventstore/types.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { CloneStream } from './clone-stream.js';
import type { HandedPlan, PlanHandoff } from './plan-handoff.js';
import { CloneCannotContinueError, failureOf, isConcurrentWrite } from './failures.js';
import { eventAt, lastEventOf } from './stream-reads.js';

/** The append a worker is about to make: what `onStep` is told, before the append. */
export interface CloneStep {
  cloneId: string;
  action:
    'START' | 'LINK_REQUESTER' | 'WRITE_ORGANIZATION' | 'RECORD_ITEMS' | 'PROVISION' | 'COMPLETE' | 'FAIL';
  streamId: string;
  /** Plan items [fromIndex, toIndex) of the batch (WRITE_ORGANIZATION, RECORD_ITEMS). */
  fromIndex?: number;
  toIndex?: number;
  /** Appends this run has attempted so far, this one excluded. */
  sequence: number;
}

export interface CloneProgress {
  cloneId: string;
  recordedItems: number;
  itemCount: number;
}

export interface CloneRunnerMetrics {
  /** A clone reached a terminal state here; seconds since it was requested. */
  cloneFinished?(outcome: 'completed' | 'failed', seconds: number): void;
  eventsAppended?(streamCategory: 'organization' | 'clone' | 'provider', count: number): void;
}

export interface CloneRunnerLogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  cloneId: string;
  error?: unknown;
  [field: string]: unknown;
}
export type CloneRunnerLogger = (entry: CloneRunnerLogEntry) => void;

export interface ExecutionSettings {
  store: EventStore;
  now: () => Date;
  templates: PolicyTemplateLookup;
  maxBatchItems: number;
  maxBatchBytes: number;
  onStep?: (step: CloneStep) => void | Promise<void>;
  onProgress?: (progress: CloneProgress) => void;
  metrics?: CloneRunnerMetrics;
  log: CloneRunnerLogger;
  /** Checked between appends: a stopping worker leaves the clone where it is, to be resumed. */
  shouldStop: () => boolean;
  /** Plans the requests of this process computed; the run plans again without one. */
  plans?: PlanHandoff;
}

/**
 * How a run ended: the clone's terminal states, or `contended` (another worker is advancing it),
 * `stopped` (the worker is shutting down), `interrupted` (the store failed and not even the failure
 * could be recorded; a later run resumes it).
 */
export type ExecutionOutcome = 'completed' | 'failed' | 'discarded' | 'contended' | 'stopped' | 'interrupted';

/** Metadata, ids and the first event's id and type are small next to the data; this bounds them. */
const EVENT_OVERHEAD_BYTES = 512;
/** Conflicts in a row that change nothing the worker can see: something is wrong, not contended. */
const MAX_FRUITLESS_CONFLICTS = 5;

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + EVENT_OVERHEAD_BYTES;
}

interface Prepared {
  plan: ClonePlan;
  /** The source's provider, which the new organization belongs to. */
  providerId: string;
  materialization: Materialization;
  organizationStreamId: string;
  /** Revision of the new organization's last event (-1: its stream does not exist yet). */
  organizationHead: number;
  /** Stamped on every event the run appends. */
  metadata: CommandMetadata;
}

export class CloneExecution {
  private prepared: Prepared | null = null;
  private sequence = 0;
  private requesterLinked = false;

  constructor(
    private readonly settings: ExecutionSettings,
    private readonly stream: CloneStream,
  ) {}

  get cloneId(): string {
    return this.stream.cloneId;
  }

  /**
   * Advances the clone as far as it goes. On contention, `yield` gives the clone up to the worker
   * that advanced it; `continue` catches up and goes on (the CLI waiting for one clone).
   */
  async run(onContention: 'yield' | 'continue'): Promise<ExecutionOutcome> {
    let conflicts = 0;
    for (;;) {
      try {
        if (conflicts > 0) {
          const progressed = await this.catchUp();
          if (progressed && onContention === 'yield') return 'contended';
          if (progressed) conflicts = 1;
          else if (conflicts > MAX_FRUITLESS_CONFLICTS) {
            throw new Error('appends keep conflicting while neither stream changes');
          }
          // Lets the worker that got ahead go on rather than colliding with it batch after batch.
          await sleep(Math.floor(Math.random() * 20));
        }
        return await this.advance();
      } catch (error) {
        if (isConcurrentWrite(error)) {
          conflicts += 1;
          continue;
        }
        return await this.fail(error);
      }
    }
  }

  private async advance(): Promise<ExecutionOutcome> {
    const { stream } = this;
    const terminal = this.terminalOutcome();
    if (terminal) return terminal;
    const prepared = await this.prepare();
    const { plan, materialization, metadata } = prepared;

    if (stream.state.status !== 'running') {
      await this.step({ action: 'START', streamId: stream.streamId });
      await this.appendToClone({ type: 'StartClone', data: { planId: plan.planId } }, metadata);
    }
    await this.linkRequester(prepared);

    const itemCount = plan.items.length;
    while (stream.state.audit.length < itemCount) {
      if (this.settings.shouldStop()) return 'stopped';
      const fromIndex = stream.state.audit.length;
      const toIndex = this.batchEnd(prepared, fromIndex);
      await this.writeOrganization(prepared, materialization.eventsThrough[toIndex]!, {
        action: 'WRITE_ORGANIZATION',
        fromIndex,
        toIndex,
      });
      await this.step({ action: 'RECORD_ITEMS', streamId: stream.streamId, fromIndex, toIndex });
      await this.appendToClone(
        {
          type: 'RecordCloneItems',
          data: { planId: plan.planId, items: plan.items.slice(fromIndex, toIndex) },
        },
        metadata,
      );
      this.settings.onProgress?.({ cloneId: this.cloneId, recordedItems: toIndex, itemCount });
      // An embedded store appends synchronously: without this, a big clone would hold the event loop
      // (projections, requests, the mutation's own wait for its write) until its last batch.
      await yieldToEventLoop();
    }

    if (this.settings.shouldStop()) return 'stopped';
    await this.writeOrganization(prepared, materialization.events.length, { action: 'PROVISION' });
    await this.step({ action: 'COMPLETE', streamId: stream.streamId });
    await this.appendToClone(
      { type: 'CompleteClone', data: { planAuditDigest: auditDigest(auditFromPlan(plan)) } },
      metadata,
    );
    this.settings.metrics?.cloneFinished?.('completed', this.secondsSinceRequest());
    this.settings.log({ level: 'info', msg: 'clone completed', cloneId: this.cloneId, items: itemCount });
    return 'completed';
  }

  private terminalOutcome(): ExecutionOutcome | null {
    const { status, failure } = this.stream.state;
    if (status === 'completed' || status === 'discarded') return status;
    if (status === 'failed' && !failure?.resumable) return 'failed';
    return null;
  }

  /** The plan, the new organization's events and how much of them is written; computed once per run. */
  private async prepare(): Promise<Prepared> {
    if (this.prepared) return this.prepared;
    const { state, requested } = this.stream;
    const handed = this.settings.plans?.take(this.cloneId);
    const { plan, providerId } =
      handed && (await this.isThisClonesPlan(handed)) ? handed : await this.planAgain();
    const samePlan =
      plan.planId === state.planId &&
      plan.items.length === state.itemCount &&
      canonicalJson(plan.totals) === canonicalJson(state.plannedTotals);
    if (!samePlan) {
      throw new CloneCannotContinueError(
        'PLAN_CHANGED',
        'the plan computed again differs from the requested one',
      );
    }
    const recordedAt = requested.metadata.recordedAt;
    const materialization = materializeClone(plan, {
      providerId,
      created: typeof recordedAt === 'string' ? recordedAt : requested.created.toISOString(),
    });
    const correlationId = requested.metadata.correlationId;
    const prepared: Prepared = {
      plan,
      providerId,
      materialization,
      organizationStreamId: organizationStreamId(plan.newOrganizationId),
      organizationHead: -1,
      metadata: {
        correlationId: typeof correlationId === 'string' ? correlationId : this.cloneId,
        causationId: requested.id,
        actor: state.requestedBy,
      },
    };
    prepared.organizationHead = await this.organizationProgress(prepared);
    this.prepared = prepared;
    return prepared;
  }

  /**
   * Whether a plan the request handed over is the one `planAgain` would compute: the same plan id
   * (source, version, selection, name), templates, and the provider's administrators as of the request.
   */
  private async isThisClonesPlan({
    plan,
    providerId,
    providerRevision,
    templates,
  }: HandedPlan): Promise<boolean> {
    const { state, requested } = this.stream;
    if (
      templates !== this.settings.templates ||
      plan.planId !== state.planId ||
      plan.sourceOrganizationId !== state.sourceOrganizationId ||
      plan.sourceVersion !== state.sourceVersion
    ) {
      return false;
    }
    const provider = await providerAsOf(this.settings.store, providerId, requested.position);
    return provider.revision === providerRevision;
  }

  /** The plan computed from the clone's stream: the source at the recorded version, the provider as of the request. */
  private async planAgain(): Promise<{ plan: ClonePlan; providerId: string }> {
    const { store, templates } = this.settings;
    const { state, requested } = this.stream;
    const sourceVersion = BigInt(state.sourceVersion);
    const source = await loadAggregate(
      store,
      organizationStreamId(state.sourceOrganizationId),
      organizationDecider,
      { upToRevision: sourceVersion },
    );
    if (source.revision !== sourceVersion) {
      throw new CloneCannotContinueError(
        'SOURCE_NOT_FOUND',
        `organization ${state.sourceOrganizationId} has no version ${state.sourceVersion}`,
      );
    }
    const { state: provider } = await providerAsOf(store, source.state.providerId, requested.position);
    const plan = planClone({
      cloneId: this.cloneId,
      source: source.state,
      sourceVersion,
      name: state.name,
      selection: state.selection ?? undefined,
      templates,
      providerAdmins: Object.values(provider.administrators),
      // The request was authorized and its name reserved; the run only needs the plan's items.
      preflight: {
        nameTaken: false,
        callerMayClone: true,
        providerPlan: provider.billing.plan,
        orgCreationDisabled: provider.orgCreationDisabled,
      },
    });
    return { plan, providerId: source.state.providerId };
  }

  /**
   * The revision of the last event of the new organization that this clone wrote. Any event the
   * clone did not write, before its own last one, means someone else changed the organization while
   * it was being built: the clone cannot finish it. (After it, the organization was provisioned and
   * may be edited, as any other.)
   */
  private async organizationProgress(prepared: Prepared): Promise<number> {
    const { store } = this.settings;
    const { events } = prepared.materialization;
    const last = await lastEventOf(store, prepared.organizationStreamId);
    if (!last) return -1;
    const lastOwn = events.length - 1;
    const checked =
      last.revision <= BigInt(lastOwn)
        ? last
        : await eventAt(store, prepared.organizationStreamId, BigInt(lastOwn));
    const revision = Number(checked?.revision ?? -1);
    if (!checked || checked.id !== clonedOrganizationEventId(this.cloneId, revision, events[revision]!)) {
      throw new CloneCannotContinueError(
        'TARGET_CHANGED',
        `organization ${prepared.plan.newOrganizationId} holds events this clone did not write`,
      );
    }
    return revision;
  }

  /** Plan items [fromIndex, end) whose events fit one append to each stream. */
  private batchEnd({ plan, materialization }: Prepared, fromIndex: number): number {
    const { maxBatchItems, maxBatchBytes } = this.settings;
    const { events, eventsThrough } = materialization;
    let organizationBytes = fromIndex === 0 ? jsonBytes(events[0]!.data) : 0;
    let cloneBytes = 0;
    let end = fromIndex;
    while (end < plan.items.length && end - fromIndex < maxBatchItems) {
      let itemOrganizationBytes = 0;
      for (let revision = eventsThrough[end]!; revision < eventsThrough[end + 1]!; revision++) {
        itemOrganizationBytes += jsonBytes(events[revision]!.data);
      }
      const itemCloneBytes = jsonBytes(auditRowOf(plan.items[end]!));
      const fits =
        organizationBytes + itemOrganizationBytes <= maxBatchBytes &&
        cloneBytes + itemCloneBytes <= maxBatchBytes;
      // An item too large alone still goes, alone: the store refuses it if it exceeds its own cap.
      if (!fits && end > fromIndex) break;
      organizationBytes += itemOrganizationBytes;
      cloneBytes += itemCloneBytes;
      end += 1;
    }
    return end;
  }

  /** Appends the new organization's events up to (excluding) revision `until` that are not written yet. */
  private async writeOrganization(
    prepared: Prepared,
    until: number,
    step: Pick<CloneStep, 'action' | 'fromIndex' | 'toIndex'>,
  ): Promise<void> {
    const from = prepared.organizationHead + 1;
    if (from >= until) return;
    const { events } = prepared.materialization;
    const recordedAt = this.settings.now().toISOString();
    const toAppend: EventData[] = [];
    for (let revision = from; revision < until; revision++) {
      const event = events[revision]!;
      toAppend.push({
        id: clonedOrganizationEventId(this.cloneId, revision, event),
        type: event.type,
        data: event.data as unknown as JsonValue,
        metadata: { ...prepared.metadata, recordedAt },
      });
    }
    await this.step({ ...step, streamId: prepared.organizationStreamId });
    await this.settings.store.appendToStream(prepared.organizationStreamId, toAppend, {
      expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1),
    });
    prepared.organizationHead = until - 1;
    this.settings.metrics?.eventsAppended?.('organization', toAppend.length);
  }

  private async appendToClone(
    command: Parameters<CloneStream['decide']>[0],
    metadata: CommandMetadata,
  ): Promise<void> {
    const { count } = await this.stream.decide(command, metadata, this.settings.now());
    if (count > 0) this.settings.metrics?.eventsAppended?.('clone', count);
  }

  /** SPEC §7: an administrator with `LINKED` access gets access to the organizations it clones. */
  private async linkRequester({ plan, providerId, metadata }: Prepared): Promise<void> {
    if (this.requesterLinked) return;
    const { store, now } = this.settings;
    const streamId = providerStreamId(providerId);
    const { state: provider } = await loadAggregate(store, streamId, providerDecider);
    const requester = ownEntry(provider.administrators, this.stream.state.requestedBy);
    if (
      requester?.orgAccess === 'LINKED' &&
      !requester.linkedOrganizationIds.includes(plan.newOrganizationId)
    ) {
      await this.step({ action: 'LINK_REQUESTER', streamId });
      const result = await handleCommand({
        store,
        streamId,
        decider: providerDecider,
        command: {
          type: 'LinkAdministratorToOrganization',
          data: { administratorId: requester.id, organizationId: plan.newOrganizationId },
        },
        context: undefined,
        metadata,
        now,
      });
      this.settings.metrics?.eventsAppended?.('provider', result.events.length);
    }
    this.requesterLinked = true;
  }

  /** Folds what other workers wrote since; true when either stream moved. */
  private async catchUp(): Promise<boolean> {
    const cloneEvents = await this.stream.catchUp();
    const prepared = this.prepared;
    if (!prepared) return cloneEvents > 0;
    const before = prepared.organizationHead;
    prepared.organizationHead = await this.organizationProgress(prepared);
    return cloneEvents > 0 || prepared.organizationHead !== before;
  }

  private async fail(error: unknown): Promise<ExecutionOutcome> {
    const failure = failureOf(error);
    this.settings.log({
      level: failure.resumable ? 'warn' : 'error',
      msg: 'clone failed',
      cloneId: this.cloneId,
      reason: failure.reason,
      resumable: failure.resumable,
      error,
    });
    if (this.terminalOutcome()) return this.terminalOutcome()!;
    try {
      await this.step({ action: 'FAIL', streamId: this.stream.streamId });
      await this.appendToClone(
        { type: 'FailClone', data: failure },
        this.prepared?.metadata ?? {
          correlationId: this.cloneId,
          causationId: this.stream.requested.id,
          actor: this.stream.state.requestedBy,
        },
      );
    } catch (recordingError) {
      // Contended or unreachable: whoever advances the clone next, or a later run, decides.
      this.settings.log({
        level: 'warn',
        msg: 'the clone failure could not be recorded',
        cloneId: this.cloneId,
        error: recordingError,
      });
      return isConcurrentWrite(recordingError) ? 'contended' : 'interrupted';
    }
    if (!failure.resumable) this.settings.metrics?.cloneFinished?.('failed', this.secondsSinceRequest());
    return 'failed';
  }

  private async step(step: Omit<CloneStep, 'cloneId' | 'sequence'>): Promise<void> {
    const sequence = this.sequence++;
    await this.settings.onStep?.({ cloneId: this.cloneId, sequence, ...step });
  }

  private secondsSinceRequest(): number {
    const recordedAt = this.stream.requested.metadata.recordedAt;
    const requestedAt =
      typeof recordedAt === 'string' ? Date.parse(recordedAt) : this.stream.requested.created.getTime();
    return (this.settings.now().getTime() - requestedAt) / 1000;
  }
}

/**
 * The provider as it was when the clone was requested: its events before `CloneRequested` in `$all`,
 * and the revision of the last of them (null: none).
 */
async function providerAsOf(
  store: EventStore,
  providerId: string,
  before: bigint,
): Promise<{ state: ProviderState; revision: bigint | null }> {
  let state = providerDecider.initialState();
  let revision: bigint | null = null;
  try {
    for await (const event of store.readStream(providerStreamId(providerId))) {
      if (event.position >= before) break;
      state = providerDecider.evolve(state, { type: event.type, data: event.data } as ProviderEvent);
      revision = event.revision;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state, revision };
}
