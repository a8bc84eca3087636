/**
 * SPEC §7's permission matrix, generated from the schema: every mutation of `Mutation` is called by
 * an administrator of each of the 8 roles, on a PAID, a TRIAL and a FREE provider, with valid
 * variables against an organization seeded for that role. Editing is for Administrator With
 * Billing, Administrator and Manager; cloning and discarding for Administrator With Billing on a
 * PAID plan (PAYMENT_REQUIRED on another plan); everything else is FORBIDDEN and writes nothing.
 * Every query and the subscription are read by each role: all but Billing Only may read, and
 * Billing Only still gets `me`. A mutation or query the matrix does not classify fails the test.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import type { GraphQLField, GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLES, type AdminRole, type BillingPlan } from '../../src/domain/organization/model.js';
import { buildOrgcloneSchema } from '../../src/schema/build-schema.js';
import { startApiServer, type ApiServer, type GraphQLResult } from '../api/support/api-server.js';
import { createOrganization } from '../api/support/seed.js';
import { operationDocument, rootFields, type RootKind } from './support/schema-operations.js';
import {
  administratorTargets,
  completedClone,
  seedTargets,
  VALID_MUTATION_VARIABLES,
  VALID_QUERY_VARIABLES,
  VALID_SUBSCRIPTION_VARIABLES,
  waitForCloneStatus,
  type AdministratorTargets,
  type CloneTarget,
  type Targets,
} from './support/targets.js';

/** What SPEC §7 requires of a mutation. */
type MutationRule = 'EDIT_ORGANIZATION' | 'CLONE_OR_DISCARD';
/** What SPEC §7 requires of a query or subscription: reading, or the caller's own identity. */
type ReadRule = 'READ' | 'OWN_IDENTITY';

/** Written from SPEC §7, not from the code: a new mutation must be added here by hand. */
const MUTATION_RULES: Readonly<Record<string, MutationRule>> = {
  createOrganization: 'EDIT_ORGANIZATION',
  updateOrganizationSettings: 'EDIT_ORGANIZATION',
  setOrganizationFeatures: 'EDIT_ORGANIZATION',
  configureMfa: 'EDIT_ORGANIZATION',
  configureDuo: 'EDIT_ORGANIZATION',
  removeDuo: 'EDIT_ORGANIZATION',
  grantAdminAccess: 'EDIT_ORGANIZATION',
  revokeAdminAccess: 'EDIT_ORGANIZATION',
  addCommand: 'EDIT_ORGANIZATION',
  updateCommand: 'EDIT_ORGANIZATION',
  removeCommand: 'EDIT_ORGANIZATION',
  bindDeviceGroupToCommand: 'EDIT_ORGANIZATION',
  unbindDeviceGroupFromCommand: 'EDIT_ORGANIZATION',
  addPolicy: 'EDIT_ORGANIZATION',
  updatePolicy: 'EDIT_ORGANIZATION',
  removePolicy: 'EDIT_ORGANIZATION',
  bindDeviceGroupToPolicy: 'EDIT_ORGANIZATION',
  unbindDeviceGroupFromPolicy: 'EDIT_ORGANIZATION',
  addPolicyGroup: 'EDIT_ORGANIZATION',
  updatePolicyGroup: 'EDIT_ORGANIZATION',
  removePolicyGroup: 'EDIT_ORGANIZATION',
  addPolicyToPolicyGroup: 'EDIT_ORGANIZATION',
  removePolicyFromPolicyGroup: 'EDIT_ORGANIZATION',
  bindDeviceGroupToPolicyGroup: 'EDIT_ORGANIZATION',
  unbindDeviceGroupFromPolicyGroup: 'EDIT_ORGANIZATION',
  addUserGroup: 'EDIT_ORGANIZATION',
  updateUserGroup: 'EDIT_ORGANIZATION',
  removeUserGroup: 'EDIT_ORGANIZATION',
  addUserToUserGroup: 'EDIT_ORGANIZATION',
  removeUserFromUserGroup: 'EDIT_ORGANIZATION',
  addDeviceGroup: 'EDIT_ORGANIZATION',
  updateDeviceGroup: 'EDIT_ORGANIZATION',
  removeDeviceGroup: 'EDIT_ORGANIZATION',
  addDeviceToDeviceGroup: 'EDIT_ORGANIZATION',
  removeDeviceFromDeviceGroup: 'EDIT_ORGANIZATION',
  addUser: 'EDIT_ORGANIZATION',
  updateUser: 'EDIT_ORGANIZATION',
  removeUser: 'EDIT_ORGANIZATION',
  addDevice: 'EDIT_ORGANIZATION',
  updateDevice: 'EDIT_ORGANIZATION',
  removeDevice: 'EDIT_ORGANIZATION',
  addIpList: 'EDIT_ORGANIZATION',
  updateIpList: 'EDIT_ORGANIZATION',
  removeIpList: 'EDIT_ORGANIZATION',
  addConditionalAccessPolicy: 'EDIT_ORGANIZATION',
  updateConditionalAccessPolicy: 'EDIT_ORGANIZATION',
  removeConditionalAccessPolicy: 'EDIT_ORGANIZATION',
  cloneOrganization: 'CLONE_OR_DISCARD',
  discardClonedOrganization: 'CLONE_OR_DISCARD',
};

const READ_RULES: Readonly<Record<string, ReadRule>> = {
  me: 'OWN_IDENTITY',
  policyTemplates: 'READ',
  organization: 'READ',
  organizations: 'READ',
  clonePreview: 'READ',
  cloneOperation: 'READ',
  cloneOperations: 'READ',
  cloneProgress: 'READ',
};

const EDITORS: readonly AdminRole[] = ['Administrator With Billing', 'Administrator', 'Manager'];
const CLONER: AdminRole = 'Administrator With Billing';
const PLANS: readonly BillingPlan[] = ['PAID', 'TRIAL', 'FREE'];

type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'PAYMENT_REQUIRED';

function expectedMutationOutcome(rule: MutationRule, role: AdminRole, plan: BillingPlan): Outcome {
  if (rule === 'EDIT_ORGANIZATION') return EDITORS.includes(role) ? 'ALLOWED' : 'FORBIDDEN';
  if (role !== CLONER) return 'FORBIDDEN';
  return plan === 'PAID' ? 'ALLOWED' : 'PAYMENT_REQUIRED';
}

function expectedReadOutcome(rule: ReadRule, role: AdminRole): Outcome {
  if (rule === 'OWN_IDENTITY') return 'ALLOWED';
  return role === 'Billing Only' ? 'FORBIDDEN' : 'ALLOWED';
}

/** Everything one provider brings to the matrix: its plan, a seeding key, and what every role's targets share. */
interface ProviderSetup {
  plan: BillingPlan;
  providerId: string;
  /** Administrator With Billing: seeds the targets (editing is allowed on every plan). */
  seederKey: string;
  administrators: AdministratorTargets;
  clone: CloneTarget;
}

let api: ApiServer;
let schema: GraphQLSchema;
const providers = new Map<BillingPlan, ProviderSetup>();
const clients: Client[] = [];
const covered = { mutationCalls: 0, refusedCalls: 0, readCalls: 0 };

beforeAll(async () => {
  api = await startApiServer();
  schema = await buildOrgcloneSchema();
  for (const plan of PLANS) {
    // Created PAID so that a finished clone exists to discard; then moved to its plan.
    const { id: providerId } = await api.provider('PAID');
    const { key: seederKey } = await api.administrator(providerId, 'Administrator With Billing');
    const administrators = await administratorTargets(api, providerId);
    const small = await createOrganization(api, seederKey, `Small ${plan}`);
    const clone = await completedClone(api, seederKey, small);
    if (plan !== 'PAID') await api.providers.changePlan({ providerId, plan });
    providers.set(plan, { plan, providerId, seederKey, administrators, clone });
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await api?.stop();
  console.log(
    `permission matrix: ${covered.mutationCalls} mutation calls (${Object.keys(MUTATION_RULES).length} mutations × ${ADMIN_ROLES.length} roles × ${PLANS.length} plans), ${covered.refusedCalls} refused, ${covered.readCalls} query and subscription calls`,
  );
});

function fieldsOf(kind: RootKind): [string, GraphQLField<unknown, unknown>][] {
  return [...rootFields(schema, kind).entries()];
}

async function call(key: string, kind: RootKind, name: string, variables: Record<string, unknown>) {
  const field = rootFields(schema, kind).get(name)!;
  return api.graphql(key, operationDocument(kind, field, Object.keys(variables), 2), variables);
}

/** What went wrong with one call, or null when it ended as expected. */
function mismatch(result: GraphQLResult, field: string, expected: Outcome): string | null {
  const codes = (result.errors ?? []).map((error) => error.extensions?.code);
  if (expected === 'ALLOWED') {
    if (codes.length === 0 && (result.data?.[field] ?? null) !== null) return null;
    return `expected success, got ${JSON.stringify(result.errors ?? result.data)}`;
  }
  if (codes.length === 1 && codes[0] === expected && (result.data?.[field] ?? null) === null) return null;
  return `expected ${expected}, got ${JSON.stringify(result.errors ?? result.data)}`;
}

describe('the matrix', () => {
  it('classifies every mutation, query and subscription of the schema and has valid variables for each', () => {
    const mutations = fieldsOf('mutation').map(([name]) => name);
    const reads = [...fieldsOf('query'), ...fieldsOf('subscription')].map(([name]) => name);
    expect(
      mutations.filter((name) => !(name in MUTATION_RULES)),
      'unclassified mutations',
    ).toEqual([]);
    expect(
      reads.filter((name) => !(name in READ_RULES)),
      'unclassified queries',
    ).toEqual([]);
    expect(Object.keys(MUTATION_RULES).sort()).toEqual([...mutations].sort());
    expect(Object.keys(READ_RULES).sort()).toEqual([...reads].sort());
    expect(Object.keys(VALID_MUTATION_VARIABLES).sort()).toEqual([...mutations].sort());
    expect(Object.keys({ ...VALID_QUERY_VARIABLES, ...VALID_SUBSCRIPTION_VARIABLES }).sort()).toEqual(
      [...reads].sort(),
    );
  });
});

describe.each(PLANS)('every mutation on a %s plan', (plan) => {
  it.each(ADMIN_ROLES)('as %s: allowed, or refused with the right code and nothing written', async (role) => {
    const setup = providers.get(plan)!;
    const { key } = await api.administrator(setup.providerId, role);
    const targets: Targets = {
      ...(await seedTargets(api, setup.seederKey, `Targets ${plan} ${role}`, setup.administrators)),
      administrators: setup.administrators,
      clone: setup.clone,
    };
    const failures: string[] = [];
    const eventsBefore = await api.eventCount();
    for (const [name] of fieldsOf('mutation')) {
      const expected = expectedMutationOutcome(MUTATION_RULES[name]!, role, plan);
      const variables = VALID_MUTATION_VARIABLES[name]!(targets, randomUUID().slice(0, 8));
      const before = await api.runtime.store.headPosition();
      const result = await call(key, 'mutation', name, variables);
      covered.mutationCalls++;
      const wrong = mismatch(result, name, expected);
      if (wrong) failures.push(`${name}: ${wrong}`);
      if (expected !== 'ALLOWED') {
        covered.refusedCalls++;
        const after = await api.runtime.store.headPosition();
        if (after !== before) failures.push(`${name}: refused, yet the log grew from ${before} to ${after}`);
      } else if (name === 'cloneOrganization' && !wrong) {
        // Later refusals must find the log quiet: let the clone finish first.
        const operation = result.data![name] as { id: string };
        await waitForCloneStatus(api, key, operation.id, 'COMPLETED');
      }
    }
    expect(failures).toEqual([]);
    const allowedAny = fieldsOf('mutation').some(
      ([name]) => expectedMutationOutcome(MUTATION_RULES[name]!, role, plan) === 'ALLOWED',
    );
    if (!allowedAny) expect(await api.eventCount()).toBe(eventsBefore);
  });
});

describe('every query and the subscription', () => {
  let targets: Targets;

  beforeAll(async () => {
    const setup = providers.get('PAID')!;
    targets = {
      ...(await seedTargets(api, setup.seederKey, 'Read targets', setup.administrators)),
      administrators: setup.administrators,
      clone: setup.clone,
    };
  });

  it.each(ADMIN_ROLES)('as %s: read when the role may read, FORBIDDEN otherwise', async (role) => {
    const setup = providers.get('PAID')!;
    const { key, administrator } = await api.administrator(setup.providerId, role);
    const failures: string[] = [];
    const before = await api.runtime.store.headPosition();
    for (const [name, field] of fieldsOf('query')) {
      const variables = VALID_QUERY_VARIABLES[name]!(targets, randomUUID().slice(0, 8));
      const result = await api.graphql(
        key,
        operationDocument('query', field, Object.keys(variables), 3),
        variables,
      );
      covered.readCalls++;
      const wrong = mismatch(result, name, expectedReadOutcome(READ_RULES[name]!, role));
      if (wrong) failures.push(`${name}: ${wrong}`);
    }
    for (const [name, field] of fieldsOf('subscription')) {
      const variables = VALID_SUBSCRIPTION_VARIABLES[name]!(targets, '');
      const results = await subscribe(
        key,
        operationDocument('subscription', field, Object.keys(variables), 2),
        variables,
      );
      covered.readCalls++;
      const expected = expectedReadOutcome(READ_RULES[name]!, role);
      const last = results.at(-1);
      if (expected === 'ALLOWED') {
        // A finished clone: its terminal state at once, then the subscription completes.
        const event = last?.data?.[name] as { terminal?: boolean } | undefined;
        if (!event?.terminal || results.some((result) => result.errors))
          failures.push(`${name}: expected the terminal update, got ${JSON.stringify(results)}`);
      } else {
        const wrong = last ? mismatch({ status: 200, ...last }, name, expected) : 'nothing';
        if (wrong) failures.push(`${name}: ${wrong}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await api.runtime.store.headPosition()).toBe(before);

    if (role === 'Billing Only') {
      // `me` is the one thing Billing Only reads: who it is, and its provider's billing.
      const me = await api.graphql<{
        me: { administrator: { id: string; roleName: string }; provider: { id: string } };
      }>(key, '{ me { administrator { id roleName } provider { id billing { plan } } } }');
      expect(me.data?.me).toEqual({
        administrator: { id: administrator.id, roleName: 'BILLING_ONLY' },
        provider: { id: setup.providerId, billing: { plan: 'PAID' } },
      });
    }
  });
});

/** Every result of a subscription until it completes or fails. */
async function subscribe(
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLResult['errors'] }[]> {
  const client = api.connect(key);
  clients.push(client);
  const results: { data?: Record<string, unknown> | null; errors?: GraphQLResult['errors'] }[] = [];
  await new Promise<void>((resolve, reject) => {
    client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => results.push(result as (typeof results)[number]),
        error: (error) => {
          if (Array.isArray(error)) {
            results.push({ errors: error as GraphQLResult['errors'] });
            resolve();
          } else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: resolve,
      },
    );
  });
  await client.dispose();
  return results;
}
