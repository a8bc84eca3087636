/**
 * A store with a provider and a source organization in it, for the clone tests, on either adapter:
 * embedded SQLite in a temporary file, or the EventStoreDB adapter on the in-process test server.
 * `childStore` is what `clone-crash-child.ts` needs to open the same store from another process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Caller } from '../../src/application/organizations.js';
import { organizationStreamId, providerStreamId } from '../../src/application/streams.js';
import { auditFromPlan } from '../../src/domain/clone/audit.js';
import type { CloneState } from '../../src/domain/clone/decider.js';
import { cloneDecider, cloneStreamId } from '../../src/domain/clone/decider.js';
import type { CloneEvent } from '../../src/domain/clone/events.js';
import { clonedOrganizationEventId, materializeClone } from '../../src/domain/clone/materialize.js';
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import { verifyCloneHistory } from '../../src/domain/clone/verification.js';
import { evolve, initialState } from '../../src/domain/organization/evolve.js';
import type { OrganizationEvent } from '../../src/domain/organization/events.js';
import type { AdminRole, BillingPlan, OrgAccess } from '../../src/domain/organization/model.js';
import type { OrganizationState } from '../../src/domain/organization/state.js';
import type { ProviderEvent } from '../../src/domain/provider/events.js';
import { openEsdbEventStore } from '../../src/eventstore/esdb/esdb-event-store.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventStore, RecordedEvent } from '../../src/eventstore/types.js';
import { organizationOfPlan } from './clone-expected-organization.js';
import { startEsdbTestServer } from './esdb-test-server/index.js';
import { appendAll, eventsOf } from './organization-events.js';

export type StoreKind = 'sqlite' | 'esdb';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'esdb'];

export interface CloneWorld {
  kind: StoreKind;
  store: EventStore;
  /** `sqlite:<path>` or `esdb:<connection string>`: the same store, for another process. */
  childStore: string;
  /** Another handle on the same store (another process's view of it). */
  openAnother(): Promise<EventStore>;
  close(): Promise<void>;
}

export async function openWorld(kind: StoreKind): Promise<CloneWorld> {
  const others: EventStore[] = [];
  if (kind === 'sqlite') {
    const directory = await mkdtemp(join(tmpdir(), 'orgclone-clone-'));
    const path = join(directory, 'events.db');
    const store = await openSqliteEventStore({ path });
    return {
      kind,
      store,
      childStore: `sqlite:${path}`,
      async openAnother() {
        const other = await openSqliteEventStore({ path });
        others.push(other);
        return other;
      },
      async close() {
        await Promise.all([store, ...others].map((opened) => opened.close()));
        await rm(directory, { recursive: true, force: true });
      },
    };
  }
  const server = await startEsdbTestServer();
  const store = openEsdbEventStore(server.connectionString);
  return {
    kind,
    store,
    childStore: `esdb:${server.connectionString}`,
    async openAnother() {
      const other = openEsdbEventStore(server.connectionString);
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all([store, ...others].map((opened) => opened.close()));
      await server.stop();
    },
  };
}

// ---- seeding ------------------------------------------------------------------------------------

export interface SeededAdministrator {
  id: string;
  email: string;
  roleName: AdminRole;
  orgAccess?: OrgAccess;
  linkedOrganizationIds?: string[];
}

export const PROVIDER_ID = 'provider-1';
export const REQUESTER: SeededAdministrator = {
  id: 'admin-1',
  email: 'owner@msp.example',
  roleName: 'Administrator With Billing',
};

export async function seedProvider(
  store: EventStore,
  options: { providerId?: string; plan?: BillingPlan; administrators?: SeededAdministrator[] } = {},
): Promise<void> {
  const providerId = options.providerId ?? PROVIDER_ID;
  const administrators = options.administrators ?? [
    REQUESTER,
    { id: 'admin-2', email: 'helper@msp.example', roleName: 'Administrator' },
  ];
  const events: ProviderEvent[] = [
    {
      type: 'ProviderCreated',
      data: {
        providerId,
        name: `MSP ${providerId}`,
        billing: { plan: options.plan ?? 'PAID' },
        orgCreationDisabled: false,
      },
    },
    ...administrators.map((admin): ProviderEvent => ({
      type: 'AdministratorAdded',
      data: {
        administrator: {
          id: admin.id,
          email: admin.email,
          firstname: admin.id,
          lastname: 'Admin',
          roleName: admin.roleName,
          orgAccess: admin.orgAccess ?? 'ALL',
          linkedOrganizationIds: admin.linkedOrganizationIds ?? [],
          suspended: false,
        },
      },
    })),
  ];
  await appendAll(store, providerStreamId(providerId), events);
}

/** Writes the source into the store; returns its version (the revision of its last event). */
export async function seedSource(store: EventStore, source: OrganizationState): Promise<bigint> {
  const events = eventsOf(source);
  expect(events.reduce(evolve, initialState())).toStrictEqual(source);
  await appendAll(store, organizationStreamId(source.id), events);
  return BigInt(events.length - 1);
}

export function callerOf(admin: SeededAdministrator = REQUESTER, providerId = PROVIDER_ID): Caller {
  return {
    principal: {
      administratorId: admin.id,
      providerId,
      roleName: admin.roleName,
      orgAccess: admin.orgAccess ?? 'ALL',
      linkedOrganizationIds: admin.linkedOrganizationIds ?? [],
      suspended: false,
    },
    requestId: randomUUID(),
  };
}

// ---- checking a clone ---------------------------------------------------------------------------

export async function readAll(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
}

export async function cloneStateOf(store: EventStore, cloneId: string): Promise<CloneState> {
  const events = await readAll(store, cloneStreamId(cloneId));
  return events.reduce(
    (state, event) => cloneDecider.evolve(state, { type: event.type, data: event.data } as CloneEvent),
    cloneDecider.initialState(),
  );
}

/**
 * Checks a finished clone against its plan: the clone stream verifies and its audit is the plan's,
 * item for item, each once; the new organization's stream holds exactly the events the plan
 * materializes to, each once, and folds to exactly the plan's content.
 */
export async function expectCloneOfPlan(store: EventStore, plan: ClonePlan): Promise<void> {
  const cloneEvents = await readAll(store, cloneStreamId(plan.cloneId));
  expect(verifyCloneHistory(cloneEvents)).toMatchObject({ valid: true });
  expect(new Set(cloneEvents.map((event) => event.id)).size).toBe(cloneEvents.length);
  const state = await cloneStateOf(store, plan.cloneId);
  expect(state.status).toBe('completed');
  expect(state.audit.rows()).toStrictEqual(auditFromPlan(plan));

  const organizationEvents = await readAll(store, organizationStreamId(plan.newOrganizationId));
  const created = organizationEvents[0]!.data as { providerId: string; created: string };
  const context = { providerId: created.providerId, created: created.created };
  const { events } = materializeClone(plan, context);
  expect(organizationEvents.map(({ type, data }) => ({ type, data }))).toStrictEqual(events);
  expect(organizationEvents.map((event) => event.id)).toStrictEqual(
    events.map((event, revision) => clonedOrganizationEventId(plan.cloneId, revision, event)),
  );
  const folded = organizationEvents.reduce(
    (organization, event) =>
      evolve(organization, { type: event.type, data: event.data } as OrganizationEvent),
    initialState(),
  );
  expect(folded).toStrictEqual(organizationOfPlan(plan, context));
}
