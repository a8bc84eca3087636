import { afterEach, describe, expect, it } from 'vitest';
import { auditDigest, auditFromPlan } from '../../../src/domain/clone/audit.js';
import { totalsOf } from '../../../src/domain/clone/totals.js';
import type { AuditRow } from '../../../src/domain/clone/audit.js';
import { clonesProjection } from '../../../src/projections/clones/projection.js';
import type { CloneReadModel } from '../../../src/projections/clones/queries.js';
import { auditListKey, cloneOperationListKey } from '../../../src/projections/clones/queries.js';
import { dumpReadModel } from '../../../src/projections/read-model-db.js';
import { rebuildProjections } from '../../../src/projections/rebuild.js';
import { organization, richSource } from '../../domain/clone/fixtures.js';
import type { CloneEnvironment } from './support/environment.js';
import { ADAPTERS, cloneEnvironment } from './support/environment.js';
import {
  clonePlan,
  CloneStreamWriter,
  createOrganization,
  OTHER_PROVIDER_ID,
  PROVIDER_ID,
  steppingClock,
} from './support/clone-streams.js';

function wholeAudit(readModel: CloneReadModel, cloneId: string, pageSize = 7): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let after: string | null = null; ;) {
    const page = readModel.auditPage(cloneId, { first: pageSize, after });
    rows.push(...page);
    if (page.length < pageSize) return rows;
    after = auditListKey(page.at(-1)!);
  }
}

describe.each(ADAPTERS)('clone read models on the %s event store', (adapter) => {
  let env: CloneEnvironment;
  afterEach(async () => {
    await env?.close();
  });

  async function withSource(source = richSource()) {
    env = await cloneEnvironment(adapter);
    await createOrganization(env.store, source);
    return source;
  }

  it('hold, after a whole clone, the plan’s audit row for row and the completed operation', async () => {
    const source = await withSource();
    const plan = clonePlan(source, 'c1');
    const { readModel, reach } = await env.follow(env.openDb(), 17);
    const writer = new CloneStreamWriter(
      env.store,
      plan,
      steppingClock(Date.parse('2025-03-01T10:00:00.000Z')),
    );

    await reach(await writer.runToCompletion());

    const expected = auditFromPlan(plan);
    expect(wholeAudit(readModel, 'c1')).toEqual(expected);
    expect(readModel.getCloneOperation('c1')).toEqual({
      id: 'c1',
      providerId: PROVIDER_ID,
      sourceOrganizationId: source.id,
      newOrganizationId: plan.newOrganizationId,
      name: plan.name,
      requestedBy: 'admin-1',
      idempotencyKey: null,
      selection: plan.selection,
      status: 'completed',
      phase: expected.at(-1)!.category,
      progress: { done: expected.length, total: expected.length },
      attempt: 1,
      requestedAt: '2025-03-01T10:00:00.000Z',
      startedAt: '2025-03-01T10:00:01.000Z',
      // One append (one recordedAt) per batch of items, then the completion.
      completedAt: '2025-03-01T10:00:03.000Z',
      failedAt: null,
      discardedAt: null,
      updatedAt: '2025-03-01T10:00:03.000Z',
      planId: plan.planId,
      sourceVersion: '7',
      totals: plan.totals,
      recordedTotals: plan.totals,
      chainHash: writer.state.chainHash,
      auditDigest: auditDigest(expected),
      failure: null,
      discarded: null,
      version: String(writer.revision),
    });
    expect(readModel.auditCounts('c1')).toEqual({
      recorded: expected.length,
      total: expected.length,
      totals: plan.totals,
    });
    expect(env.logs).toEqual([]);
  });

  it('follow status, phase and progress through failure, resumption, completion and discard', async () => {
    const source = await withSource();
    const plan = clonePlan(source, 'c1');
    const items = auditFromPlan(plan);
    const { readModel, reach } = await env.follow(env.openDb());
    const writer = new CloneStreamWriter(env.store, plan);
    const operation = () => readModel.getCloneOperation('c1')!;

    await reach(await writer.request());
    expect(operation()).toMatchObject({
      status: 'requested',
      phase: null,
      progress: { done: 0, total: items.length },
      attempt: 0,
      startedAt: null,
      totals: plan.totals,
      recordedTotals: totalsOf([]),
      version: '0',
    });

    await reach(await writer.start());
    expect(operation()).toMatchObject({ status: 'running', attempt: 1, progress: { done: 0 }, version: '1' });
    const startedAt = operation().startedAt;
    expect(startedAt).not.toBeNull();

    await reach(await writer.recordItems(5));
    expect(operation()).toMatchObject({
      status: 'running',
      phase: items[4]!.category,
      progress: { done: 5, total: items.length },
      recordedTotals: totalsOf(items.slice(0, 5)),
      version: '6',
    });
    expect(readModel.auditCounts('c1')).toEqual({
      recorded: 5,
      total: items.length,
      totals: totalsOf(items.slice(0, 5)),
    });

    await reach(await writer.fail('TARGET_REFUSED', true));
    expect(operation()).toMatchObject({
      status: 'failed',
      failure: { reason: 'TARGET_REFUSED', resumable: true },
      progress: { done: 5 },
    });
    expect(operation().failedAt).not.toBeNull();

    await reach(await writer.start());
    expect(operation()).toMatchObject({
      status: 'running',
      attempt: 2,
      failure: null,
      failedAt: null,
      startedAt,
    });

    await reach(await writer.recordItems());
    expect(operation()).toMatchObject({ status: 'running', progress: { done: items.length } });
    await reach(await writer.complete());
    expect(operation()).toMatchObject({ status: 'completed', auditDigest: auditDigest(items) });
    expect(wholeAudit(readModel, 'c1')).toEqual(items);

    await reach(await writer.discard(true));
    expect(operation()).toMatchObject({
      status: 'discarded',
      discarded: { by: 'admin-1', forced: true },
      auditDigest: auditDigest(items),
      version: String(writer.revision),
    });
    expect(operation().discardedAt).not.toBeNull();
  });

  it('keep a failure that cannot be resumed', async () => {
    const source = await withSource();
    const { readModel, reach } = await env.follow(env.openDb());
    const writer = new CloneStreamWriter(env.store, clonePlan(source, 'c1'));
    await writer.request();
    await writer.start();
    await writer.recordItems(3);
    await reach(await writer.fail('SOURCE_DISCARDED', false));

    expect(readModel.getCloneOperation('c1')).toMatchObject({
      status: 'failed',
      failure: { reason: 'SOURCE_DISCARDED', resumable: false },
      progress: { done: 3 },
    });
  });

  it('page the audit in plan order, filtered by outcome and category', async () => {
    const source = await withSource();
    const plan = clonePlan(source, 'c1');
    const { readModel, reach } = await env.follow(env.openDb());
    await reach(await new CloneStreamWriter(env.store, plan).runToCompletion());
    const expected = auditFromPlan(plan);

    expect(wholeAudit(readModel, 'c1', 1)).toEqual(expected);
    const skipped = expected.filter((row) => row.outcome === 'SKIPPED');
    expect(skipped.length).toBeGreaterThan(2);
    const firstTwo = readModel.auditPage('c1', { outcome: 'SKIPPED', first: 2 });
    expect(firstTwo).toEqual(skipped.slice(0, 2));
    expect(
      readModel.auditPage('c1', { outcome: 'SKIPPED', first: 100, after: auditListKey(firstTwo[1]!) }),
    ).toEqual(skipped.slice(2));
    expect(readModel.auditPage('c1', { category: 'COMMANDS', first: 100 })).toEqual(
      expected.filter((row) => row.category === 'COMMANDS'),
    );
    expect(readModel.auditPage('c1', { category: 'POLICIES', outcome: 'SKIPPED', first: 100 })).toEqual(
      expected.filter((row) => row.category === 'POLICIES' && row.outcome === 'SKIPPED'),
    );
    expect(readModel.auditPage('unknown', { first: 10 })).toEqual([]);
    expect(() => readModel.auditPage('c1', { first: 10, after: 'x' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'after' }),
    );
  });

  it('list a provider’s clones newest first, filtered, in pages, and load them by id', async () => {
    const source = await withSource();
    const otherSource = organization({ ...richSource(), id: 'org-other', providerId: OTHER_PROVIDER_ID });
    const secondSource = organization({ ...richSource(), id: 'org-second' });
    await createOrganization(env.store, otherSource);
    await createOrganization(env.store, secondSource);
    const { readModel, reach } = await env.follow(env.openDb());
    // One clock for all clones: each is requested after the one before.
    const clock = steppingClock();
    const c1 = new CloneStreamWriter(env.store, clonePlan(source, 'c1'), clock);
    const c2 = new CloneStreamWriter(env.store, clonePlan(secondSource, 'c2'), clock);
    const c3 = new CloneStreamWriter(env.store, clonePlan(source, 'c3'), clock);
    const other = new CloneStreamWriter(env.store, clonePlan(otherSource, 'c4'), clock);
    await c1.runToCompletion();
    await c2.request();
    await c3.request();
    await c3.start();
    await reach(await other.request());

    const ids = (operations: { id: string }[]) => operations.map((operation) => operation.id);
    expect(ids(readModel.listCloneOperations(PROVIDER_ID, { first: 10 }))).toEqual(['c3', 'c2', 'c1']);
    expect(ids(readModel.listCloneOperations(OTHER_PROVIDER_ID, { first: 10 }))).toEqual(['c4']);
    expect(ids(readModel.listCloneOperations(PROVIDER_ID, { first: 10, status: 'running' }))).toEqual(['c3']);
    expect(
      ids(readModel.listCloneOperations(PROVIDER_ID, { first: 10, sourceOrganizationId: source.id })),
    ).toEqual(['c3', 'c1']);
    expect(
      ids(
        readModel.listCloneOperations(PROVIDER_ID, {
          first: 10,
          status: 'requested',
          sourceOrganizationId: source.id,
        }),
      ),
    ).toEqual([]);

    const firstPage = readModel.listCloneOperations(PROVIDER_ID, { first: 2 });
    expect(ids(firstPage)).toEqual(['c3', 'c2']);
    const after = cloneOperationListKey(firstPage[1]!);
    expect(ids(readModel.listCloneOperations(PROVIDER_ID, { first: 2, after }))).toEqual(['c1']);
    expect(() => readModel.listCloneOperations(PROVIDER_ID, { first: 2, after: '[1]' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'after' }),
    );

    const loaded = readModel.getCloneOperations(['c4', 'missing', 'c1']);
    expect(loaded.map((operation) => operation && [operation.id, operation.providerId])).toEqual([
      ['c4', OTHER_PROVIDER_ID],
      null,
      ['c1', PROVIDER_ID],
    ]);
  });

  it('rebuild from the log byte for byte as they were built live', async () => {
    const source = await withSource();
    const secondSource = organization({ ...richSource(), id: 'org-second', providerId: OTHER_PROVIDER_ID });
    await createOrganization(env.store, secondSource);
    const live = env.openDb('live.db');
    const { reach } = await env.follow(live, 13);
    const done = new CloneStreamWriter(env.store, clonePlan(source, 'c1'));
    const failed = new CloneStreamWriter(env.store, clonePlan(secondSource, 'c2'));
    const running = new CloneStreamWriter(env.store, clonePlan(source, 'c3'));
    await done.request();
    await failed.request();
    await done.start();
    await failed.start();
    await running.request();
    await failed.recordItems(4);
    await done.recordItems();
    await failed.fail('INTERNAL_ERROR', true);
    await running.start();
    await done.complete();
    await running.recordItems(9);
    await done.discard();
    await createOrganization(env.store, organization({ id: 'org-late', providerId: PROVIDER_ID }));
    await reach(await env.store.headPosition());

    const rebuilt = env.openDb('rebuilt.db');
    const result = await rebuildProjections({
      store: env.store,
      db: rebuilt,
      projections: [clonesProjection],
      pageSize: 11,
    });

    expect(result.events).toBeGreaterThan(40);
    expect(dumpReadModel(rebuilt)).toEqual(dumpReadModel(live));
    expect(dumpReadModel(rebuilt)).toContain('"c3"');
  });
});
