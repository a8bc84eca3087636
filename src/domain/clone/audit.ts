/**
 * The audit of a clone: one row per source item with its outcome, reasons, new id, omitted fields
 * and dropped references. The clone stream folds into it; the plan predicts it; a finished clone's
 * audit equals its plan's, row for row.
 */
import { canonicalDigest, canonicalJson } from '../../shared/canonical-json.js';
import type { ClonePlan, ItemKind, PlanItemOf } from './plan.js';

export type AuditRowOf<K extends ItemKind> = Omit<PlanItemOf<K>, 'content'>;
export type AuditRow = { [K in ItemKind]: AuditRowOf<K> }[ItemKind];

/** The audit fields of a plan item or an item event, and nothing else. */
export function auditRowOf(item: AuditRow): AuditRow {
  const { index, kind, category, sourceId, name, newId, outcome, reasons, omittedFields, droppedReferences } =
    item;
  // Fields taken from one row keep their correlation (kind, category, outcome), which TS cannot follow.
  return {
    index,
    kind,
    category,
    sourceId,
    name,
    newId,
    outcome,
    reasons: [...reasons],
    omittedFields: [...omittedFields],
    droppedReferences: droppedReferences.map((reference) => ({ ...reference })),
  } as AuditRow;
}

/** The audit a clone of this plan ends with. */
export function auditFromPlan(plan: ClonePlan): AuditRow[] {
  return plan.items.map(auditRowOf);
}

/** sha256 of the canonical JSON of the rows, in order: what `CloneCompleted` records. */
export function auditDigest(rows: readonly AuditRow[]): string {
  return canonicalDigest(rows);
}

/** Index of the first row that differs (or that one side lacks); null when both are equal. */
export function firstAuditDifference(
  expected: readonly AuditRow[],
  actual: readonly AuditRow[],
): number | null {
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    const left = expected[index];
    const right = actual[index];
    if (!left || !right || canonicalJson(auditRowOf(left)) !== canonicalJson(auditRowOf(right))) return index;
  }
  return null;
}

/**
 * The rows recorded so far, as a persistent list: appending to the newest version pushes in place
 * and every older version keeps seeing only its own prefix, so folding a clone of 100,000 items
 * stays linear and `evolve` stays pure.
 */
export class AuditTrail {
  private constructor(
    private readonly store: AuditRow[],
    readonly length: number,
  ) {}

  static empty(): AuditTrail {
    return new AuditTrail([], 0);
  }

  append(row: AuditRow): AuditTrail {
    const store = this.store.length === this.length ? this.store : this.store.slice(0, this.length);
    store.push(row);
    return new AuditTrail(store, this.length + 1);
  }

  rows(): AuditRow[] {
    return this.store.slice(0, this.length);
  }
}
