/**
 * Runs the clone rules of every plan entry in dependency order. The same run answers "what if
 * this deselection were taken back?": it re-evaluates only the entries that deselection reaches,
 * on top of the full evaluation, so the preview's deselection effects cost what they touch.
 * Entries are addressed by their position in plan order.
 */
import { canonicalJson } from '../../shared/canonical-json.js';
import type { Evaluation, EvaluationContext, PlanEntry, TargetStatus } from './evaluation.js';
import { itemKey } from './evaluation.js';
import type { ItemKind, Verdict } from './plan.js';
import { CREATING_OUTCOMES } from './plan.js';
import type { Deselection } from './selection.js';

/**
 * Evaluation order: an entry's `dependsOn` are all of a lower rank (device groups before the
 * commands, policies and policy groups bound to them; policies before policy groups; user groups
 * before conditional access policies; those before the IP lists they carry along).
 */
const RANK: Record<ItemKind, number> = {
  SETTING: 0,
  PROPRIETARY_SETTING: 0,
  USER_GROUP: 0,
  DEVICE_GROUP: 0,
  MFA_METHOD: 0,
  DUO_CONFIGURATION: 0,
  FEATURE: 0,
  ADMIN_ACCESS: 0,
  COMMAND: 1,
  POLICY: 1,
  CONDITIONAL_ACCESS_POLICY: 1,
  POLICY_GROUP: 2,
  IP_LIST: 2,
};
const RANKS = 3;

export type AnyEvaluation = Evaluation<ItemKind>;

function creates(evaluation: AnyEvaluation): boolean {
  return CREATING_OUTCOMES.includes(evaluation.verdict.outcome);
}

export class PlanGraph {
  private readonly positions = new Map<string, number>();
  private readonly dependents: number[][];
  private readonly selectionDependents: number[][];
  private readonly bySourceId = new Map<string, number[]>();

  constructor(readonly entries: readonly PlanEntry[]) {
    this.dependents = entries.map(() => []);
    this.selectionDependents = entries.map(() => []);
    entries.forEach((entry, position) => {
      this.positions.set(itemKey(entry.kind, entry.sourceId), position);
      const sameId = this.bySourceId.get(entry.sourceId);
      if (sameId) sameId.push(position);
      else this.bySourceId.set(entry.sourceId, [position]);
    });
    entries.forEach((entry, position) => {
      for (const target of entry.dependsOn) this.dependentsList(this.dependents, target)?.push(position);
      for (const target of entry.selectionDependsOn)
        this.dependentsList(this.selectionDependents, target)?.push(position);
    });
  }

  private dependentsList(
    lists: number[][],
    target: { kind: ItemKind; sourceId: string },
  ): number[] | undefined {
    const position = this.positions.get(itemKey(target.kind, target.sourceId));
    return position === undefined ? undefined : lists[position];
  }

  /** Positions of the entries a deselection excludes. */
  matching(deselection: Deselection): number[] {
    switch (deselection.type) {
      case 'CATEGORY': {
        const positions: number[] = [];
        this.entries.forEach((entry, position) => {
          if (entry.selectionCategory === deselection.category) positions.push(position);
        });
        return positions;
      }
      case 'ITEM':
        return this.withSourceId(deselection.sourceId, 'ITEM');
      case 'ADMIN':
        return this.withSourceId(deselection.administratorId, 'ADMIN');
    }
  }

  private withSourceId(sourceId: string, deselectableBy: 'ITEM' | 'ADMIN'): number[] {
    return (this.bySourceId.get(sourceId) ?? []).filter(
      (position) => this.entries[position]!.deselectableBy === deselectableBy,
    );
  }

  /** Entries whose evaluation reads whether the entry at `position` is selected. */
  selectionDependentsOf(position: number): readonly number[] {
    return this.selectionDependents[position]!;
  }

  /** Every entry evaluated, with `isExcluded` as the selection. */
  evaluateAll(isExcluded: (position: number) => boolean): AnyEvaluation[] {
    const evaluations: AnyEvaluation[] = new Array<AnyEvaluation>(this.entries.length);
    const context = this.contextFactory(isExcluded, (position) => evaluations[position]);
    for (let rank = 0; rank < RANKS; rank++) {
      this.entries.forEach((entry, position) => {
        if (RANK[entry.kind] === rank) evaluations[position] = entry.evaluate(context(position));
      });
    }
    return evaluations;
  }

  /**
   * Evaluates `seeds`, and every entry whose inputs change as a result, with `isExcluded` as the
   * selection; the others keep their evaluation in `base`. Returns the entries evaluated to
   * another verdict than in `base`.
   */
  reevaluate(
    isExcluded: (position: number) => boolean,
    base: readonly AnyEvaluation[],
    seeds: Iterable<number>,
  ): Map<number, AnyEvaluation> {
    const changed = new Map<number, AnyEvaluation>();
    const context = this.contextFactory(isExcluded, (position) => changed.get(position) ?? base[position]);
    const pending = Array.from({ length: RANKS }, () => new Set<number>());
    for (const position of seeds) pending[RANK[this.entries[position]!.kind]]!.add(position);
    for (const positions of pending) {
      for (const position of positions) {
        const evaluation = this.entries[position]!.evaluate(context(position));
        if (sameVerdict(base[position]!.verdict, evaluation.verdict)) continue;
        changed.set(position, evaluation);
        for (const dependent of this.dependents[position]!)
          pending[RANK[this.entries[dependent]!.kind]]!.add(dependent);
      }
    }
    return changed;
  }

  private contextFactory(
    isExcluded: (position: number) => boolean,
    current: (position: number) => AnyEvaluation | undefined,
  ): (position: number) => EvaluationContext {
    const positions = this.positions;
    const status = (kind: ItemKind, sourceId: string): TargetStatus => {
      const position = positions.get(itemKey(kind, sourceId));
      const evaluation = position === undefined ? undefined : current(position);
      if (!evaluation) return 'NOT_FOUND';
      if (creates(evaluation)) return 'CREATED';
      return evaluation.verdict.outcome === 'SKIPPED' ? 'SKIPPED' : 'EXCLUDED';
    };
    const selection = (kind: ItemKind, sourceId: string) => {
      const position = positions.get(itemKey(kind, sourceId));
      if (position === undefined) return 'NOT_FOUND';
      return isExcluded(position) ? 'EXCLUDED' : 'SELECTED';
    };
    return (position) => ({ excluded: isExcluded(position), status, selection });
  }
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
