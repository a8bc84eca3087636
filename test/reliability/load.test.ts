/**
 * Load on the real server (SPEC §5, §7), in process, over HTTP.
 *
 * 1. Twenty clones requested at once from one source while an editor keeps changing that source:
 *    each clone copies the source as of the version it recorded — its audit is the preview of that
 *    version, its new organization holds exactly that version's items, and no later edit leaks in.
 * 2. Fifty clients, each with its own key and a random role, loop over a realistic mix of reads,
 *    previews and configuration writes for `ORGCLONE_LOAD_SECONDS` (60 by default, 600 in
 *    `npm run test:soak`). Only the refusals the test provokes are allowed; afterwards every
 *    acknowledged write is in the organization read through the API and in its event stream.
 *    The printed seed, given back as `ORGCLONE_LOAD_SEED`, replays the roles and each client's choices.
 */
import { afterEach, expect, it } from 'vitest';
import { organizationStreamId } from '../../src/application/streams.js';
import { dataOf, startApiServer, type ApiServer, type GraphQLError } from '../api/support/api-server.js';
import { createOrganization, ROOT, seedOrganization, WIFI_TEMPLATE } from '../api/support/seed.js';

const LOAD_SECONDS = Number(process.env.ORGCLONE_LOAD_SECONDS ?? 60);
const CLIENTS = 50;
const CLONES = 20;

const ITEM =
  'index kind category sourceId name newId outcome reasons omittedFields droppedReferences { field targetKind targetId cause }';
const TOTALS = 'category copied copiedWithOmissions resetToDefault skipped excluded total';

const PREVIEW = `
  query ($input: ClonePreviewInput!, $after: String) {
    clonePreview(input: $input) {
      sourceVersion
      totals { ${TOTALS} }
      items(first: 500, after: $after) { edges { node { ${ITEM} } } pageInfo { hasNextPage endCursor } }
    }
  }`;

const CLONE = `
  mutation ($input: CloneOrganizationInput!) {
    cloneOrganization(input: $input) { id status sourceVersion targetOrganizationId }
  }`;

const STATUS = `query ($id: ID!) { cloneOperation(id: $id) { status failure { reason resumable } } }`;

const OPERATION = `
  query ($id: ID!) {
    cloneOperation(id: $id) {
      id status sourceVersion targetOrganizationId progress { done total } totals { ${TOTALS} }
      verification { valid eventsChecked firstMismatch { version type problem itemIndex field } }
    }
  }`;

const AUDIT = `
  query ($id: ID!, $after: String) {
    cloneOperation(id: $id) {
      audit(first: 500, after: $after) { edges { node { ${ITEM} } } pageInfo { hasNextPage endCursor } }
    }
  }`;

const ORGANIZATION_CONTENT = `
  query ($id: ID!) {
    organization(id: $id) {
      id version settings { userPortal { idleSessionDurationMinutes } }
      commands { id name description } policies { id name notes } userGroups { id name description }
      policyGroups { id } deviceGroups { id } ipLists { id } conditionalAccessPolicies { id }
    }
  }`;

const ADD_COMMAND = `
  mutation ($input: AddCommandInput!) {
    addCommand(input: $input) { command { id name description } organization { version } }
  }`;
const UPDATE_COMMAND = `
  mutation ($input: UpdateCommandInput!) {
    updateCommand(input: $input) { command { id description } organization { version } }
  }`;
const REMOVE_COMMAND = `
  mutation ($input: RemoveCommandInput!) { removeCommand(input: $input) { organization { version } } }`;
const ADD_POLICY = `
  mutation ($input: AddPolicyInput!) { addPolicy(input: $input) { policy { id name notes } } }`;
const UPDATE_POLICY = `
  mutation ($input: UpdatePolicyInput!) { updatePolicy(input: $input) { policy { id notes } } }`;
const REMOVE_POLICY = `
  mutation ($input: RemovePolicyInput!) { removePolicy(input: $input) { organization { id } } }`;
const ADD_USER_GROUP = `
  mutation ($input: AddUserGroupInput!) {
    addUserGroup(input: $input) { userGroup { id name description } }
  }`;
const UPDATE_USER_GROUP = `
  mutation ($input: UpdateUserGroupInput!) {
    updateUserGroup(input: $input) { userGroup { id description } }
  }`;
const REMOVE_USER_GROUP = `
  mutation ($input: RemoveUserGroupInput!) { removeUserGroup(input: $input) { organization { id } } }`;
const UPDATE_SETTINGS = `
  mutation ($input: UpdateOrganizationSettingsInput!) {
    updateOrganizationSettings(input: $input) { version settings { userPortal { idleSessionDurationMinutes } } }
  }`;

const WORKER_PREVIEW = `
  query ($input: ClonePreviewInput!) {
    clonePreview(input: $input) {
      planId sourceVersion totals { ${TOTALS} }
      items(first: 50) { edges { node { kind name outcome reasons } } }
      preflight { code severity }
    }
  }`;
const ORGANIZATIONS = `
  query {
    organizations(first: 20) {
      edges { node { id displayName version userCount commands { id name } userGroups { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
const ORGANIZATION = `
  query ($id: ID!) {
    organization(id: $id) {
      id displayName version settings { userPortal { idleSessionDurationMinutes cookieExpirationType } }
      commands { id name description deviceGroupIds }
      policies { id name notes values { configFieldID sensitive value } }
      userGroups { id name description memberUserIds }
      policyGroups { id name policyIds }
    }
  }`;

interface Item {
  index: number;
  kind: string;
  category: string;
  sourceId: string;
  name: string;
  newId: string | null;
  outcome: string;
  reasons: string[];
}

interface Totals {
  category: string;
  copied: number;
  copiedWithOmissions: number;
  total: number;
}

interface ItemPage {
  edges: { node: Item }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Content {
  id: string;
  version: string;
  settings: { userPortal: { idleSessionDurationMinutes: number } };
  commands: { id: string; name: string; description: string }[];
  policies: { id: string; name: string; notes: string }[];
  userGroups: { id: string; name: string; description: string }[];
  policyGroups: { id: string }[];
  deviceGroups: { id: string }[];
  ipLists: { id: string }[];
  conditionalAccessPolicies: { id: string }[];
}

let api: ApiServer | undefined;

afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every item of a paged list (the preview's or the audit's), at most 500 a page. */
async function allItems(page: (after: string | null) => Promise<ItemPage>): Promise<Item[]> {
  const items: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const { edges, pageInfo }: ItemPage = await page(after);
    items.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage) return items;
    after = pageInfo.endCursor;
  }
}

/** A plan item without the id the new organization gives it: what two plans of one version share. */
function withoutNewId({ newId: _newId, ...item }: Item) {
  return item;
}

/** Deterministic randomness (mulberry32): a failing run can be replayed with its printed seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(chance: () => number, items: readonly T[]): T {
  return items[Math.floor(chance() * items.length)]!;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

interface SourceState {
  commands: Map<string, { name: string; description: string }>;
  idle: number;
}

interface Edit {
  k: number;
  version: string;
  kind: 'ADD' | 'UPDATE' | 'REMOVE' | 'SETTINGS';
  name?: string;
  description?: string;
  idle?: number;
}

function copyOf(state: SourceState): SourceState {
  return { commands: new Map(state.commands), idle: state.idle };
}

function commandsOf(content: Content) {
  return new Map(content.commands.map(({ id, name, description }) => [id, { name, description }]));
}

it(
  'runs 20 clones requested at once from one source being edited, each copying the source as of its own version',
  { timeout: 300_000 },
  async () => {
    // Given a source of about 200 plan items
    const server = (api = await startApiServer());
    const providerId = (await server.provider('PAID')).id;
    const { key, administrator } = await server.administrator(providerId);
    const run = async <Data>(query: string, variables: Record<string, unknown>) =>
      dataOf(await server.graphql<Data>(key, query, variables));
    const source = await seedOrganization(server, key, {
      name: 'Load Source',
      size: 27,
      marker: 'loadMarker',
      administratorIds: [administrator.id],
    });
    const contentOf = async (id: string) =>
      (await run<{ organization: Content }>(ORGANIZATION_CONTENT, { id })).organization;
    const preview = async () => {
      let sourceVersion = '';
      let totals: Totals[] = [];
      const items = await allItems(async (after) => {
        const { clonePreview } = await run<{
          clonePreview: { sourceVersion: string; totals: Totals[]; items: ItemPage };
        }>(PREVIEW, { input: { sourceOrganizationId: source.id, name: 'Load Preview' }, after });
        ({ sourceVersion, totals } = clonePreview);
        return clonePreview.items;
      });
      return { sourceVersion, totals, items: items.map(withoutNewId) };
    };

    const initial = await contentOf(source.id);
    const current: SourceState = {
      commands: commandsOf(initial),
      idle: initial.settings.userPortal.idleSessionDurationMinutes,
    };
    const statesAt = new Map<string, SourceState>([[initial.version, copyOf(current)]]);
    const previewsAt = new Map([[initial.version, await preview()]]);
    expect(previewsAt.get(initial.version)!.sourceVersion).toBe(initial.version);
    expect(previewsAt.get(initial.version)!.items.length).toBeGreaterThanOrEqual(200);

    // One editor changes the source, one acknowledged edit after another; after each it keeps the
    // state and the preview of the version the edit produced.
    const edits: Edit[] = [];
    const edit = async (k: number): Promise<void> => {
      const organizationId = source.id;
      const live = [...current.commands.keys()];
      let recorded: Edit;
      switch (k % 4) {
        case 0: {
          const name = `Late command ${k}`;
          const description = `added ${k}`;
          const { addCommand } = await run<{
            addCommand: { command: { id: string }; organization: { version: string } };
          }>(ADD_COMMAND, {
            input: { organizationId, name, description, command: 'uptime', commandType: 'LINUX', user: ROOT },
          });
          current.commands.set(addCommand.command.id, { name, description });
          recorded = { k, version: addCommand.organization.version, kind: 'ADD', name };
          break;
        }
        case 1: {
          const commandId = live[k % live.length]!;
          const description = `edit ${k}`;
          const { updateCommand } = await run<{ updateCommand: { organization: { version: string } } }>(
            UPDATE_COMMAND,
            { input: { organizationId, commandId, description } },
          );
          current.commands.set(commandId, { ...current.commands.get(commandId)!, description });
          recorded = { k, version: updateCommand.organization.version, kind: 'UPDATE', description };
          break;
        }
        case 2: {
          const commandId = live[0]!;
          const { removeCommand } = await run<{ removeCommand: { organization: { version: string } } }>(
            REMOVE_COMMAND,
            { input: { organizationId, commandId } },
          );
          const name = current.commands.get(commandId)!.name;
          current.commands.delete(commandId);
          recorded = { k, version: removeCommand.organization.version, kind: 'REMOVE', name };
          break;
        }
        default: {
          const idle = 100 + k;
          const { updateOrganizationSettings } = await run<{
            updateOrganizationSettings: { version: string };
          }>(UPDATE_SETTINGS, {
            input: { organizationId, settings: { userPortal: { idleSessionDurationMinutes: idle } } },
          });
          current.idle = idle;
          recorded = { k, version: updateOrganizationSettings.version, kind: 'SETTINGS', idle };
        }
      }
      edits.push(recorded);
      statesAt.set(recorded.version, copyOf(current));
      const previewed = await preview();
      // Nobody else edits the source: the preview reads exactly the version the edit made.
      expect(previewed.sourceVersion).toBe(recorded.version);
      previewsAt.set(recorded.version, previewed);
    };

    let editing = true;
    let editorFailure: unknown = null;
    const editor = (async () => {
      for (let k = 0; editing; k++) await edit(k);
    })().catch((error: unknown) => {
      editorFailure = error;
    });
    const editorAlive = () => {
      if (editorFailure) throw editorFailure;
    };
    const untilEdits = async (count: number) => {
      for (editorAlive(); edits.length < count; editorAlive()) await sleep(10);
    };
    await untilEdits(3);

    let requested: { id: string; sourceVersion: string }[] = [];
    try {
      // When 20 clones are requested at once (staggered by 100 ms so that they see several versions)
      requested = await Promise.all(
        Array.from({ length: CLONES }, async (_unused, index) => {
          await sleep(index * 100);
          const { cloneOrganization } = await run<{
            cloneOrganization: {
              id: string;
              status: string;
              sourceVersion: string;
              targetOrganizationId: string;
            };
          }>(CLONE, {
            input: {
              sourceOrganizationId: source.id,
              name: `Load Clone ${index}`,
              idempotencyKey: `load-clone-${index}`,
            },
          });
          expect(['PENDING', 'RUNNING', 'COMPLETED']).toContain(cloneOrganization.status);
          return cloneOrganization;
        }),
      );
      // and the editor keeps going until every clone has completed.
      const deadline = Date.now() + 240_000;
      let pending = requested.map((operation) => operation.id);
      while (pending.length > 0) {
        editorAlive();
        expect(Date.now(), `clones still running: ${pending.join(', ')}`).toBeLessThan(deadline);
        const statuses = await Promise.all(
          pending.map(async (id) => ({
            id,
            ...(await run<{ cloneOperation: { status: string; failure: unknown } }>(STATUS, { id }))
              .cloneOperation,
          })),
        );
        for (const { id, status, failure } of statuses) {
          expect(status, `clone ${id}: ${JSON.stringify(failure)}`).not.toBe('FAILED');
        }
        pending = statuses.filter(({ status }) => status !== 'COMPLETED').map(({ id }) => id);
        if (pending.length > 0) await sleep(200);
      }
      await untilEdits(edits.length + 2);
    } finally {
      editing = false;
      await editor;
    }
    editorAlive();

    // Then every clone is its own plan: the preview of the source as of the version it recorded
    const versions = new Set<string>();
    const signatures = new Set<string>();
    for (const [index, { id, sourceVersion }] of requested.entries()) {
      versions.add(sourceVersion);
      const previewed = previewsAt.get(sourceVersion);
      expect(
        previewed,
        `clone ${index} recorded version ${sourceVersion}, which no edit produced`,
      ).toBeDefined();
      const { cloneOperation: done } = await run<{
        cloneOperation: {
          status: string;
          sourceVersion: string;
          targetOrganizationId: string;
          progress: { done: number; total: number };
          totals: Totals[];
          verification: { valid: boolean; eventsChecked: number; firstMismatch: unknown };
        };
      }>(OPERATION, { id });
      const audit = await allItems(
        async (after) =>
          (await run<{ cloneOperation: { audit: ItemPage } }>(AUDIT, { id, after })).cloneOperation.audit,
      );
      expect(done.verification, `clone ${index}`).toMatchObject({ valid: true, firstMismatch: null });
      expect(done.status).toBe('COMPLETED');
      expect(done.totals).toEqual(previewed!.totals);
      expect(audit.map(withoutNewId)).toEqual(previewed!.items);
      const planTotal = done.totals.reduce((sum, row) => sum + row.total, 0);
      expect(audit).toHaveLength(planTotal);
      expect(done.progress).toEqual({ done: planTotal, total: planTotal });

      // its new organization holds the copied items of that plan, kind by kind, with the new ids
      const target = await contentOf(done.targetOrganizationId);
      const copied = (kind: string) =>
        audit
          .filter((item) => item.kind === kind && ['COPIED', 'COPIED_WITH_OMISSIONS'].includes(item.outcome))
          .map((item) => item.newId)
          .sort();
      const idsOf = (items: { id: string }[]) => items.map((item) => item.id).sort();
      expect(idsOf(target.commands)).toEqual(copied('COMMAND'));
      expect(idsOf(target.policies)).toEqual(copied('POLICY'));
      expect(idsOf(target.policyGroups)).toEqual(copied('POLICY_GROUP'));
      expect(idsOf(target.userGroups)).toEqual(copied('USER_GROUP'));
      expect(idsOf(target.deviceGroups)).toEqual(copied('DEVICE_GROUP'));
      expect(idsOf(target.ipLists)).toEqual(copied('IP_LIST'));
      expect(idsOf(target.conditionalAccessPolicies)).toEqual(copied('CONDITIONAL_ACCESS_POLICY'));
      const copiedByTotals = (categories: string[]) =>
        done.totals
          .filter((row) => categories.includes(row.category))
          .reduce((sum, row) => sum + row.copied + row.copiedWithOmissions, 0);
      expect(target.commands).toHaveLength(copiedByTotals(['COMMANDS']));

      // and exactly the source's commands and settings as of that version: no later edit leaks in.
      const expected = statesAt.get(sourceVersion)!;
      const commands = [...commandsOf(target).values()].sort((a, b) => a.name.localeCompare(b.name));
      expect(commands).toEqual([...expected.commands.values()].sort((a, b) => a.name.localeCompare(b.name)));
      expect(target.settings.userPortal.idleSessionDurationMinutes).toBe(expected.idle);
      const names = new Set(commands.map((command) => command.name));
      const descriptions = new Set(commands.map((command) => command.description));
      for (const later of edits.filter((made) => BigInt(made.version) > BigInt(sourceVersion))) {
        if (later.kind === 'ADD') expect(names, `clone ${index}, edit ${later.k}`).not.toContain(later.name);
        if (later.kind === 'UPDATE')
          expect(descriptions, `clone ${index}, edit ${later.k}`).not.toContain(later.description);
        if (later.kind === 'SETTINGS')
          expect(target.settings.userPortal.idleSessionDurationMinutes).not.toBe(later.idle);
      }
      for (const earlier of edits.filter((made) => BigInt(made.version) <= BigInt(sourceVersion))) {
        if (earlier.kind === 'REMOVE')
          expect(names, `clone ${index}, edit ${earlier.k}`).not.toContain(earlier.name);
      }
      signatures.add(
        JSON.stringify({ commands, idle: target.settings.userPortal.idleSessionDurationMinutes }),
      );
    }
    // Clones of different versions differ as their versions do.
    expect(versions.size).toBeGreaterThanOrEqual(2);
    const expectedSignatures = new Set(
      [...versions].map((version) => {
        const state = statesAt.get(version)!;
        const commands = [...state.commands.values()].sort((a, b) => a.name.localeCompare(b.name));
        return JSON.stringify({ commands, idle: state.idle });
      }),
    );
    expect(signatures).toEqual(expectedSignatures);

    // And every acknowledged edit is in the source afterwards.
    const final = await contentOf(source.id);
    expect(commandsOf(final)).toEqual(current.commands);
    const adds = edits.filter((made) => made.kind === 'ADD').length;
    const removes = edits.filter((made) => made.kind === 'REMOVE').length;
    expect(final.commands).toHaveLength(initial.commands.length + adds - removes);
    expect(final.settings.userPortal.idleSessionDurationMinutes).toBe(current.idle);
    console.log(
      `20 clones under edits: ${edits.length} source edits, clones of ${versions.size} source versions, ` +
        `${previewsAt.get(initial.version)!.items.length} plan items at the start`,
    );
  },
);

// ---------------------------------------------------------------------------------------------

const ROLES = ['Administrator With Billing', 'Administrator', 'Manager', 'Read Only'] as const;
type Role = (typeof ROLES)[number];

type Kind = 'COMMAND' | 'POLICY' | 'USER_GROUP';

/** An acknowledged write as its organization's event stream records it. */
interface Write {
  type: string;
  id: string;
  value?: string | number;
}

interface Worker {
  index: number;
  role: Role;
  key: string;
  organizationId: string;
  /** Its own randomness: with the printed seed, each client makes the same choices again. */
  chance: () => number;
  live: Record<Kind, Map<string, { name: string; text: string }>>;
  idle: number | null;
  writes: Write[];
  names: number;
}

interface Sample {
  operation: string;
  latencyMs: number;
  status: number;
  codes: string[];
}

interface Reply<Data> {
  status: number;
  data?: Data | null;
  errors?: GraphQLError[];
}

/** One request as a client sends it: latency, HTTP status and error codes are what gets measured. */
async function request<Data>(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Reply<Data> & { latencyMs: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const latencyMs = performance.now() - started;
  try {
    return { status: response.status, latencyMs, ...(JSON.parse(text) as Omit<Reply<Data>, 'status'>) };
  } catch {
    return {
      status: response.status,
      latencyMs,
      errors: [{ message: text.slice(0, 200), extensions: { code: `HTTP_${response.status}` } }],
    };
  }
}

/** The fields of the organization events that the writes of this test record. */
interface RecordedData {
  command?: { id: string; description: string };
  commandId?: string;
  policy?: { id: string; notes: string };
  policyId?: string;
  userGroup?: { id: string; description: string };
  userGroupId?: string;
  category?: string;
  settings?: { idleSessionDurationMinutes?: number };
}

/** A recorded event as the `Write` that produced it (other events keep only their type). */
function writeOf(type: string, data: RecordedData): Write {
  switch (type) {
    case 'CommandAdded':
      return { type, id: data.command!.id };
    case 'CommandUpdated':
      return { type, id: data.command!.id, value: data.command!.description };
    case 'CommandRemoved':
      return { type, id: data.commandId! };
    case 'PolicyAdded':
      return { type, id: data.policy!.id };
    case 'PolicyUpdated':
      return { type, id: data.policy!.id, value: data.policy!.notes };
    case 'PolicyRemoved':
      return { type, id: data.policyId! };
    case 'UserGroupAdded':
      return { type, id: data.userGroup!.id };
    case 'UserGroupUpdated':
      return { type, id: data.userGroup!.id, value: data.userGroup!.description };
    case 'UserGroupRemoved':
      return { type, id: data.userGroupId! };
    case 'SettingsUpdated':
      return { type: `${type} ${data.category}`, id: '', value: data.settings!.idleSessionDurationMinutes! };
    default:
      return { type, id: '' };
  }
}

it(
  `serves ${CLIENTS} concurrent clients for ${LOAD_SECONDS} s with no error but the intended refusals, losing no acknowledged write`,
  { timeout: LOAD_SECONDS * 1_000 + 240_000 },
  async () => {
    const seed = Number(process.env.ORGCLONE_LOAD_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const chance = random(seed);

    // Given a provider with a source to preview and 50 administrators of random roles (each role at
    // least once), each with its own key and its own organization
    const server = (api = await startApiServer());
    const providerId = (await server.provider('PAID')).id;
    const setup = await server.administrator(providerId);
    const source = await seedOrganization(server, setup.key, {
      name: 'Load Preview Source',
      size: 8,
      marker: 'loadPreviewMarker',
      administratorIds: [setup.administrator.id],
    });
    const workers: Worker[] = [];
    for (let index = 0; index < CLIENTS; index++) {
      const role = index < ROLES.length ? ROLES[index]! : pick(chance, ROLES);
      const { key } = await server.administrator(providerId, role);
      const organizationId = await createOrganization(server, setup.key, `Load Client ${index}`);
      workers.push({
        index,
        role,
        key,
        organizationId,
        chance: random(seed + 1 + index),
        live: { COMMAND: new Map(), POLICY: new Map(), USER_GROUP: new Map() },
        idle: null,
        writes: [],
        names: 0,
      });
    }
    const eventsBefore = await server.eventCount();
    const streamOf = async (organizationId: string) => {
      const events: Write[] = [];
      for await (const event of server.runtime.store.readStream(organizationStreamId(organizationId))) {
        events.push(writeOf(event.type, event.data as RecordedData));
      }
      return events;
    };
    const streamsBefore = new Map(
      await Promise.all(
        workers.map(async (worker) => [worker.index, await streamOf(worker.organizationId)] as const),
      ),
    );

    const samples: Sample[] = [];
    const unexpected: string[] = [];
    const intended = new Map<string, number>();

    /**
     * Sends one request and classifies its answer. `refusal` is the error the test provokes on
     * purpose; anything else that is not a success is unexpected. Returns the data of a success.
     */
    const send = async <Data>(
      worker: Worker,
      operation: string,
      query: string,
      variables: Record<string, unknown>,
      refusal?: { code: string; reason?: string },
    ): Promise<Data | null> => {
      let reply: Reply<Data> & { latencyMs: number };
      try {
        reply = await request<Data>(server.url, worker.key, query, variables);
      } catch (error) {
        unexpected.push(`${operation} (client ${worker.index}): ${String(error)}`);
        return null;
      }
      const codes = (reply.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
      samples.push({ operation, latencyMs: reply.latencyMs, status: reply.status, codes });
      const [only] = reply.errors ?? [];
      if (refusal) {
        if (
          reply.errors?.length === 1 &&
          only!.extensions?.code === refusal.code &&
          (refusal.reason === undefined || only!.extensions.reason === refusal.reason)
        ) {
          const label = [refusal.code, refusal.reason].filter(Boolean).join(' ');
          intended.set(label, (intended.get(label) ?? 0) + 1);
        } else {
          unexpected.push(
            `${operation} (client ${worker.index}, ${worker.role}): expected ${JSON.stringify(refusal)}, got ${reply.status} ${JSON.stringify(reply.errors ?? reply.data)}`,
          );
        }
        return null;
      }
      if (reply.status !== 200 || reply.errors?.length || !reply.data) {
        unexpected.push(
          `${operation} (client ${worker.index}, ${worker.role}): ${reply.status} ${JSON.stringify(reply.errors)}`,
        );
        return null;
      }
      return reply.data;
    };

    const nameOf = (worker: Worker, kind: string) => `W${worker.index} ${kind} ${worker.names++}`;

    /** One configuration write on the worker's own organization, recorded when acknowledged. */
    const write = async (worker: Worker): Promise<void> => {
      const on = { organizationId: worker.organizationId };
      if (worker.role === 'Read Only') {
        const attempt = pick(worker.chance, [
          'addCommand',
          'addUserGroup',
          'updateOrganizationSettings',
        ] as const);
        const [query, input] =
          attempt === 'addCommand'
            ? [
                ADD_COMMAND,
                {
                  ...on,
                  name: nameOf(worker, 'command'),
                  command: 'uptime',
                  commandType: 'LINUX',
                  user: ROOT,
                },
              ]
            : attempt === 'addUserGroup'
              ? [ADD_USER_GROUP, { ...on, name: nameOf(worker, 'users') }]
              : [UPDATE_SETTINGS, { ...on, settings: { userPortal: { idleSessionDurationMinutes: 30 } } }];
        await send(worker, attempt, query, { input }, { code: 'FORBIDDEN' });
        return;
      }
      const kind = pick(worker.chance, [
        'COMMAND',
        'COMMAND',
        'POLICY',
        'USER_GROUP',
        'SETTINGS',
        'CONFLICT',
      ] as const);
      if (kind === 'SETTINGS') {
        // A value other than the current one: an update that changes nothing records nothing.
        const idle = 1 + (((worker.idle ?? 0) + 1 + Math.floor(worker.chance() * 1_000)) % 129_600);
        const data = await send<{ updateOrganizationSettings: unknown }>(
          worker,
          'updateOrganizationSettings',
          UPDATE_SETTINGS,
          {
            input: { ...on, settings: { userPortal: { idleSessionDurationMinutes: idle } } },
          },
        );
        if (data) {
          worker.idle = idle;
          worker.writes.push({ type: 'SettingsUpdated USER_PORTAL', id: '', value: idle });
        }
        return;
      }
      if (kind === 'CONFLICT') {
        // User groups' names are unique in an organization (commands' are not, as in JumpCloud).
        const taken = [...worker.live.USER_GROUP.values()][0];
        if (taken) {
          await send(
            worker,
            'addUserGroup (name taken)',
            ADD_USER_GROUP,
            { input: { ...on, name: taken.name } },
            { code: 'CONFLICT', reason: 'NAME_TAKEN' },
          );
          return;
        }
      }
      const target = kind === 'CONFLICT' ? 'USER_GROUP' : kind;
      const live = worker.live[target];
      const action =
        live.size === 0
          ? 'add'
          : live.size > 12
            ? pick(worker.chance, ['update', 'remove'] as const)
            : pick(worker.chance, ['add', 'add', 'update', 'remove'] as const);
      const id = live.size > 0 ? pick(worker.chance, [...live.keys()]) : '';
      const text = `text ${worker.names++}`;
      const event = { COMMAND: 'Command', POLICY: 'Policy', USER_GROUP: 'UserGroup' }[target];
      if (action === 'add') {
        const name = nameOf(worker, target.toLowerCase());
        const [operation, query, input, field] =
          target === 'COMMAND'
            ? [
                'addCommand',
                ADD_COMMAND,
                { ...on, name, description: text, command: 'uptime', commandType: 'LINUX', user: ROOT },
                'command',
              ]
            : target === 'POLICY'
              ? [
                  'addPolicy',
                  ADD_POLICY,
                  {
                    ...on,
                    name,
                    notes: text,
                    templateId: WIFI_TEMPLATE.id,
                    values: [
                      { configFieldID: WIFI_TEMPLATE.ssid, value: 'office' },
                      { configFieldID: WIFI_TEMPLATE.encryption, value: 'WPA2' },
                      { configFieldID: WIFI_TEMPLATE.password, value: 'wifi-password', sensitive: true },
                      { configFieldID: WIFI_TEMPLATE.autoJoin, value: true },
                    ],
                  },
                  'policy',
                ]
              : ['addUserGroup', ADD_USER_GROUP, { ...on, name, description: text }, 'userGroup'];
        const data = await send<Record<string, Record<string, { id: string }>>>(worker, operation, query, {
          input,
        });
        if (data) {
          const added = data[operation]![field]!.id;
          live.set(added, { name, text });
          worker.writes.push({ type: `${event}Added`, id: added });
        }
        return;
      }
      if (action === 'update') {
        const [operation, query, input] =
          target === 'COMMAND'
            ? ['updateCommand', UPDATE_COMMAND, { ...on, commandId: id, description: text }]
            : target === 'POLICY'
              ? ['updatePolicy', UPDATE_POLICY, { ...on, policyId: id, notes: text }]
              : ['updateUserGroup', UPDATE_USER_GROUP, { ...on, userGroupId: id, description: text }];
        if (await send(worker, operation, query, { input })) {
          live.set(id, { ...live.get(id)!, text });
          worker.writes.push({ type: `${event}Updated`, id, value: text });
        }
        return;
      }
      const [operation, query, input] =
        target === 'COMMAND'
          ? ['removeCommand', REMOVE_COMMAND, { ...on, commandId: id }]
          : target === 'POLICY'
            ? ['removePolicy', REMOVE_POLICY, { ...on, policyId: id }]
            : ['removeUserGroup', REMOVE_USER_GROUP, { ...on, userGroupId: id }];
      if (await send(worker, operation, query, { input })) {
        live.delete(id);
        worker.writes.push({ type: `${event}Removed`, id });
      }
    };

    const step = async (worker: Worker): Promise<void> => {
      const roll = worker.chance();
      if (roll < 0.15) {
        await send(worker, 'clonePreview', WORKER_PREVIEW, {
          input: { sourceOrganizationId: source.id, name: `Preview ${worker.index}` },
        });
      } else if (roll < 0.3) {
        await send(worker, 'organizations', ORGANIZATIONS, {});
      } else if (roll < 0.5) {
        await send(worker, 'organization', ORGANIZATION, {
          id: roll < 0.35 ? source.id : worker.organizationId,
        });
      } else {
        await write(worker);
      }
    };

    // When every client loops over the mix for the load duration
    const started = performance.now();
    const deadline = Date.now() + LOAD_SECONDS * 1_000;
    await Promise.all(
      workers.map(async (worker) => {
        while (Date.now() < deadline) await step(worker);
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1_000;

    // Then nothing failed but what the test provoked
    expect(unexpected.slice(0, 20), `${unexpected.length} unexpected errors (seed ${seed})`).toEqual([]);

    // and every acknowledged write is in the organization read through the API and in its stream.
    let found = 0;
    let acknowledged = 0;
    for (const worker of workers) {
      const content = dataOf(
        await server.graphql<{ organization: Content }>(setup.key, ORGANIZATION_CONTENT, {
          id: worker.organizationId,
        }),
      ).organization;
      const read = {
        COMMAND: new Map(
          content.commands.map((item) => [item.id, { name: item.name, text: item.description }]),
        ),
        POLICY: new Map(content.policies.map((item) => [item.id, { name: item.name, text: item.notes }])),
        USER_GROUP: new Map(
          content.userGroups.map((item) => [item.id, { name: item.name, text: item.description }]),
        ),
      };
      expect(read, `client ${worker.index} (${worker.role})`).toEqual(worker.live);
      if (worker.idle !== null)
        expect(content.settings.userPortal.idleSessionDurationMinutes).toBe(worker.idle);

      const before = streamsBefore.get(worker.index)!;
      const recorded = (await streamOf(worker.organizationId)).slice(before.length);
      // Each acknowledged write, in order, among the events its organization recorded since.
      let cursor = 0;
      for (const written of worker.writes) {
        const at = recorded.findIndex(
          (event, index) => index >= cursor && JSON.stringify(event) === JSON.stringify(written),
        );
        if (at >= 0) {
          found++;
          cursor = at + 1;
        }
      }
      acknowledged += worker.writes.length;
      expect(recorded, `client ${worker.index} (${worker.role})`).toEqual(worker.writes);
    }
    const eventsAfter = await server.eventCount();
    expect(found).toBe(acknowledged);
    expect(eventsAfter - eventsBefore).toBeGreaterThanOrEqual(acknowledged);
    expect(acknowledged).toBeGreaterThan(0);
    expect(intended.get('FORBIDDEN') ?? 0).toBeGreaterThan(0);
    expect(intended.get('CONFLICT NAME_TAKEN') ?? 0).toBeGreaterThan(0);

    const latencies = samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
    const intendedCount = [...intended.values()].reduce((sum, count) => sum + count, 0);
    const roles = ROLES.map((role) => `${role}: ${workers.filter((worker) => worker.role === role).length}`);
    console.log(
      `load: ${CLIENTS} clients (${roles.join(', ')}) × ${LOAD_SECONDS} s, seed ${seed}: ` +
        `${samples.length} requests, ${(samples.length / elapsedSeconds).toFixed(1)} req/s, ` +
        `errors ${unexpected.length} other than intended, intended conflicts ${intendedCount} ` +
        `(${[...intended].map(([label, count]) => `${label} ${count}`).join(', ')}), ` +
        `latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms p99 ${percentile(latencies, 0.99).toFixed(1)} ms, ` +
        `acknowledged writes found ${found}/${acknowledged}, events +${eventsAfter - eventsBefore}`,
    );
  },
);
