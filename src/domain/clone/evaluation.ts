/**
 * The vocabulary shared by the per-kind clone rules (`plan-*.ts`) and the resolution that runs them
 * (`resolution.ts`): a source item becomes a `PlanEntry` whose `evaluate` decides its outcome from
 * the selection and from what the clone does to the items it references.
 */
import type { CloneCategory } from './selection.js';
import type {
  ContentOf,
  DroppedReference,
  DroppedReferenceCause,
  ItemKind,
  ItemKindSpecs,
  OutcomeOf,
  ReasonCode,
  ReferenceTargetKind,
  Verdict,
} from './plan.js';
import { REASON_CODES } from './plan.js';

export interface ItemKey {
  kind: ItemKind;
  sourceId: string;
}

/** What the clone does to a referenced item. */
export type TargetStatus = 'CREATED' | 'EXCLUDED' | 'SKIPPED' | 'NOT_FOUND';

export interface EvaluationContext {
  /** This item is deselected. */
  readonly excluded: boolean;
  /** What the clone does to another item; it must be one of the entry's `dependsOn`. */
  status(kind: ItemKind, sourceId: string): TargetStatus;
  /** Whether another item is deselected; it must be one of the entry's `selectionDependsOn`. */
  selection(kind: ItemKind, sourceId: string): 'SELECTED' | 'EXCLUDED' | 'NOT_FOUND';
}

/** New id of a created item (pure: derived from the clone id, the kind and the source id). */
export type Remap = (kind: ItemKind, sourceId: string) => string;

export interface Evaluation<K extends ItemKind> {
  verdict: Verdict<OutcomeOf<K>>;
  /** Builds the copy; present exactly when the verdict creates one. */
  content: ((remap: Remap) => ContentOf<K>) | null;
}

export interface PlanEntry<K extends ItemKind = ItemKind> {
  kind: K;
  sourceId: string;
  name: string;
  category: ItemKindSpecs[K]['category'];
  /** The wizard category whose deselection excludes this item, if any. */
  selectionCategory: CloneCategory | null;
  /** Whether the selection can exclude this item by its source id, as an item or as an admin. */
  deselectableBy: 'ITEM' | 'ADMIN' | null;
  /** Items whose outcome this item's evaluation reads (`context.status`). */
  dependsOn: ItemKey[];
  /** Items whose selection this item's evaluation reads (`context.selection`). */
  selectionDependsOn: ItemKey[];
  evaluate(context: EvaluationContext): Evaluation<K>;
}

export function itemKey(kind: ItemKind, sourceId: string): string {
  return `${kind}:${sourceId}`;
}

/** Fits `Evaluation<K>` of every kind that can be deselected. */
export function excludedBySelection(): { verdict: Verdict<'EXCLUDED'>; content: null } {
  return {
    verdict: {
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
      omittedFields: [],
      droppedReferences: [],
    },
    content: null,
  };
}

const CAUSE_BY_STATUS: Record<Exclude<TargetStatus, 'CREATED'>, DroppedReferenceCause> = {
  EXCLUDED: 'TARGET_EXCLUDED',
  SKIPPED: 'TARGET_SKIPPED',
  NOT_FOUND: 'TARGET_NOT_FOUND',
};

/** Collects the reasons, omitted fields and dropped references of one item's verdict. */
export class Findings {
  private readonly reasons = new Set<ReasonCode>();
  private readonly omitted: string[] = [];
  private readonly dropped: DroppedReference[] = [];

  get empty(): boolean {
    return this.reasons.size === 0;
  }

  add(reason: ReasonCode): this {
    this.reasons.add(reason);
    return this;
  }

  omit(reason: ReasonCode, field: string): this {
    this.reasons.add(reason);
    if (!this.omitted.includes(field)) this.omitted.push(field);
    return this;
  }

  drop(reason: ReasonCode, reference: DroppedReference): this {
    this.reasons.add(reason);
    this.dropped.push(reference);
    return this;
  }

  /** Drops every id as never cloned (users, files, applications, directories). */
  dropNeverCloned(
    reason: ReasonCode,
    field: string,
    targetKind: ReferenceTargetKind,
    ids: readonly string[],
  ): this {
    for (const targetId of ids)
      this.drop(reason, { field, targetKind, targetId, cause: 'TARGET_NEVER_CLONED' });
    return this;
  }

  /**
   * Keeps the references to items the clone creates and drops the others with `reason`; returns the
   * kept source ids, in order.
   */
  keepCreated(
    context: EvaluationContext,
    reason: ReasonCode,
    field: string,
    targetKind: ItemKind & ReferenceTargetKind,
    ids: readonly string[],
  ): string[] {
    return this.keepWhere(ids, reason, field, targetKind, (targetId) => {
      const status = context.status(targetKind, targetId);
      return status === 'CREATED' ? null : CAUSE_BY_STATUS[status];
    });
  }

  /** Drops the ids of items that are deselected or missing (regardless of their own rules); returns the others. */
  keepSelected(
    context: EvaluationContext,
    reason: ReasonCode,
    field: string,
    targetKind: ItemKind & ReferenceTargetKind,
    ids: readonly string[],
  ): string[] {
    return this.keepWhere(ids, reason, field, targetKind, (targetId) => {
      const selection = context.selection(targetKind, targetId);
      return selection === 'SELECTED' ? null : CAUSE_BY_STATUS[selection];
    });
  }

  /** Keeps the ids without a cause to drop them; drops the others with `reason` and their cause. */
  private keepWhere(
    ids: readonly string[],
    reason: ReasonCode,
    field: string,
    targetKind: ItemKind & ReferenceTargetKind,
    causeOfDropping: (targetId: string) => DroppedReferenceCause | null,
  ): string[] {
    return ids.filter((targetId) => {
      const cause = causeOfDropping(targetId);
      if (cause !== null) this.drop(reason, { field, targetKind, targetId, cause });
      return cause === null;
    });
  }

  private parts(): Omit<Verdict, 'outcome'> {
    const reasons = REASON_CODES.filter((code) => this.reasons.has(code));
    return { reasons, omittedFields: [...this.omitted], droppedReferences: [...this.dropped] };
  }

  /** `COPIED` when nothing was found, `COPIED_WITH_OMISSIONS` otherwise. */
  copied(): Verdict<'COPIED' | 'COPIED_WITH_OMISSIONS'> {
    return { outcome: this.empty ? 'COPIED' : 'COPIED_WITH_OMISSIONS', ...this.parts() };
  }

  skipped(): Verdict<'SKIPPED'> {
    return { outcome: 'SKIPPED', ...this.parts() };
  }

  excluded(): Verdict<'EXCLUDED'> {
    return { outcome: 'EXCLUDED', ...this.parts() };
  }

  resetToDefault(): Verdict<'RESET_TO_DEFAULT'> {
    return { outcome: 'RESET_TO_DEFAULT', ...this.parts() };
  }
}

/** Verdict of an item copied as it is, with nothing left out. */
export function copiedAsIs(): Verdict<'COPIED'> {
  return { outcome: 'COPIED', reasons: [], omittedFields: [], droppedReferences: [] };
}
