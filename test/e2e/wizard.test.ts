/**
 * The clone wizard end to end, as a frontend drives it, with the typed documents GraphQL Code
 * Generator makes from `test/operations` (a stale document fails to type-check): over real HTTP
 * with `fetch` and over a real graphql-ws client, on the real runtime.
 *
 * list → preview → deselect → preview again → clone with expectedPlanId → follow the progress to
 * the end → review the audit → history → audit as of an event → verification → history list →
 * discard.
 */
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrganizationsDocument,
  WizardAuditAsOfDocument,
  WizardCloneDocument,
  WizardDiscardDocument,
  WizardHistoryDocument,
  WizardHistoryListDocument,
  WizardPreviewDocument,
  WizardProgressDocument,
  WizardReviewDocument,
  type CloneItemFieldsFragment,
  type ClonePreviewInput,
  type CloneSelectionInput,
  type WizardPreviewQuery,
  type WizardProgressSubscription,
} from '../generated/graphql.js';
import { dataOf, startApiServer, type ApiServer } from '../api/support/api-server.js';
import { seedOrganization, type SeededOrganization } from '../api/support/seed.js';

let api: ApiServer;
let key: string;
let source: SeededOrganization;
let client: Client;

beforeAll(async () => {
  api = await startApiServer();
  const provider = await api.provider('PAID');
  const admin = await api.administrator(provider.id, 'Administrator With Billing');
  const reader = await api.administrator(provider.id, 'Read Only');
  key = admin.key;
  source = await seedOrganization(api, key, {
    name: 'Acme Source',
    size: 4,
    marker: 'wizard',
    administratorIds: [admin.administrator.id, reader.administrator.id],
  });
  client = api.connect(key);
});

afterAll(async () => {
  await client?.dispose();
  await api?.stop();
});

/** Every item of a preview, page by page, as the wizard's review table loads them. */
async function previewItems(input: ClonePreviewInput): Promise<CloneItemFieldsFragment[]> {
  const items: CloneItemFieldsFragment[] = [];
  let after: string | null = null;
  for (;;) {
    const page: WizardPreviewQuery['clonePreview']['items'] = (await preview(input, 7, after)).clonePreview
      .items;
    items.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return items;
    after = page.pageInfo.endCursor;
  }
}

async function preview(input: ClonePreviewInput, first = 500, after: string | null = null) {
  return dataOf(await api.execute(key, WizardPreviewDocument, { input, first, after }));
}

function follow(cloneId: string): Promise<WizardProgressSubscription['cloneProgress'][]> {
  const updates: WizardProgressSubscription['cloneProgress'][] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<WizardProgressSubscription>(
      { query: print(WizardProgressDocument), variables: { cloneId } },
      {
        next: (result) => {
          if (result.errors) reject(new Error(JSON.stringify(result.errors)));
          else if (result.data) updates.push(result.data.cloneProgress);
        },
        error: reject,
        complete: () => resolve(updates),
      },
    );
  });
}

describe('the clone wizard', () => {
  it('takes an admin from the organization list to a verified clone, and discards it', async () => {
    // 1. Pick the source from the list.
    const listed = dataOf(await api.execute(key, OrganizationsDocument, { first: 50, search: 'acme' }));
    expect(listed.organizations.edges.map((edge) => edge.node)).toEqual([
      { id: source.id, displayName: 'Acme Source' },
    ]);

    // 2. Preview everything, then deselect user groups and one command.
    const base = { sourceOrganizationId: source.id, name: 'Acme Copy', idempotencyKey: 'wizard-1' };
    const full = await preview(base);
    expect(full.clonePreview.preflight.filter((finding) => finding.severity === 'ERROR')).toEqual([]);
    const deselectedCommand = source.commandIds[0]!;
    const selection: CloneSelectionInput = {
      deselectedCategories: ['USER_GROUPS'],
      deselectedItemIds: [deselectedCommand],
    };
    const chosen = await preview({ ...base, selection });
    const plan = chosen.clonePreview;
    expect(plan.planId).not.toBe(full.clonePreview.planId);
    const effects = plan.deselectionEffects.map((effect) => effect.deselection);
    expect(effects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'USER_GROUPS' }),
        expect.objectContaining({ sourceId: deselectedCommand }),
      ]),
    );
    const planned = await previewItems({ ...base, selection });
    expect(planned.find((item) => item.sourceId === deselectedCommand)).toMatchObject({
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
      newId: null,
    });
    for (const groupId of source.userGroupIds) {
      expect(planned.find((item) => item.sourceId === groupId)?.outcome).toBe('EXCLUDED');
    }

    // 3. Clone what was previewed; follow it to the end.
    const operation = dataOf(
      await api.execute(key, WizardCloneDocument, {
        input: { ...base, selection, expectedPlanId: plan.planId },
      }),
    ).cloneOrganization;
    expect(['PENDING', 'RUNNING', 'COMPLETED']).toContain(operation.status);
    expect(operation.planId).toBe(plan.planId);
    const updates = await follow(operation.id);
    const last = updates.at(-1)!;
    expect(last).toMatchObject({ cloneId: operation.id, status: 'COMPLETED', terminal: true });
    expect(last.progress.done).toBe(planned.length);
    expect(last.progress.total).toBe(planned.length);
    expect(updates.slice(0, -1).every((update) => !update.terminal)).toBe(true);
    expect(last.totals).toEqual(plan.totals);

    // 4. Review: the audit is the preview, item for item, and it verifies.
    const audited: CloneItemFieldsFragment[] = [];
    let after: string | null = null;
    let review;
    for (;;) {
      review = dataOf(
        await api.execute(key, WizardReviewDocument, { id: operation.id, first: 5, after }),
      ).cloneOperation!;
      audited.push(...review.audit.edges.map((edge) => edge.node));
      if (!review.audit.pageInfo.hasNextPage) break;
      after = review.audit.pageInfo.endCursor;
    }
    expect(audited).toEqual(planned);
    expect(review.status).toBe('COMPLETED');
    expect(review.auditDigest).toBe(last.auditDigest);
    expect(review.verification).toMatchObject({ valid: true, firstMismatch: null });
    expect(review.target).toMatchObject({
      id: operation.targetOrganizationId,
      displayName: 'Acme Copy',
      clonedFrom: {
        cloneId: operation.id,
        sourceOrganizationId: source.id,
        sourceVersion: plan.sourceVersion,
      },
    });
    const skipped = dataOf(
      await api.execute(key, WizardReviewDocument, { id: operation.id, first: 500, outcome: 'EXCLUDED' }),
    ).cloneOperation!.audit.edges.map((edge) => edge.node);
    expect(skipped).toEqual(planned.filter((item) => item.outcome === 'EXCLUDED'));

    // 5. History: the raw events an auditor replays; the audit as of any one of them.
    const history = dataOf(
      await api.execute(key, WizardHistoryDocument, { id: operation.id, fromVersion: '0', first: 500 }),
    ).cloneOperation!.history;
    expect(history[0]!.type).toBe('CloneRequested');
    expect(history.at(-1)!.type).toBe('CloneCompleted');
    expect(history.map((event) => event.version)).toEqual(history.map((_event, index) => String(index)));
    for (const event of history) expect(event.metadata).toHaveProperty('chainHash');
    const started = history.find((event) => event.type === 'CloneStarted')!;
    const asOf = async (version: string) =>
      dataOf(
        await api.execute(key, WizardAuditAsOfDocument, { id: operation.id, version, first: 500 }),
      ).cloneOperation!.auditAsOf.edges.map((edge) => edge.node);
    expect(await asOf(started.version)).toEqual([]);
    expect(await asOf(history.at(-1)!.version)).toEqual(
      planned.map(({ index, sourceId, outcome }) => ({ index, sourceId, outcome })),
    );

    // 6. The provider's clone history lists it; discarding hides the new organization again.
    const operations = dataOf(
      await api.execute(key, WizardHistoryListDocument, { first: 10 }),
    ).cloneOperations;
    expect(operations.edges.map((edge) => edge.node)).toContainEqual({
      id: operation.id,
      status: 'COMPLETED',
      name: 'Acme Copy',
    });
    const discarded = dataOf(
      await api.execute(key, WizardDiscardDocument, { cloneId: operation.id, force: false }),
    ).discardClonedOrganization;
    expect(discarded).toMatchObject({ id: operation.id, status: 'DISCARDED', discard: { forced: false } });
    const after2 = dataOf(await api.execute(key, OrganizationsDocument, { first: 50, search: 'acme' }));
    expect(after2.organizations.edges.map((edge) => edge.node.id)).toEqual([source.id]);
  });
});
