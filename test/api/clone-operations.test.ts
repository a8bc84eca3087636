/**
 * The clone operations over real HTTP on the real runtime (store, projections, services, clone
 * runner): the wizard from preview to discard, the audit, history and verification of a finished
 * clone, the refusals (codes and reasons), provider isolation and input bounds.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataOf, startApiServer, type ApiServer, type GraphQLResult } from './support/api-server.js';
import { createOrganization, seedOrganization, type SeededOrganization } from './support/seed.js';

const ITEM =
  'index kind category sourceId name newId outcome reasons omittedFields droppedReferences { field targetKind targetId cause }';
const TOTALS = 'category copied copiedWithOmissions resetToDefault skipped excluded total';

const PREVIEW = `
  query Preview($input: ClonePreviewInput!, $first: Int!, $after: String, $outcome: Outcome, $category: PlanCategory) {
    clonePreview(input: $input) {
      planId sourceOrganizationId sourceVersion name userCount deviceCount
      items(first: $first, after: $after, outcome: $outcome, category: $category) {
        edges { cursor node { ${ITEM} } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
      totals { ${TOTALS} }
      remap { kind sourceId newId }
      deselectionEffects {
        deselection { type category sourceId administratorId }
        excludedItems { kind sourceId name }
        affectedItems { kind sourceId name outcome outcomeIfReselected lostReferences { field targetKind targetId cause } }
      }
      preflight { code severity message field }
    }
  }`;

const OPERATION_FIELDS = `
  id status progress { done total phase } sourceOrganizationId targetOrganizationId name
  requestedAt startedAt completedAt failedAt discardedAt updatedAt planId sourceVersion idempotencyKey
  attempt chainHash auditDigest version
  selection { deselectedCategories deselectedItemIds deselectedAdminIds features { feature choice } }
  totals { ${TOTALS} } recordedTotals { ${TOTALS} }
  failure { reason resumable } discard { discardedBy forced }`;

const CLONE = `
  mutation Clone($input: CloneOrganizationInput!) {
    cloneOrganization(input: $input) { ${OPERATION_FIELDS} }
  }`;

const OPERATION = `
  query Operation($id: ID!) {
    cloneOperation(id: $id) {
      ${OPERATION_FIELDS}
      source { id displayName status }
      target { id displayName status clonedFrom { cloneId sourceOrganizationId sourceVersion } }
      requestedBy { id email roleName }
    }
  }`;

const AUDIT = `
  query Audit($id: ID!, $first: Int!, $after: String, $outcome: Outcome, $category: PlanCategory) {
    cloneOperation(id: $id) {
      audit(first: $first, after: $after, outcome: $outcome, category: $category) {
        edges { cursor node { ${ITEM} } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
  }`;

const HISTORY = `
  query History($id: ID!, $fromVersion: BigIntString, $first: Int) {
    cloneOperation(id: $id) {
      history(fromVersion: $fromVersion, first: $first) { id version globalPosition type time data metadata }
    }
  }`;

const AUDIT_AS_OF = `
  query AuditAsOf($id: ID!, $version: BigIntString!, $first: Int!, $after: String) {
    cloneOperation(id: $id) {
      auditAsOf(version: $version, first: $first, after: $after) {
        edges { cursor node { ${ITEM} } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

const VERIFICATION = `
  query Verification($id: ID!) {
    cloneOperation(id: $id) {
      verification {
        valid eventsChecked readModelVersion
        firstMismatch { version eventId type problem itemIndex field }
      }
    }
  }`;

const OPERATIONS = `
  query Operations($filter: CloneOperationFilterInput, $first: Int!, $after: String) {
    cloneOperations(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id status name sourceOrganizationId requestedAt } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }`;

const DISCARD = `
  mutation Discard($cloneId: ID!, $force: Boolean) {
    discardClonedOrganization(cloneId: $cloneId, force: $force) {
      ${OPERATION_FIELDS}
      target { id status }
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
  omittedFields: string[];
  droppedReferences: { field: string; targetKind: string; targetId: string; cause: string }[];
}

interface Totals {
  category: string;
  copied: number;
  copiedWithOmissions: number;
  resetToDefault: number;
  skipped: number;
  excluded: number;
  total: number;
}

interface ItemPage {
  edges: { cursor: string; node: Item }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage?: boolean; endCursor: string | null };
}

interface Preview {
  planId: string;
  sourceOrganizationId: string;
  sourceVersion: string;
  name: string;
  userCount: number;
  deviceCount: number;
  items: ItemPage;
  totals: Totals[];
  remap: { kind: string; sourceId: string; newId: string }[];
  deselectionEffects: {
    deselection: {
      type: string;
      category: string | null;
      sourceId: string | null;
      administratorId: string | null;
    };
    excludedItems: { kind: string; sourceId: string; name: string }[];
    affectedItems: {
      kind: string;
      sourceId: string;
      outcome: string;
      outcomeIfReselected: string;
      lostReferences: { field: string; targetKind: string; targetId: string; cause: string }[];
    }[];
  }[];
  preflight: { code: string; severity: string; message: string; field: string | null }[];
}

interface Operation {
  id: string;
  status: string;
  progress: { done: number; total: number; phase: string | null };
  sourceOrganizationId: string;
  targetOrganizationId: string;
  name: string;
  requestedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  discardedAt: string | null;
  planId: string;
  sourceVersion: string;
  idempotencyKey: string | null;
  attempt: number;
  chainHash: string | null;
  auditDigest: string | null;
  version: string;
  selection: { deselectedCategories: string[]; deselectedItemIds: string[] };
  totals: Totals[];
  recordedTotals: Totals[];
  failure: { reason: string; resumable: boolean } | null;
  discard: { discardedBy: string; forced: boolean } | null;
  source?: { id: string; displayName: string; status: string } | null;
  target?: {
    id: string;
    displayName?: string;
    status: string;
    clonedFrom?: { cloneId: string; sourceOrganizationId: string; sourceVersion: string } | null;
  } | null;
  requestedBy?: { id: string; email: string; roleName: string } | null;
}

interface HistoryEvent {
  id: string;
  version: string;
  globalPosition: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

let api: ApiServer;
let providerId: string;
let key: string;
let administratorId: string;
let source: SeededOrganization;
let readOnlyKey: string;

beforeAll(async () => {
  api = await startApiServer();
  providerId = (await api.provider('PAID')).id;
  ({
    key,
    administrator: { id: administratorId },
  } = await api.administrator(providerId));
  ({ key: readOnlyKey } = await api.administrator(providerId, 'Read Only'));
  source = await seedOrganization(api, key, {
    name: 'Acme Source',
    size: 2,
    marker: 'cloneOpsMarker1',
    administratorIds: [administratorId],
  });
});

afterAll(async () => {
  await api?.stop();
});

async function preview(
  input: Record<string, unknown>,
  page: { first?: number; after?: string; outcome?: string; category?: string } = {},
  as = key,
): Promise<Preview> {
  const data = dataOf(
    await api.graphql<{ clonePreview: Preview }>(as, PREVIEW, { input, first: 500, ...page }),
  );
  return data.clonePreview;
}

async function clone(
  input: Record<string, unknown>,
  as = key,
): Promise<GraphQLResult<{ cloneOrganization: Operation }>> {
  return api.graphql<{ cloneOrganization: Operation }>(as, CLONE, { input });
}

async function operation(id: string, as = key): Promise<GraphQLResult<{ cloneOperation: Operation }>> {
  return api.graphql<{ cloneOperation: Operation }>(as, OPERATION, { id });
}

async function completed(id: string): Promise<Operation> {
  return vi.waitFor(
    async () => {
      const { cloneOperation } = dataOf(await operation(id));
      expect(cloneOperation.status).toBe('COMPLETED');
      return cloneOperation;
    },
    { timeout: 15_000, interval: 20 },
  );
}

async function allAuditItems(id: string, filter: { outcome?: string; category?: string } = {}, first = 500) {
  const items: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const data: { cloneOperation: { audit: ItemPage } } = dataOf(
      await api.graphql<{ cloneOperation: { audit: ItemPage } }>(key, AUDIT, { id, first, after, ...filter }),
    );
    items.push(...data.cloneOperation.audit.edges.map((edge) => edge.node));
    if (!data.cloneOperation.audit.pageInfo.hasNextPage) return items;
    after = data.cloneOperation.audit.pageInfo.endCursor;
  }
}

async function history(id: string, fromVersion = '0', first = 500): Promise<HistoryEvent[]> {
  const data = dataOf(
    await api.graphql<{ cloneOperation: { history: HistoryEvent[] } }>(key, HISTORY, {
      id,
      fromVersion,
      first,
    }),
  );
  return data.cloneOperation.history;
}

function errorOf(result: GraphQLResult<unknown>) {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  return result.errors![0]!;
}

function totalsOf(totals: Totals[], category: string): Totals {
  return totals.find((row) => row.category === category)!;
}

describe('the clone wizard', () => {
  let everything: Preview;
  let narrowed: Preview;
  let cloneId: string;
  const name = 'Acme Copy';
  const idempotencyKey = 'wizard-run-0';
  const selection = () => ({
    deselectedCategories: ['COMMANDS'],
    deselectedItemIds: [source.userGroupIds[0]],
  });
  const narrowedInput = () => ({
    sourceOrganizationId: source.id,
    name,
    selection: selection(),
    idempotencyKey,
  });

  it('previews every source item exactly once, with totals that count them, writing nothing', async () => {
    const before = await api.eventCount();
    everything = await preview({ sourceOrganizationId: source.id, name });
    expect(await api.eventCount()).toBe(before);

    const items = everything.items.edges.map((edge) => edge.node);
    expect(everything.items.pageInfo.hasNextPage).toBe(false);
    expect(items.map((item) => item.index)).toEqual(items.map((_item, index) => index));
    expect(new Set(items.map((item) => `${item.kind}:${item.sourceId}`)).size).toBe(items.length);
    const total = everything.totals.reduce((sum, row) => sum + row.total, 0);
    expect(total).toBe(items.length);
    for (const id of [
      ...source.commandIds,
      ...source.policyIds,
      ...source.userGroupIds,
      ...source.deviceGroupIds,
    ]) {
      expect(items.filter((item) => item.sourceId === id)).toHaveLength(1);
    }
    expect(totalsOf(everything.totals, 'COMMANDS')).toMatchObject({ excluded: 0, total: 2 });
    expect(everything).toMatchObject({
      sourceOrganizationId: source.id,
      name,
      userCount: 2,
      deviceCount: 2,
      deselectionEffects: [],
    });
    expect(everything.preflight.filter((finding) => finding.severity === 'ERROR')).toEqual([]);
    // The remap table names the new id of each item the clone creates.
    const byKindAndId = new Map(items.map((item) => [`${item.kind}:${item.sourceId}`, item]));
    expect(everything.remap.length).toBeGreaterThan(0);
    for (const entry of everything.remap) {
      expect(byKindAndId.get(`${entry.kind}:${entry.sourceId}`)?.newId).toBe(entry.newId);
    }
  });

  it('shows what deselecting a category and an item does', async () => {
    narrowed = await preview(narrowedInput());
    expect(narrowed.planId).not.toBe(everything.planId);
    expect(narrowed.sourceVersion).toBe(everything.sourceVersion);

    const items = narrowed.items.edges.map((edge) => edge.node);
    const outcomeOf = (sourceId: string) => items.find((item) => item.sourceId === sourceId);
    expect(
      items.filter((item) => item.category === 'COMMANDS').map((item) => [item.outcome, item.reasons]),
    ).toEqual([
      ['EXCLUDED', ['EXCLUDED_BY_SELECTION']],
      ['EXCLUDED', ['EXCLUDED_BY_SELECTION']],
    ]);
    expect(outcomeOf(source.userGroupIds[0]!)).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
      newId: null,
    });
    // The access policy that includes that group is not copied (dropping the group would widen it).
    expect(outcomeOf(source.conditionalAccessPolicyIds[0]!)).toMatchObject({
      outcome: 'SKIPPED',
      reasons: ['USER_GROUP_NOT_CLONED'],
    });
    expect(outcomeOf(source.conditionalAccessPolicyIds[1]!)?.outcome).toBe('COPIED');
    expect(totalsOf(narrowed.totals, 'COMMANDS')).toMatchObject({ excluded: 2, total: 2 });
    expect(totalsOf(narrowed.totals, 'USER_GROUPS').excluded).toBe(1);
    expect(totalsOf(narrowed.totals, 'CONDITIONAL_ACCESS_POLICIES').skipped).toBe(
      totalsOf(everything.totals, 'CONDITIONAL_ACCESS_POLICIES').skipped + 1,
    );

    const [byCategory, byItem] = narrowed.deselectionEffects;
    expect(byCategory!.deselection).toEqual({
      type: 'CATEGORY',
      category: 'COMMANDS',
      sourceId: null,
      administratorId: null,
    });
    expect(byCategory!.excludedItems.map((item) => item.sourceId).sort()).toEqual(
      [...source.commandIds].sort(),
    );
    expect(byItem!.deselection).toEqual({
      type: 'ITEM',
      category: null,
      sourceId: source.userGroupIds[0],
      administratorId: null,
    });
    expect(byItem!.excludedItems).toEqual([
      { kind: 'USER_GROUP', sourceId: source.userGroupIds[0], name: 'Users 0' },
    ]);
    expect(byItem!.affectedItems).toContainEqual(
      expect.objectContaining({
        kind: 'CONDITIONAL_ACCESS_POLICY',
        sourceId: source.conditionalAccessPolicyIds[0],
        outcome: 'SKIPPED',
        outcomeIfReselected: 'COPIED',
      }),
    );
    // A preview with the key shows the ids that very clone will create.
    expect(narrowed.remap.length).toBeGreaterThan(0);
    expect(narrowed.remap).not.toEqual(everything.remap);
  });

  it('warns of deselected ids the source does not have, naming the field the client sent', async () => {
    const warned = await preview({
      sourceOrganizationId: source.id,
      name,
      selection: { deselectedItemIds: ['not-an-item'], deselectedAdminIds: ['not-an-admin'] },
    });
    expect(warned.preflight).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_ITEM',
        severity: 'WARNING',
        field: 'selection.deselectedItemIds',
      }),
      expect.objectContaining({
        code: 'UNKNOWN_ADMIN',
        severity: 'WARNING',
        field: 'selection.deselectedAdminIds',
      }),
    ]);
  });

  it('filters and pages the preview items', async () => {
    const excluded = await preview(narrowedInput(), { outcome: 'EXCLUDED', category: 'COMMANDS' });
    expect(excluded.items.edges.map((edge) => edge.node.sourceId).sort()).toEqual(
      [...source.commandIds].sort(),
    );

    const all = narrowed.items.edges.map((edge) => edge.node);
    const paged: Item[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await preview(narrowedInput(), { first: 7, ...(after ? { after } : {}) });
      expect(page.items.edges.length).toBeLessThanOrEqual(7);
      paged.push(...page.items.edges.map((edge) => edge.node));
      if (!page.items.pageInfo.hasNextPage) break;
      after = page.items.pageInfo.endCursor!;
    }
    expect(paged).toEqual(all);
  });

  it('clones with the accepted plan: the operation returns at once, then completes on the server', async () => {
    const result = await clone({ ...narrowedInput(), expectedPlanId: narrowed.planId });
    const requested = dataOf(result).cloneOrganization;
    cloneId = requested.id;
    expect(['PENDING', 'RUNNING', 'COMPLETED']).toContain(requested.status);
    expect(requested).toMatchObject({
      name,
      planId: narrowed.planId,
      sourceVersion: narrowed.sourceVersion,
      sourceOrganizationId: source.id,
      idempotencyKey,
      selection: { deselectedCategories: ['COMMANDS'], deselectedItemIds: [source.userGroupIds[0]] },
      totals: narrowed.totals,
    });
    expect(requested.progress.total).toBe(narrowed.items.edges.length);

    const done = await completed(cloneId);
    expect(done).toMatchObject({
      status: 'COMPLETED',
      progress: { done: requested.progress.total, total: requested.progress.total },
      totals: narrowed.totals,
      recordedTotals: narrowed.totals,
      attempt: 1,
      failure: null,
      discard: null,
      source: { id: source.id, displayName: 'Acme Source', status: 'ACTIVE' },
      target: {
        id: requested.targetOrganizationId,
        displayName: name,
        status: 'ACTIVE',
        clonedFrom: { cloneId, sourceOrganizationId: source.id, sourceVersion: narrowed.sourceVersion },
      },
      requestedBy: { id: administratorId, roleName: 'ADMINISTRATOR_WITH_BILLING' },
    });
    expect(done.completedAt).not.toBeNull();
    expect(done.auditDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('audits the clone item for item as previewed, filtered by outcome or category, page by page', async () => {
    const previewed = narrowed.items.edges.map((edge) => edge.node);
    expect(await allAuditItems(cloneId)).toEqual(previewed);
    expect(await allAuditItems(cloneId, {}, 5)).toEqual(previewed);

    const excluded = await allAuditItems(cloneId, { outcome: 'EXCLUDED' }, 3);
    expect(excluded).toEqual(previewed.filter((item) => item.outcome === 'EXCLUDED'));
    expect(excluded.length).toBe(narrowed.totals.reduce((sum, row) => sum + row.excluded, 0));

    const policies = await allAuditItems(cloneId, { category: 'POLICIES' });
    expect(policies).toEqual(previewed.filter((item) => item.category === 'POLICIES'));
    expect(await allAuditItems(cloneId, { category: 'COMMANDS', outcome: 'COPIED' })).toEqual([]);
  });

  it('gives the raw history, from any version', async () => {
    const events = await history(cloneId);
    const done = dataOf(await operation(cloneId)).cloneOperation;
    expect(events.map((event) => event.version)).toEqual(events.map((_event, index) => String(index)));
    expect(events[0]).toMatchObject({
      type: 'CloneRequested',
      data: { planId: narrowed.planId, requestedBy: administratorId },
    });
    expect(events[1]!.type).toBe('CloneStarted');
    expect(events.at(-1)).toMatchObject({ type: 'CloneCompleted', version: done.version });
    expect(events.at(-1)!.metadata.chainHash).toBe(done.chainHash);
    for (const event of events) {
      expect(event.metadata).toMatchObject({
        actor: expect.any(String),
        chainHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    const positions = events.map((event) => BigInt(event.globalPosition));
    expect(positions.every((position, index) => index === 0 || position > positions[index - 1]!)).toBe(true);
    expect(events.filter((event) => event.data.index !== undefined)).toHaveLength(done.progress.total);

    expect(await history(cloneId, '2', 3)).toEqual(events.slice(2, 5));
    expect(await history(cloneId, String(events.length), 10)).toEqual([]);
  });

  it('folds the audit as of any version of the history', async () => {
    const events = await history(cloneId);
    const previewed = narrowed.items.edges.map((edge) => edge.node);
    const auditAsOf = async (version: string, first = 500, after?: string) =>
      dataOf(
        await api.graphql<{ cloneOperation: { auditAsOf: ItemPage } }>(key, AUDIT_AS_OF, {
          id: cloneId,
          version,
          first,
          ...(after ? { after } : {}),
        }),
      ).cloneOperation.auditAsOf;

    expect((await auditAsOf('0')).edges).toEqual([]);
    const middle = events.findIndex((event, index) => index > 10 && event.data.index !== undefined);
    const recorded = events.slice(0, middle + 1).filter((event) => event.data.index !== undefined).length;
    const asOfMiddle = await auditAsOf(String(middle));
    expect(asOfMiddle.edges.map((edge) => edge.node)).toEqual(previewed.slice(0, recorded));

    const firstPage = await auditAsOf(String(events.length - 1), 4);
    expect(firstPage.edges.map((edge) => edge.node)).toEqual(previewed.slice(0, 4));
    const secondPage = await auditAsOf(String(events.length - 1), 4, firstPage.pageInfo.endCursor!);
    expect(secondPage.edges.map((edge) => edge.node)).toEqual(previewed.slice(4, 8));

    const beyond = await api.graphql(key, AUDIT_AS_OF, {
      id: cloneId,
      version: String(events.length),
      first: 5,
    });
    expect(errorOf(beyond).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'version' });
  });

  it('verifies the history and the read model', async () => {
    const events = await history(cloneId);
    const done = dataOf(await operation(cloneId)).cloneOperation;
    const data = dataOf(
      await api.graphql<{ cloneOperation: { verification: Record<string, unknown> } }>(key, VERIFICATION, {
        id: cloneId,
      }),
    );
    expect(data.cloneOperation.verification).toEqual({
      valid: true,
      eventsChecked: events.length,
      readModelVersion: done.version,
      firstMismatch: null,
    });
  });

  it('lists the operations newest first, filtered by status and source', async () => {
    const other = dataOf(
      await clone({
        sourceOrganizationId: source.id,
        name: 'Acme Second Copy',
        idempotencyKey: 'list-second',
      }),
    ).cloneOrganization;
    await completed(other.id);
    const list = async (variables: Record<string, unknown>) =>
      dataOf(
        await api.graphql<{
          cloneOperations: {
            edges: { cursor: string; node: Operation }[];
            pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
          };
        }>(key, OPERATIONS, variables),
      ).cloneOperations;

    const all = await list({ first: 50 });
    const ids = all.edges.map((edge) => edge.node.id);
    expect(ids.indexOf(other.id)).toBeLessThan(ids.indexOf(cloneId));
    const requestedAt = all.edges.map((edge) => edge.node.requestedAt);
    expect([...requestedAt].sort().reverse()).toEqual(requestedAt);

    const firstPage = await list({ first: 1 });
    expect(firstPage.edges.map((edge) => edge.node.id)).toEqual([ids[0]]);
    expect(firstPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await list({ first: 50, after: firstPage.pageInfo.endCursor });
    expect(rest.edges.map((edge) => edge.node.id)).toEqual(ids.slice(1));

    const completedOnes = await list({
      first: 50,
      filter: { status: 'COMPLETED', sourceOrganizationId: source.id },
    });
    expect(completedOnes.edges.map((edge) => edge.node.id)).toEqual(
      expect.arrayContaining([cloneId, other.id]),
    );
    expect(completedOnes.edges.every((edge) => edge.node.status === 'COMPLETED')).toBe(true);
    expect((await list({ first: 50, filter: { status: 'FAILED' } })).edges).toEqual([]);
    expect(
      (await list({ first: 50, filter: { sourceOrganizationId: other.targetOrganizationId } })).edges,
    ).toEqual([]);
  });

  it('discards the cloned organization: hidden, its name free again, its history kept', async () => {
    const result = await api.graphql<{ discardClonedOrganization: Operation }>(key, DISCARD, { cloneId });
    const discarded = dataOf(result).discardClonedOrganization;
    expect(discarded).toMatchObject({
      id: cloneId,
      status: 'DISCARDED',
      discard: { discardedBy: administratorId, forced: false },
      target: { status: 'DISCARDED' },
    });
    expect(discarded.discardedAt).not.toBeNull();
    const events = await history(cloneId);
    expect(events.at(-1)!.type).toBe('CloneDiscarded');
    expect(events.some((event) => event.type === 'CloneCompleted')).toBe(true);
    // The name is free again.
    await createOrganization(api, key, name);
  });
});

describe('refusals', () => {
  it('refuses a clone of a source that changed since the preview: CONFLICT PLAN_OUTDATED', async () => {
    const name = 'Acme Outdated';
    const accepted = await preview({ sourceOrganizationId: source.id, name });
    dataOf(
      await api.graphql(
        key,
        'mutation ($input: AddIpListInput!) { addIpList(input: $input) { ipList { id } } }',
        {
          input: { organizationId: source.id, name: 'Late addition', ips: ['192.168.7.0/24'] },
        },
      ),
    );
    const before = await api.eventCount();
    const refused = await clone({ sourceOrganizationId: source.id, name, expectedPlanId: accepted.planId });
    expect(errorOf(refused).extensions).toEqual({
      code: 'CONFLICT',
      reason: 'PLAN_OUTDATED',
      field: 'expectedPlanId',
    });
    expect(await api.eventCount()).toBe(before);

    const again = await preview({ sourceOrganizationId: source.id, name });
    expect(again.planId).not.toBe(accepted.planId);
    expect(BigInt(again.sourceVersion)).toBeGreaterThan(BigInt(accepted.sourceVersion));
  });

  it('returns the same operation for the same idempotency key and input; CONFLICT IDEMPOTENCY_KEY_REUSED for another input', async () => {
    const input = { sourceOrganizationId: source.id, name: 'Acme Keyed', idempotencyKey: 'wizard-run-1' };
    const first = dataOf(await clone(input)).cloneOrganization;
    expect(first.idempotencyKey).toBe('wizard-run-1');
    const second = dataOf(await clone(input)).cloneOrganization;
    expect(second.id).toBe(first.id);
    expect(second.planId).toBe(first.planId);

    const reused = await clone({ ...input, name: 'Acme Keyed Elsewhere' });
    expect(errorOf(reused).extensions).toEqual({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
      field: 'idempotencyKey',
    });
    await completed(first.id);
    // One request recorded, for the first input only.
    const requests = (await allEvents()).filter((event) => event.type === 'CloneRequested');
    expect(requests.filter((event) => event.streamId === `clone-${first.id}`)).toHaveLength(1);
    expect(
      requests.filter((event) => (event.data as { name: string }).name.startsWith('Acme Keyed')),
    ).toHaveLength(1);
  });

  it('lets a Read Only administrator preview and read, but not clone or discard: FORBIDDEN', async () => {
    const name = 'Acme Read Only';
    const previewed = await preview({ sourceOrganizationId: source.id, name }, {}, readOnlyKey);
    expect(previewed.preflight).toContainEqual(
      expect.objectContaining({ code: 'NOT_ALLOWED', severity: 'ERROR' }),
    );
    const before = await api.eventCount();
    const refused = await clone({ sourceOrganizationId: source.id, name }, readOnlyKey);
    expect(errorOf(refused).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(await api.eventCount()).toBe(before);

    const done = dataOf(await clone({ sourceOrganizationId: source.id, name })).cloneOrganization;
    await completed(done.id);
    expect(dataOf(await operation(done.id, readOnlyKey)).cloneOperation.id).toBe(done.id);
    const discard = await api.graphql(readOnlyKey, DISCARD, { cloneId: done.id });
    expect(errorOf(discard).extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it.each(['FREE', 'TRIAL'] as const)('refuses cloning on a %s plan: PAYMENT_REQUIRED', async (plan) => {
    const provider = await api.provider(plan);
    const { key: planKey } = await api.administrator(provider.id);
    const organizationId = await createOrganization(api, planKey, `${plan} Source`);
    const previewed = await preview(
      { sourceOrganizationId: organizationId, name: `${plan} Copy` },
      {},
      planKey,
    );
    expect(previewed.preflight).toContainEqual(
      expect.objectContaining({ code: 'PLAN_NOT_PAID', severity: 'ERROR' }),
    );
    const before = await api.eventCount();
    const refused = await clone({ sourceOrganizationId: organizationId, name: `${plan} Copy` }, planKey);
    expect(errorOf(refused).extensions).toEqual({ code: 'PAYMENT_REQUIRED' });
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses a Billing Only administrator reading clones: FORBIDDEN', async () => {
    const { key: billingKey } = await api.administrator(providerId, 'Billing Only');
    const [any] = dataOf(
      await api.graphql<{ cloneOperations: { edges: { node: { id: string } }[] } }>(key, OPERATIONS, {
        first: 1,
      }),
    ).cloneOperations.edges;
    expect(errorOf(await operation(any!.node.id, billingKey)).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.graphql(billingKey, OPERATIONS, { first: 5 })).extensions).toEqual({
      code: 'FORBIDDEN',
    });
  });
});

describe('provider isolation', () => {
  let otherKey: string;
  let cloneId: string;

  beforeAll(async () => {
    const other = await api.provider('PAID');
    ({ key: otherKey } = await api.administrator(other.id));
    await createOrganization(api, otherKey, 'Other Source');
    const done = dataOf(
      await clone({ sourceOrganizationId: source.id, name: 'Acme Isolated' }),
    ).cloneOrganization;
    cloneId = done.id;
    await completed(cloneId);
  });

  it("answers NOT_FOUND for another provider's source, clone and discard, as for ids that do not exist", async () => {
    const before = await api.eventCount();
    const previewed = await api.graphql(otherKey, PREVIEW, {
      input: { sourceOrganizationId: source.id, name: 'Stolen' },
      first: 5,
    });
    expect(errorOf(previewed).extensions).toEqual({ code: 'NOT_FOUND', field: 'sourceOrganizationId' });
    expect(
      errorOf(await clone({ sourceOrganizationId: source.id, name: 'Stolen' }, otherKey)).extensions,
    ).toEqual({
      code: 'NOT_FOUND',
      field: 'sourceOrganizationId',
    });
    const foreign = errorOf(await operation(cloneId, otherKey));
    const unknown = errorOf(await operation('no-such-clone', otherKey));
    expect(foreign.extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(unknown.extensions).toEqual(foreign.extensions);
    expect(errorOf(await api.graphql(otherKey, DISCARD, { cloneId, force: true })).extensions).toEqual({
      code: 'NOT_FOUND',
      field: 'cloneId',
    });
    expect(await api.eventCount()).toBe(before);

    const listed = dataOf(
      await api.graphql<{ cloneOperations: { edges: { node: { id: string } }[] } }>(otherKey, OPERATIONS, {
        first: 50,
      }),
    );
    expect(listed.cloneOperations.edges).toEqual([]);
  });

  it('shows a LINKED administrator only the clones of or into its linked organizations', async () => {
    const { key: unlinkedKey } = await api.administrator(providerId, 'Read Only', {
      orgAccess: 'LINKED',
      linkedOrganizationIds: [],
    });
    expect(errorOf(await operation(cloneId, unlinkedKey)).extensions).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    const none = dataOf(
      await api.graphql<{ cloneOperations: { edges: unknown[] } }>(unlinkedKey, OPERATIONS, { first: 50 }),
    );
    expect(none.cloneOperations.edges).toEqual([]);

    const target = dataOf(await operation(cloneId)).cloneOperation.targetOrganizationId;
    const { key: linkedKey } = await api.administrator(providerId, 'Read Only', {
      orgAccess: 'LINKED',
      linkedOrganizationIds: [target],
    });
    const seen = dataOf(await operation(cloneId, linkedKey)).cloneOperation;
    expect(seen.source).toBeNull();
    expect(seen.target).toMatchObject({ id: target });
    const listed = dataOf(
      await api.graphql<{ cloneOperations: { edges: { node: { id: string } }[] } }>(linkedKey, OPERATIONS, {
        first: 50,
      }),
    );
    expect(listed.cloneOperations.edges.map((edge) => edge.node.id)).toEqual([cloneId]);
  });
});

describe('bad input', () => {
  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name'],
    ['an idempotency key of 129 characters', { idempotencyKey: 'k'.repeat(129) }, 'idempotencyKey'],
    ['an unknown category', { selection: { deselectedCategories: ['NOT_A_CATEGORY'] } }, null],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, change, field) => {
    const before = await api.eventCount();
    const refused = await clone({ sourceOrganizationId: source.id, name: 'Acme Bad Input', ...change });
    const error = errorOf(refused);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    if (field) expect(error.extensions?.field ?? error.message).toContain(field);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses pages over 500 and cursors of other lists', async () => {
    const [any] = dataOf(
      await api.graphql<{ cloneOperations: { edges: { node: { id: string } }[] } }>(key, OPERATIONS, {
        first: 1,
      }),
    ).cloneOperations.edges;
    const id = any!.node.id;
    expect(errorOf(await api.graphql(key, OPERATIONS, { first: 501 })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect(errorOf(await api.graphql(key, HISTORY, { id, first: 501 })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect(errorOf(await api.graphql(key, AUDIT, { id, first: 501 })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    const listCursor = dataOf(
      await api.graphql<{ cloneOperations: { pageInfo: { endCursor: string } } }>(key, OPERATIONS, {
        first: 1,
      }),
    ).cloneOperations.pageInfo.endCursor;
    expect(
      errorOf(await api.graphql(key, AUDIT, { id, first: 5, after: listCursor })).extensions,
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});

async function allEvents() {
  const events = [];
  for await (const event of api.runtime.store.readAll()) events.push(event);
  return events;
}
