/**
 * What the API (and the CLI) does with clones (SPEC §3, §5): preview one, request one, discard what
 * one created. The clone itself runs server-side in the clone runner (src/clone/runner.ts), which
 * finds the `CloneRequested` this service appends: a request returns at once, and the clone never
 * depends on its client.
 *
 * Facts are read from the event store, not from read models: the source at its current version
 * (its stream revision is the version the clone copies), the caller's role and the provider's plan.
 *
 * Clone ids: a request with an `idempotencyKey` gets the id derived from (provider, key), so the
 * same key finds the same operation; without a key, a random one. A preview computes the plan a
 * request would: with the key, for the very clone id the request will get (the new ids it shows
 * are the ones the clone creates); without, for an id derived from (provider, planId), so that the
 * same preview always shows the same ids. The planId never depends on the clone id.
 */
import { randomUUID } from 'node:crypto';
import { cloneDecider, cloneStreamId } from '../domain/clone/decider.js';
import type { CloneState, CloneStatus } from '../domain/clone/decider.js';
import { cloneEventId } from '../domain/clone/events.js';
import type { ClonePlan } from '../domain/clone/plan.js';
import type { PolicyTemplateLookup } from '../domain/clone/plan-policies.js';
import { newOrganizationIdOf, planClone, planIdOf } from '../domain/clone/planner.js';
import type { CloneSelection } from '../domain/clone/selection.js';
import { normalizeSelection } from '../domain/clone/selection.js';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../domain/errors.js';
import type { OrganizationDecisionContext } from '../domain/organization/context.js';
import { organizationDecider } from '../domain/organization/decider.js';
import { MAX_DISPLAY_NAME_LENGTH } from '../domain/organization/decisions/lifecycle.js';
import { normalizeOrganizationName } from '../domain/organization/naming.js';
import type { OrganizationState } from '../domain/organization/state.js';
import { findPolicyTemplate } from '../domain/policy-templates/catalogue.js';
import { providerDecider } from '../domain/provider/decider.js';
import type { Actor } from '../domain/provider/permissions.js';
import { actorOf, authorize, can, canSeeOrganization } from '../domain/provider/permissions.js';
import type { ProviderState } from '../domain/provider/state.js';
import type { EventStore } from '../eventstore/types.js';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { deterministicUuid } from '../shared/ids.js';
import { cloneEventMetadata, CloneStream } from '../clone/clone-stream.js';
import { firstEventOf, lastEventOf } from '../clone/stream-reads.js';
import type { PlanHandoff } from '../clone/plan-handoff.js';
import type { AggregateCache } from './aggregate-cache.js';
import { handleCommand, loadAggregate } from './command-handler.js';
import { metadataOf, waitForOwnWrite } from './own-writes.js';
import { NameReservations } from './name-reservations.js';
import type { Caller } from './organizations.js';
import { organizationStreamId, providerStreamId } from './streams.js';

export interface ClonePreviewInput {
  sourceOrganizationId: string;
  /** The new organization's name (trimmed; unique per provider among organizations not discarded). */
  name: string;
  /** Everything is copied by default. */
  selection?: CloneSelection;
  /** The key the request will carry: the preview then shows the ids that clone will create. */
  idempotencyKey?: string;
}

export interface CloneOrganizationInput extends ClonePreviewInput {
  /** The planId of the preview the caller accepted: CONFLICT `PLAN_OUTDATED` if the plan is another now. */
  expectedPlanId?: string;
}

export interface CloneOperationRef {
  cloneId: string;
  newOrganizationId: string;
  sourceOrganizationId: string;
  /** The source's version the clone copies (decimal string). */
  sourceVersion: string;
  planId: string;
  /** `requested` until the runner starts it. */
  status: Exclude<CloneStatus, 'absent'>;
  /** False when the call found the operation already there (same idempotency key, a repeated discard). */
  created: boolean;
  /** `$all` position of the last event this call appended; null when it appended nothing. */
  position: bigint | null;
}

export interface CloneServiceOptions {
  store: EventStore;
  /** When given, every change waits until the read models show it (SPEC §6). */
  projections?: Pick<ProjectionRunner, 'waitForPosition'>;
  projectionTimeoutMs?: number;
  now?: () => Date;
  templates?: PolicyTemplateLookup;
  /** Ids of clones requested without an idempotency key; random UUIDs by default. */
  newCloneId?: () => string;
  /** Hands each requested plan to this process's clone runner (which otherwise plans again). */
  plans?: PlanHandoff;
  /** Folded organizations, shared with the organization service of the process. */
  organizationCache?: AggregateCache<OrganizationState>;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]+$/;

/** Neither a discard nor anything else the clone service decides on an organization seals a value. */
const NOTHING_TO_SEAL: OrganizationDecisionContext = {
  seal: () => {
    throw new Error('the clone service decides no command that carries a sensitive value');
  },
};

/** The id of the clone requested with this idempotency key by this provider. */
export function idempotentCloneId(providerId: string, idempotencyKey: string): string {
  return deterministicUuid('clone', providerId, idempotencyKey);
}

export class CloneService {
  private readonly now: () => Date;
  private readonly templates: PolicyTemplateLookup;
  private readonly newCloneId: () => string;
  private readonly names: NameReservations;

  constructor(private readonly options: CloneServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.templates = options.templates ?? findPolicyTemplate;
    this.newCloneId = options.newCloneId ?? randomUUID;
    this.names = new NameReservations({ store: options.store, now: this.now });
  }

  /** The plan a request would run, with its pre-flight findings; writes nothing. A read: every role but Billing Only. */
  async preview(caller: Caller, input: ClonePreviewInput): Promise<ClonePlan> {
    checkInput(input);
    const { actor, provider } = await this.actor(caller);
    const source = await this.source(actor, input.sourceOrganizationId);
    authorize(actor, { type: 'READ', organization: source.state });
    const selection = normalizeSelection(input.selection);
    const cloneId =
      input.idempotencyKey === undefined
        ? deterministicUuid(
            'clone-preview',
            actor.providerId,
            planIdOf({
              sourceOrganizationId: source.state.id,
              sourceVersion: source.revision,
              selection,
              name: input.name,
            }),
          )
        : idempotentCloneId(actor.providerId, input.idempotencyKey);
    return this.plan(actor, provider, source, cloneId, input);
  }

  /**
   * Validates, authorizes (Administrator With Billing on a PAID plan), reserves the name and appends
   * `CloneRequested`; returns at once with the operation `requested`. With an idempotency key used
   * before: the same input returns that operation, another input is CONFLICT `IDEMPOTENCY_KEY_REUSED`.
   */
  async requestClone(caller: Caller, input: CloneOrganizationInput): Promise<CloneOperationRef> {
    checkInput(input);
    const { actor, provider, providerRevision } = await this.actor(caller);
    const source = await this.source(actor, input.sourceOrganizationId);
    authorize(actor, { type: 'CLONE', organization: source.state });
    if (source.state.status === 'provisioning') {
      throw new ConflictError(
        'ORGANIZATION_BEING_CLONED',
        'the source organization is still being created by a clone',
        'sourceOrganizationId',
      );
    }
    const cloneId =
      input.idempotencyKey === undefined
        ? this.newCloneId()
        : idempotentCloneId(actor.providerId, input.idempotencyKey);
    const existing = await loadAggregate(this.options.store, cloneStreamId(cloneId), cloneDecider);
    if (existing.revision !== null) return this.existingOperation(existing.state, input);

    const plan = await this.plan(actor, provider, source, cloneId, input);
    const command = {
      type: 'RequestClone',
      data: {
        plan,
        requestedBy: actor.id,
        ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
        ...(input.expectedPlanId === undefined ? {} : { expectedPlanId: input.expectedPlanId }),
      },
    } as const;
    // Decided once on its own first, so that a refused request reserves no name.
    cloneDecider.decide(command, existing.state);

    const metadata = metadataOf(caller);
    const name = {
      providerId: actor.providerId,
      displayName: plan.name,
      organizationId: plan.newOrganizationId,
    };
    try {
      await this.names.reserve(name, metadata);
    } catch (error) {
      if (error instanceof ConflictError && error.reason === 'NAME_TAKEN') {
        throw new ConflictError('NAME_TAKEN', error.message, 'name');
      }
      throw error;
    }
    // Offered before the append: the runner may pick the clone up as soon as it is in the log.
    this.options.plans?.offer({
      plan,
      providerId: source.state.providerId,
      providerRevision,
      templates: this.templates,
    });
    let position: bigint | null;
    try {
      ({ position } = await handleCommand({
        store: this.options.store,
        streamId: cloneStreamId(cloneId),
        decider: cloneDecider,
        command,
        context: undefined,
        metadata,
        now: this.now,
        eventIds: (events) => events.map(cloneEventId),
        eventMetadata: cloneEventMetadata,
      }));
    } catch (error) {
      // A concurrent request with the same key got there first: it is the answer. Both reserved
      // their name for the same new organization, so ours is released unless it is the winner's.
      const winner = await loadAggregate(this.options.store, cloneStreamId(cloneId), cloneDecider);
      const winnerHoldsName =
        winner.revision !== null &&
        normalizeOrganizationName(winner.state.name) === normalizeOrganizationName(plan.name);
      if (!winnerHoldsName) await this.names.release(name, metadata);
      if (winner.revision !== null && input.idempotencyKey !== undefined) {
        return this.existingOperation(winner.state, input);
      }
      throw error;
    }
    await this.waitFor(position);
    return {
      cloneId,
      newOrganizationId: plan.newOrganizationId,
      sourceOrganizationId: plan.sourceOrganizationId,
      sourceVersion: plan.sourceVersion,
      planId: plan.planId,
      status: 'requested',
      created: true,
      position,
    };
  }

  /**
   * SPEC §5: marks the organization a finished clone created discarded (`CloneDiscarded`, then
   * `OrganizationDiscarded`) and frees its name; CONFLICT `ORGANIZATION_CHANGED_SINCE_CLONE` when the
   * organization changed after the clone, unless `force`. Nothing is deleted. Repeating a discard
   * finishes one that was interrupted and otherwise changes nothing.
   */
  async discard(caller: Caller, cloneId: string, force = false): Promise<CloneOperationRef> {
    const { actor } = await this.actor(caller);
    const clone = await CloneStream.load(this.options.store, cloneId);
    if (!clone) throw new NotFoundError('clone', cloneId, 'cloneId');
    const { state } = clone;
    const organizationId = state.newOrganizationId;
    const providerId =
      (await this.providerOf(organizationId)) ?? (await this.providerOf(state.sourceOrganizationId));
    // Checked here rather than by `authorize`, whose NOT_FOUND would name the new organization's id:
    // a caller that may not see the clone must learn nothing beyond the id it gave.
    if (providerId === null || !canSeeOrganization(actor, { id: organizationId, providerId })) {
      throw new NotFoundError('clone', cloneId, 'cloneId');
    }
    authorize(actor, { type: 'DISCARD', organization: { id: organizationId, providerId } });

    const metadata = metadataOf(caller);
    const last = await lastEventOf(this.options.store, organizationStreamId(organizationId));
    // Every event the clone writes into the organization is caused by its request.
    const changed = last !== null && last.metadata.causationId !== clone.requested.id;
    const discarded = await handleCommand({
      store: this.options.store,
      streamId: cloneStreamId(cloneId),
      decider: cloneDecider,
      command: {
        type: 'DiscardClone',
        data: { discardedBy: actor.id, organizationChangedSinceClone: changed, force },
      },
      context: undefined,
      metadata,
      now: this.now,
      eventIds: (events) => events.map(cloneEventId),
      eventMetadata: cloneEventMetadata,
    });
    let position = discarded.position;
    if (last !== null) {
      const result = await handleCommand({
        store: this.options.store,
        streamId: organizationStreamId(organizationId),
        decider: organizationDecider,
        command: { type: 'DiscardOrganization', data: {} },
        context: NOTHING_TO_SEAL,
        metadata: { ...metadata, causationId: discarded.events[0]?.id ?? metadata.causationId },
        now: this.now,
      });
      position = result.position ?? position;
    }
    await this.names.release({ providerId, displayName: state.name, organizationId }, metadata);
    await this.waitFor(position);
    return {
      cloneId,
      newOrganizationId: organizationId,
      sourceOrganizationId: state.sourceOrganizationId,
      sourceVersion: state.sourceVersion,
      planId: state.planId,
      status: 'discarded',
      created: discarded.events.length > 0,
      position,
    };
  }

  // ---- the machinery ------------------------------------------------------------------------------

  /** The caller as the permission rules see it now (role, links, suspension, the provider's plan). */
  private async actor(
    caller: Caller,
  ): Promise<{ actor: Actor; provider: ProviderState; providerRevision: bigint | null }> {
    const { state: provider, revision: providerRevision } = await loadAggregate(
      this.options.store,
      providerStreamId(caller.principal.providerId),
      providerDecider,
    );
    const actor = actorOf(provider, caller.principal.administratorId);
    if (!actor) throw new UnauthenticatedError('the administrator is not known');
    return { actor, provider, providerRevision };
  }

  /** The source at its current version; NOT_FOUND when it does not exist or is another provider's. */
  private async source(
    actor: Actor,
    organizationId: string,
  ): Promise<{ state: OrganizationState; revision: bigint }> {
    const { organizationCache } = this.options;
    const { state, revision } = await loadAggregate(
      this.options.store,
      organizationStreamId(organizationId),
      organizationDecider,
      organizationCache ? { cache: organizationCache } : {},
    );
    if (revision === null || state.providerId !== actor.providerId) {
      throw new NotFoundError('organization', organizationId, 'sourceOrganizationId');
    }
    return { state, revision };
  }

  private async plan(
    actor: Actor,
    provider: ProviderState,
    source: { state: OrganizationState; revision: bigint },
    cloneId: string,
    input: ClonePreviewInput,
  ): Promise<ClonePlan> {
    const permission = can(actor, { type: 'CLONE', organization: source.state });
    const holder = await this.names.holderOf(actor.providerId, input.name);
    const nameTaken =
      holder !== null && holder !== newOrganizationIdOf(cloneId) && !(await this.isDiscarded(holder));
    return planClone({
      cloneId,
      source: source.state,
      sourceVersion: source.revision,
      name: input.name,
      selection: input.selection,
      templates: this.templates,
      providerAdmins: Object.values(provider.administrators),
      preflight: {
        nameTaken,
        // The provider's plan and its org-creation switch have findings of their own.
        callerMayClone:
          permission.allowed ||
          permission.reason === 'PLAN_NOT_PAID' ||
          permission.reason === 'ORG_CREATION_DISABLED',
        providerPlan: provider.billing.plan,
        orgCreationDisabled: provider.orgCreationDisabled,
      },
    });
  }

  /**
   * The answer to a request whose clone id (from its idempotency key) is taken already, once the
   * read models show that clone: a retry may come before the first request's write is projected.
   */
  private async existingOperation(
    state: CloneState,
    input: CloneOrganizationInput,
  ): Promise<CloneOperationRef> {
    const sameInput =
      state.sourceOrganizationId === input.sourceOrganizationId &&
      state.name === input.name.trim() &&
      canonicalJson(state.selection) === canonicalJson(normalizeSelection(input.selection)) &&
      (input.expectedPlanId === undefined || input.expectedPlanId === state.planId);
    if (!sameInput) {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'this idempotency key was used before with another input',
        'idempotencyKey',
      );
    }
    const last = await lastEventOf(this.options.store, cloneStreamId(state.cloneId));
    await this.waitFor(last?.position ?? null);
    return {
      cloneId: state.cloneId,
      newOrganizationId: state.newOrganizationId,
      sourceOrganizationId: state.sourceOrganizationId,
      sourceVersion: state.sourceVersion,
      planId: state.planId,
      status: state.status as Exclude<CloneStatus, 'absent'>,
      created: false,
      position: null,
    };
  }

  /** The provider an organization belongs to, from its first event; null when it does not exist. */
  private async providerOf(organizationId: string): Promise<string | null> {
    const created = await firstEventOf(this.options.store, organizationStreamId(organizationId));
    return created ? (created.data as { providerId: string }).providerId : null;
  }

  /** Nothing follows `OrganizationDiscarded` in an organization's stream. */
  private async isDiscarded(organizationId: string): Promise<boolean> {
    const last = await lastEventOf(this.options.store, organizationStreamId(organizationId));
    return last?.type === 'OrganizationDiscarded';
  }

  private waitFor(position: bigint | null): Promise<void> {
    return waitForOwnWrite(this.options.projections, position, this.options.projectionTimeoutMs);
  }
}

function checkInput(input: ClonePreviewInput): void {
  if (typeof input.name !== 'string' || input.name.trim().length > MAX_DISPLAY_NAME_LENGTH) {
    throw new ValidationError('name', `must be a text of at most ${MAX_DISPLAY_NAME_LENGTH} characters`);
  }
  const key = input.idempotencyKey;
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY_PATTERN.test(key))
  ) {
    throw new ValidationError(
      'idempotencyKey',
      `must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters without spaces`,
    );
  }
}
