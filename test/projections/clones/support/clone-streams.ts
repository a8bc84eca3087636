/**
 * Real clone streams for the read-model and audit tests: the source organization is created through
 * the organization decider and the command handler, and the clone's events are those the clone
 * decider emits, appended with their deterministic ids and the metadata a writer stamps (correlation,
 * causation, actor, recordedAt and the chain hash), exactly as the clone runner records them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { handleCommand } from '../../../../src/application/command-handler.js';
import { organizationStreamId } from '../../../../src/application/streams.js';
import { auditDigest, auditFromPlan } from '../../../../src/domain/clone/audit.js';
import { nextChainHash } from '../../../../src/domain/clone/chain.js';
import type { CloneCommand } from '../../../../src/domain/clone/commands.js';
import type { CloneState } from '../../../../src/domain/clone/decider.js';
import { cloneDecider, cloneStreamId } from '../../../../src/domain/clone/decider.js';
import { cloneEventId } from '../../../../src/domain/clone/events.js';
import type { ClonePlan } from '../../../../src/domain/clone/plan.js';
import { organizationDecider } from '../../../../src/domain/organization/decider.js';
import type { OrganizationState } from '../../../../src/domain/organization/state.js';
import type { EventData, EventStore, JsonValue } from '../../../../src/eventstore/types.js';
import { Sealer } from '../../../../src/security/sealer.js';
import { byId, command, organization, plan, richSource } from '../../../domain/clone/fixtures.js';

export const PROVIDER_ID = 'provider-1';
export const OTHER_PROVIDER_ID = 'provider-2';
export const ADMIN_ID = 'admin-1';
/** Items per append, as the runner batches them. */
export const ITEMS_PER_APPEND = 250;

/** A clock that moves one second per reading, so that every recorded time differs and is known. */
export function steppingClock(start = Date.parse('2025-03-01T10:00:00.000Z')): () => Date {
  let next = start;
  return () => {
    const now = new Date(next);
    next += 1_000;
    return now;
  };
}

/** Creates the organization `source` describes in the store (its `OrganizationCreated`), through its decider. */
export async function createOrganization(
  store: EventStore,
  source: Pick<OrganizationState, 'id' | 'providerId' | 'displayName' | 'created'>,
): Promise<void> {
  await handleCommand({
    store,
    streamId: organizationStreamId(source.id),
    decider: organizationDecider,
    command: {
      type: 'CreateOrganization',
      data: {
        organizationId: source.id,
        providerId: source.providerId,
        displayName: source.displayName,
        created: source.created,
      },
    },
    context: new Sealer(randomBytes(32)),
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: ADMIN_ID },
    now: () => new Date(source.created),
  });
}

/** A source with `commands` commands besides the rich source's items: a plan of about that many items. */
export function largeSource(commands: number, parts: Partial<OrganizationState> = {}): OrganizationState {
  const rich = richSource();
  const many = Array.from({ length: commands }, (_, index) =>
    command({ id: `cmd-${String(index).padStart(6, '0')}`, name: `command ${index}` }),
  );
  return organization({ ...rich, commands: { ...rich.commands, ...byId(...many) }, ...parts });
}

export function clonePlan(source: OrganizationState, cloneId: string, name = `Clone ${cloneId}`): ClonePlan {
  return plan(source, { cloneId, name, selection: { excludedAdminIds: ['admin-2'] } });
}

/**
 * Decides clone commands against the clone's stream and appends what they decide, one append per
 * command, with the expected revision it has seen.
 */
export class CloneStreamWriter {
  state: CloneState = cloneDecider.initialState();
  revision: bigint | null = null;
  private recorded = 0;

  constructor(
    private readonly store: EventStore,
    readonly plan: ClonePlan,
    private readonly now: () => Date = steppingClock(),
  ) {}

  get streamId(): string {
    return cloneStreamId(this.plan.cloneId);
  }

  /** Appends the command's events; returns the `$all` position of the last one (null: nothing decided). */
  async run(cloneCommand: CloneCommand): Promise<bigint | null> {
    const events = cloneDecider.decide(cloneCommand, this.state);
    if (events.length === 0) return null;
    const metadata = {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: ADMIN_ID,
      recordedAt: this.now().toISOString(),
    };
    let chainHash = this.state.chainHash;
    const toAppend: EventData[] = events.map((event) => {
      chainHash = nextChainHash(chainHash, event.type, event.data);
      return {
        id: cloneEventId(event),
        type: event.type,
        data: event.data as unknown as JsonValue,
        metadata: { ...metadata, chainHash },
      };
    });
    const result = await this.store.appendToStream(this.streamId, toAppend, {
      expectedRevision: this.revision ?? 'no_stream',
    });
    this.revision = result.nextExpectedRevision;
    this.state = events.reduce(cloneDecider.evolve, this.state);
    return result.position;
  }

  request(): Promise<bigint | null> {
    return this.run({ type: 'RequestClone', data: { plan: this.plan, requestedBy: ADMIN_ID } });
  }

  start(): Promise<bigint | null> {
    return this.run({ type: 'StartClone', data: { planId: this.plan.planId } });
  }

  /** Records the next `count` plan items (all that are left when omitted), `ITEMS_PER_APPEND` per append. */
  async recordItems(count = this.plan.items.length - this.recorded): Promise<bigint | null> {
    let position: bigint | null = null;
    const end = this.recorded + count;
    while (this.recorded < end) {
      const items = this.plan.items.slice(this.recorded, Math.min(end, this.recorded + ITEMS_PER_APPEND));
      position = await this.run({ type: 'RecordCloneItems', data: { planId: this.plan.planId, items } });
      this.recorded += items.length;
    }
    return position;
  }

  complete(): Promise<bigint | null> {
    return this.run({
      type: 'CompleteClone',
      data: { planAuditDigest: auditDigest(auditFromPlan(this.plan)) },
    });
  }

  fail(reason: string, resumable: boolean): Promise<bigint | null> {
    return this.run({ type: 'FailClone', data: { reason, resumable } });
  }

  discard(force = false): Promise<bigint | null> {
    return this.run({
      type: 'DiscardClone',
      data: { discardedBy: ADMIN_ID, organizationChangedSinceClone: force, force },
    });
  }

  /** Request, start, every item, completion. */
  async runToCompletion(): Promise<bigint> {
    await this.request();
    await this.start();
    await this.recordItems();
    return (await this.complete())!;
  }
}
