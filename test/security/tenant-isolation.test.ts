/**
 * Tenant isolation (SPEC §7), generated from the schema: an administrator who must not see a
 * provider's organization calls every query, mutation and the subscription with that
 * organization's ids (the organization, its items, its administrators, its clone). Two such
 * callers: another provider's Administrator With Billing, and an Administrator With Billing of the
 * same provider with LINKED access that is not linked to the organization. Every answer is
 * NOT_FOUND (never FORBIDDEN, never data), and the log and the read models stay as they were.
 * The callers also try their own organization with the other organization's item ids: NOT_FOUND.
 */
import { randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModel } from '../../src/projections/read-model-db.js';
import { buildOrgcloneSchema } from '../../src/schema/build-schema.js';
import { dataOf, startApiServer, type ApiServer, type GraphQLResult } from '../api/support/api-server.js';
import { createOrganization } from '../api/support/seed.js';
import { operationDocument, rootFields, type RootKind } from './support/schema-operations.js';
import {
  administratorTargets,
  completedClone,
  idsOf,
  seedTargets,
  VALID_MUTATION_VARIABLES,
  VALID_QUERY_VARIABLES,
  VALID_SUBSCRIPTION_VARIABLES,
  type Targets,
  type ValidVariables,
} from './support/targets.js';

/**
 * What a caller that may not see the organization gets from each operation given its ids:
 * NOT_FOUND; for a listing, an empty page; for an operation that takes no id at all, answers
 * about the caller's own tenant only (checked for the absence of the organization's ids).
 */
type ForeignAnswer = 'NOT_FOUND' | 'EMPTY_PAGE' | 'TAKES_NO_ID';

const FOREIGN_ANSWERS: Readonly<Record<string, ForeignAnswer>> = {
  // queries
  me: 'TAKES_NO_ID',
  policyTemplates: 'TAKES_NO_ID',
  organization: 'NOT_FOUND',
  organizations: 'EMPTY_PAGE',
  clonePreview: 'NOT_FOUND',
  cloneOperation: 'NOT_FOUND',
  cloneOperations: 'EMPTY_PAGE',
  // subscription
  cloneProgress: 'NOT_FOUND',
  // mutations
  createOrganization: 'TAKES_NO_ID',
  updateOrganizationSettings: 'NOT_FOUND',
  setOrganizationFeatures: 'NOT_FOUND',
  configureMfa: 'NOT_FOUND',
  configureDuo: 'NOT_FOUND',
  removeDuo: 'NOT_FOUND',
  grantAdminAccess: 'NOT_FOUND',
  revokeAdminAccess: 'NOT_FOUND',
  addCommand: 'NOT_FOUND',
  updateCommand: 'NOT_FOUND',
  removeCommand: 'NOT_FOUND',
  bindDeviceGroupToCommand: 'NOT_FOUND',
  unbindDeviceGroupFromCommand: 'NOT_FOUND',
  addPolicy: 'NOT_FOUND',
  updatePolicy: 'NOT_FOUND',
  removePolicy: 'NOT_FOUND',
  bindDeviceGroupToPolicy: 'NOT_FOUND',
  unbindDeviceGroupFromPolicy: 'NOT_FOUND',
  addPolicyGroup: 'NOT_FOUND',
  updatePolicyGroup: 'NOT_FOUND',
  removePolicyGroup: 'NOT_FOUND',
  addPolicyToPolicyGroup: 'NOT_FOUND',
  removePolicyFromPolicyGroup: 'NOT_FOUND',
  bindDeviceGroupToPolicyGroup: 'NOT_FOUND',
  unbindDeviceGroupFromPolicyGroup: 'NOT_FOUND',
  addUserGroup: 'NOT_FOUND',
  updateUserGroup: 'NOT_FOUND',
  removeUserGroup: 'NOT_FOUND',
  addUserToUserGroup: 'NOT_FOUND',
  removeUserFromUserGroup: 'NOT_FOUND',
  addDeviceGroup: 'NOT_FOUND',
  updateDeviceGroup: 'NOT_FOUND',
  removeDeviceGroup: 'NOT_FOUND',
  addDeviceToDeviceGroup: 'NOT_FOUND',
  removeDeviceFromDeviceGroup: 'NOT_FOUND',
  addUser: 'NOT_FOUND',
  updateUser: 'NOT_FOUND',
  removeUser: 'NOT_FOUND',
  addDevice: 'NOT_FOUND',
  updateDevice: 'NOT_FOUND',
  removeDevice: 'NOT_FOUND',
  addIpList: 'NOT_FOUND',
  updateIpList: 'NOT_FOUND',
  removeIpList: 'NOT_FOUND',
  addConditionalAccessPolicy: 'NOT_FOUND',
  updateConditionalAccessPolicy: 'NOT_FOUND',
  removeConditionalAccessPolicy: 'NOT_FOUND',
  cloneOrganization: 'NOT_FOUND',
  discardClonedOrganization: 'NOT_FOUND',
};

/**
 * Operations whose other ids a caller may legitimately name with its own organization: a clone's
 * deselected ids are ids the source may not have (a preflight WARNING, SPEC §3), not references.
 */
const NOT_REFERENCES = new Set(['clonePreview', 'cloneOrganization']);

const VALID: Readonly<Record<string, ValidVariables>> = {
  ...VALID_QUERY_VARIABLES,
  ...VALID_SUBSCRIPTION_VARIABLES,
  ...VALID_MUTATION_VARIABLES,
};

const OTHER_PROVIDER = "another provider's Administrator With Billing";
const UNLINKED = 'a LINKED Administrator With Billing of the same provider, not linked to the organization';

interface Intruder {
  key: string;
  /** An organization the intruder may edit. */
  ownOrganizationId: string;
  /** Ids of the victim the intruder may not name; the LINKED one shares the provider's administrators. */
  foreignIds: Set<string>;
}

let api: ApiServer;
let schema: GraphQLSchema;
let victimKey: string;
let victim: Targets;
let victimName: string;
const intruders = new Map<string, Intruder>();
const clients: Client[] = [];
let swept = 0;

beforeAll(async () => {
  api = await startApiServer();
  schema = await buildOrgcloneSchema();
  const { id: victimProviderId } = await api.provider('PAID');
  ({ key: victimKey } = await api.administrator(victimProviderId));
  const administrators = await administratorTargets(api, victimProviderId);
  victimName = `Victim ${randomUUID().slice(0, 8)}`;
  const organization = await seedTargets(api, victimKey, victimName, administrators);
  victim = {
    ...organization,
    administrators,
    clone: await completedClone(api, victimKey, organization.organizationId),
  };
  const allVictimIds = new Set(idsOf(victim).keys());

  const { id: otherProviderId } = await api.provider('PAID');
  const other = await api.administrator(otherProviderId);
  intruders.set(OTHER_PROVIDER, {
    key: other.key,
    ownOrganizationId: await createOrganization(api, other.key, 'Intruder Own'),
    foreignIds: allVictimIds,
  });
  const linked = await api.administrator(victimProviderId, 'Administrator With Billing', {
    orgAccess: 'LINKED',
    linkedOrganizationIds: [],
  });
  intruders.set(UNLINKED, {
    key: linked.key,
    // Created by it, hence linked to it.
    ownOrganizationId: await createOrganization(api, linked.key, 'Linked Own'),
    foreignIds: new Set([...allVictimIds].filter((id) => idsOf(victim).get(id) !== 'administrator')),
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await api?.stop();
  console.log(`tenant isolation: ${swept} operations called with another tenant's ids`);
});

function allOperations(): { kind: RootKind; name: string }[] {
  return (['query', 'mutation', 'subscription'] as const).flatMap((kind) =>
    [...rootFields(schema, kind).keys()].map((name) => ({ kind, name })),
  );
}

/** The victim as its own administrator sees it: what no intruder may change. */
async function victimView(): Promise<string> {
  const organization = rootFields(schema, 'query').get('organization')!;
  const cloneOperation = rootFields(schema, 'query').get('cloneOperation')!;
  const views = await Promise.all([
    api.graphql(victimKey, operationDocument('query', organization, ['id'], 3), {
      id: victim.organizationId,
    }),
    api.graphql(victimKey, operationDocument('query', cloneOperation, ['id'], 3), { id: victim.clone.id }),
    api.graphql(victimKey, '{ organizations(first: 500) { edges { node { id displayName version } } } }'),
    api.graphql(victimKey, '{ cloneOperations(first: 500) { edges { node { id status version } } } }'),
  ]);
  return JSON.stringify(views.map((view) => dataOf(view)));
}

/** Victim ids in the answer that the request did not carry itself: leaked data. */
function leakedIds(response: unknown, request: unknown, foreignIds: Set<string>): string[] {
  const answer = JSON.stringify(response);
  const asked = JSON.stringify(request);
  return [...foreignIds].filter((id) => answer.includes(id) && !asked.includes(id));
}

function refusal(
  result: { data?: Record<string, unknown> | null; errors?: GraphQLResult['errors'] },
  field: string,
) {
  return {
    codes: (result.errors ?? []).map((error) => error.extensions?.code),
    data: result.data?.[field] ?? null,
  };
}

async function call(key: string, kind: RootKind, name: string, variables: Record<string, unknown>) {
  const field = rootFields(schema, kind).get(name)!;
  const document = operationDocument(kind, field, Object.keys(variables), 3);
  if (kind !== 'subscription') return api.graphql(key, document, variables);
  return subscribeOnce(key, document, variables);
}

describe('tenant isolation', () => {
  it('knows what every query, mutation and subscription of the schema answers to a foreign id', () => {
    const names = allOperations().map(({ name }) => name);
    expect(
      names.filter((name) => !(name in FOREIGN_ANSWERS)),
      'unclassified operations',
    ).toEqual([]);
    expect(Object.keys(FOREIGN_ANSWERS).sort()).toEqual([...names].sort());
    expect(
      names.filter((name) => !(name in VALID)),
      'operations without valid variables',
    ).toEqual([]);
  });

  describe.each([OTHER_PROVIDER, UNLINKED])('as %s', (label) => {
    it("gets NOT_FOUND, never FORBIDDEN nor data, for every operation on the organization's ids; nothing changes", async () => {
      const intruder = intruders.get(label)!;
      const viewBefore = await victimView();
      const readModelBefore = dumpReadModel(api.runtime.db);
      const eventsBefore = await api.eventCount();
      const failures: string[] = [];
      for (const { kind, name } of allOperations()) {
        const answer = FOREIGN_ANSWERS[name]!;
        if (answer === 'TAKES_NO_ID') continue;
        const variables =
          name === 'organizations'
            ? { first: 500, search: victimName }
            : VALID[name]!(victim, randomUUID().slice(0, 8));
        const before = await api.runtime.store.headPosition();
        const result = await call(intruder.key, kind, name, variables);
        swept++;
        const { codes, data } = refusal(result, name);
        if (answer === 'NOT_FOUND' && !(codes.length === 1 && codes[0] === 'NOT_FOUND' && data === null)) {
          failures.push(`${name}: expected NOT_FOUND, got ${JSON.stringify(result)}`);
        }
        if (answer === 'EMPTY_PAGE') {
          const edges = (data as { edges?: unknown[] } | null)?.edges;
          if (codes.length > 0 || edges?.length !== 0)
            failures.push(`${name}: expected an empty page, got ${JSON.stringify(result)}`);
        }
        const leaked = leakedIds(result, variables, intruder.foreignIds);
        if (leaked.length > 0) failures.push(`${name}: answered with ids ${leaked.join(', ')}`);
        if ((await api.runtime.store.headPosition()) !== before) failures.push(`${name}: the log grew`);
      }
      expect(failures).toEqual([]);
      expect(await api.eventCount()).toBe(eventsBefore);
      expect(dumpReadModel(api.runtime.db)).toBe(readModelBefore);
      expect(await victimView()).toBe(viewBefore);
    });

    it("gets NOT_FOUND when it names the organization's items from an organization of its own", async () => {
      const intruder = intruders.get(label)!;
      const mixed: Targets = { ...victim, organizationId: intruder.ownOrganizationId };
      const viewBefore = await victimView();
      const failures: string[] = [];
      let tried = 0;
      for (const { kind, name } of allOperations()) {
        if (FOREIGN_ANSWERS[name] !== 'NOT_FOUND' || NOT_REFERENCES.has(name)) continue;
        const variables = VALID[name]!(mixed, randomUUID().slice(0, 8));
        // Only where a foreign id remains besides the intruder's own organization.
        if (leakedIds(variables, {}, intruder.foreignIds).length === 0) continue;
        const before = await api.runtime.store.headPosition();
        const result = await call(intruder.key, kind, name, variables);
        swept++;
        tried++;
        const { codes, data } = refusal(result, name);
        if (!(codes.length === 1 && codes[0] === 'NOT_FOUND' && data === null))
          failures.push(`${name}: expected NOT_FOUND, got ${JSON.stringify(result)}`);
        const leaked = leakedIds(result, variables, intruder.foreignIds);
        if (leaked.length > 0) failures.push(`${name}: answered with ids ${leaked.join(', ')}`);
        if ((await api.runtime.store.headPosition()) !== before) failures.push(`${name}: the log grew`);
      }
      expect(failures).toEqual([]);
      expect(tried).toBeGreaterThan(30);
      expect(await victimView()).toBe(viewBefore);
    });

    it('sees only its own tenant through the operations that take no id', async () => {
      const intruder = intruders.get(label)!;
      const failures: string[] = [];
      for (const { kind, name } of allOperations()) {
        if (FOREIGN_ANSWERS[name] !== 'TAKES_NO_ID') continue;
        const variables = VALID[name]!(victim, randomUUID().slice(0, 8));
        const result = await call(intruder.key, kind, name, variables);
        swept++;
        if (result.errors) failures.push(`${name}: ${JSON.stringify(result.errors)}`);
        const leaked = leakedIds(result, variables, intruder.foreignIds);
        if (leaked.length > 0) failures.push(`${name}: answered with ids ${leaked.join(', ')}`);
      }
      for (const query of [
        '{ organizations(first: 500) { edges { node { id displayName admins { id } } } } }',
        '{ cloneOperations(first: 500) { edges { node { id sourceOrganizationId targetOrganizationId } } } }',
      ]) {
        const result = await api.graphql(intruder.key, query);
        const leaked = leakedIds(result, {}, intruder.foreignIds);
        if (result.errors || leaked.length > 0) failures.push(`${query}: ${JSON.stringify(result)}`);
        expect(JSON.stringify(result)).not.toContain(victimName);
      }
      expect(failures).toEqual([]);
    });
  });
});

/** The first result of a subscription (a refusal ends it), then the client is closed. */
async function subscribeOnce(
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ status: number; data?: Record<string, unknown> | null; errors?: GraphQLResult['errors'] }> {
  const client = api.connect(key);
  clients.push(client);
  try {
    return await new Promise((resolve, reject) => {
      const unsubscribe = client.subscribe<Record<string, unknown>>(
        { query, variables },
        {
          next: (result) => {
            unsubscribe();
            resolve({ status: 200, ...(result as { data?: Record<string, unknown> | null }) });
          },
          error: (error) => {
            if (Array.isArray(error)) resolve({ status: 200, errors: error as GraphQLResult['errors'] });
            else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          },
          complete: () => resolve({ status: 200 }),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
