/**
 * SPEC §3: the audit of a finished clone equals its preview item for item. For generated sources and
 * selections, on the embedded store: preview, request with the preview's planId, run to completion,
 * and compare the clones read model's audit with the preview's plan; the clone then verifies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloneAuditService } from '../../src/application/clone-audit.js';
import { CloneService } from '../../src/application/clones.js';
import { CloneRunner } from '../../src/clone/runner.js';
import type { CloneSelection } from '../../src/domain/clone/selection.js';
import { clonesProjection } from '../../src/projections/clones/projection.js';
import type { AuditRow } from '../../src/domain/clone/audit.js';
import type { PlanItem } from '../../src/domain/clone/plan.js';
import { auditListKey, CloneReadModel } from '../../src/projections/clones/queries.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { openReadModelDb } from '../../src/projections/read-model-db.js';
import type { GeneratedSource } from '../domain/clone/arbitraries.js';
import { selectionArbitrary, sourceArbitrary } from '../domain/clone/arbitraries.js';
import { templateLookup } from '../domain/clone/fixtures.js';
import { PROVIDER_ID, callerOf, openWorld, seedProvider, seedSource } from '../support/clone-world.js';

const RUNS = 15;

/** What the audit says of an item, field by field, taken from a plan item or an audit row alike. */
function audited(item: PlanItem | AuditRow) {
  return {
    index: item.index,
    kind: item.kind,
    sourceId: item.sourceId,
    outcome: item.outcome,
    reasons: item.reasons,
    newId: item.newId,
    omittedFields: item.omittedFields,
    droppedReferences: item.droppedReferences,
  };
}

function wholeAudit(readModel: CloneReadModel, cloneId: string): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let after: string | null = null; ;) {
    const page = readModel.auditPage(cloneId, { first: 50, after });
    rows.push(...page);
    if (page.length < 50) return rows;
    after = auditListKey(page.at(-1)!);
  }
}

async function cloneAndCompare(generated: GeneratedSource, selection: CloneSelection) {
  // A stored organization grants each administrator access once; the generator may repeat one.
  const source = { ...generated.source, adminIds: [...new Set(generated.source.adminIds)] };
  const { templates } = generated;
  const world = await openWorld('sqlite');
  const directory = await mkdtemp(join(tmpdir(), 'orgclone-property-'));
  const db = openReadModelDb(join(directory, 'read.db'));
  const projections = new ProjectionRunner({
    store: world.store,
    db,
    projections: [clonesProjection],
    log: () => {},
  });
  const lookup = templateLookup(templates);
  const runner = new CloneRunner({ store: world.store, templates: lookup, maxBatchItems: 7 });
  try {
    await seedProvider(world.store);
    await seedSource(world.store, source);
    await projections.start();
    const service = new CloneService({ store: world.store, templates: lookup, projections });
    // With the key the request will carry, the preview shows the ids that very clone creates.
    const input = {
      sourceOrganizationId: source.id,
      name: 'Property copy',
      selection,
      idempotencyKey: 'property',
    };

    const preview = await service.preview(callerOf(), input);
    const requested = await service.requestClone(callerOf(), { ...input, expectedPlanId: preview.planId });
    const result = await runner.runToCompletion(requested.cloneId);
    await projections.waitForPosition((await world.store.headPosition())!, { timeoutMs: 10_000 });

    expect(result.outcome).toBe('completed');
    const readModel = new CloneReadModel(db);
    const rows = wholeAudit(readModel, requested.cloneId);
    expect(rows.map(audited)).toEqual(preview.items.map(audited));
    expect(readModel.getCloneOperation(requested.cloneId)).toMatchObject({
      status: 'completed',
      planId: preview.planId,
      progress: { done: preview.items.length, total: preview.items.length },
      totals: preview.totals,
      recordedTotals: preview.totals,
    });
    const audit = new CloneAuditService({ store: world.store, readModel });
    await expect(audit.verify(PROVIDER_ID, requested.cloneId)).resolves.toMatchObject({ ok: true });
  } finally {
    await runner.stop();
    await projections.stop();
    db.close();
    await world.close();
    await rm(directory, { recursive: true, force: true });
  }
}

describe('a clone of a generated source on the embedded store', () => {
  it('audits exactly its preview, item for item, and verifies', async () => {
    await fc.assert(fc.asyncProperty(sourceArbitrary, selectionArbitrary, cloneAndCompare), {
      numRuns: RUNS,
    });
  }, 60_000);
});
