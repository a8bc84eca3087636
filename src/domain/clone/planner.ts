/**
 * `planClone`: the one pure function behind the preview and the clone (SPEC §3). It reads the
 * source as of one version, applies the selection and the clone rules of SPEC §2 (one `plan-*.ts`
 * per kind of item), and returns every source item once with its outcome, reasons, dropped
 * references, new id and new content, plus totals, the remap table, the effects of each
 * deselection and the pre-flight findings. Total: no well-typed input makes it throw.
 */
import type { OrganizationState } from '../organization/state.js';
import { canonicalDigest } from '../../shared/canonical-json.js';
import { deterministicObjectId } from '../../shared/ids.js';
import type { PlanEntry, Remap } from './evaluation.js';
import { itemKey } from './evaluation.js';
import type { AdministratorSummary } from './plan-admins.js';
import { adminAccessEntries } from './plan-admins.js';
import { commandEntries } from './plan-commands.js';
import { conditionalAccessPolicyEntries, ipListEntries } from './plan-conditional-access.js';
import { featureEntries } from './plan-features.js';
import { deviceGroupEntries, userGroupEntries } from './plan-groups.js';
import { mfaEntries } from './plan-mfa.js';
import type { PolicyTemplateLookup } from './plan-policies.js';
import { policyEntries, policyGroupEntries } from './plan-policies.js';
import { proprietarySettingEntries, settingEntries } from './plan-settings.js';
import type {
  AffectedItem,
  ClonePlan,
  DeselectionEffect,
  ItemKind,
  ItemRef,
  PlanItem,
  RemapEntry,
} from './plan.js';
import { KINDS_WITH_NEW_IDS } from './plan.js';
import type { PreflightContext } from './preflight.js';
import { preflightFindings } from './preflight.js';
import type { AnyEvaluation } from './resolution.js';
import { PlanGraph } from './resolution.js';
import type { CloneSelection, Deselection, NormalizedSelection } from './selection.js';
import { deselectionsOf, normalizeSelection } from './selection.js';
import { totalsOf } from './totals.js';

export interface PlanCloneInput {
  /** Id of the clone the plan is for: new ids derive from it. */
  cloneId: string;
  source: OrganizationState;
  /** Revision of the source's stream that `source` was folded up to. */
  sourceVersion: bigint;
  name: string;
  selection?: CloneSelection;
  templates: PolicyTemplateLookup;
  /** The provider's administrators; without them admins are named by id and never `ADMIN_NOT_FOUND`. */
  providerAdmins?: readonly AdministratorSummary[];
  preflight: PreflightContext;
}

/** sha256 of canonical JSON of what a plan depends on besides the source's content (SPEC §3). */
export function planIdOf(input: {
  sourceOrganizationId: string;
  sourceVersion: bigint;
  selection: NormalizedSelection;
  name: string;
}): string {
  return canonicalDigest({
    sourceOrganizationId: input.sourceOrganizationId,
    sourceVersion: input.sourceVersion.toString(),
    selection: input.selection,
    name: input.name.trim(),
  });
}

/** Id of the organization a clone creates. */
export function newOrganizationIdOf(cloneId: string): string {
  return deterministicObjectId(cloneId, 'ORGANIZATION');
}

/** Id of the copy of a source item in a clone. */
export function newItemIdOf(cloneId: string, kind: ItemKind, sourceId: string): string {
  return deterministicObjectId(cloneId, kind, sourceId);
}

/** The source's items in plan order (see `ITEM_KINDS`). */
function entriesOf(input: PlanCloneInput, selection: NormalizedSelection): PlanEntry[] {
  const { source } = input;
  return [
    ...settingEntries(source),
    ...proprietarySettingEntries(source),
    ...userGroupEntries(source),
    ...deviceGroupEntries(source),
    ...commandEntries(source),
    ...policyEntries(source, input.templates),
    ...policyGroupEntries(source),
    ...mfaEntries(source),
    ...ipListEntries(source),
    ...conditionalAccessPolicyEntries(source),
    ...featureEntries(source, selection),
    ...adminAccessEntries(source, input.providerAdmins),
  ];
}

export function planClone(input: PlanCloneInput): ClonePlan {
  const selection = normalizeSelection(input.selection);
  const name = input.name.trim();
  const graph = new PlanGraph(entriesOf(input, selection));

  const deselections = deselectionsOf(selection);
  const matched = deselections.map((deselection) => graph.matching(deselection));
  const exclusions = new Array<number>(graph.entries.length).fill(0);
  for (const positions of matched) for (const position of positions) exclusions[position]! += 1;
  const evaluations = graph.evaluateAll((position) => exclusions[position]! > 0);

  // Every copied item's id is asked for by the item and by each item referencing it: hash it once.
  const newIds = new Map<string, string>();
  const remap: Remap = (kind, sourceId) => {
    const key = itemKey(kind, sourceId);
    let id = newIds.get(key);
    if (id === undefined) newIds.set(key, (id = newItemIdOf(input.cloneId, kind, sourceId)));
    return id;
  };
  const items = graph.entries.map((entry, index) => {
    const { verdict, content } = evaluations[index]!;
    const created = content !== null;
    // One cast: each entry's evaluation is of its own kind, which the array's element type forgets.
    return {
      index,
      kind: entry.kind,
      category: entry.category,
      sourceId: entry.sourceId,
      name: entry.name,
      outcome: verdict.outcome,
      reasons: verdict.reasons,
      omittedFields: verdict.omittedFields,
      droppedReferences: verdict.droppedReferences,
      newId: created && KINDS_WITH_NEW_IDS.includes(entry.kind) ? remap(entry.kind, entry.sourceId) : null,
      content: created ? content(remap) : null,
    } as PlanItem;
  });

  return {
    planId: planIdOf({
      sourceOrganizationId: input.source.id,
      sourceVersion: input.sourceVersion,
      selection,
      name,
    }),
    cloneId: input.cloneId,
    sourceOrganizationId: input.source.id,
    sourceVersion: input.sourceVersion.toString(),
    name,
    newOrganizationId: newOrganizationIdOf(input.cloneId),
    selection,
    items,
    totals: totalsOf(items),
    remap: items
      .filter((item) => item.newId !== null)
      .map((item): RemapEntry => ({ kind: item.kind, sourceId: item.sourceId, newId: item.newId! })),
    deselections: deselections.map((deselection, index) =>
      deselectionEffect(graph, evaluations, exclusions, deselection, matched[index]!),
    ),
    preflight: preflightFindings({ source: input.source, name, selection, graph, context: input.preflight }),
    counts: {
      users: Object.keys(input.source.users).length,
      devices: Object.keys(input.source.devices).length,
    },
  };
}

function refOf(entry: PlanEntry): ItemRef {
  return { kind: entry.kind, sourceId: entry.sourceId, name: entry.name };
}

function referenceId(reference: { field: string; targetKind: string; targetId: string }): string {
  return `${reference.field}\u0000${reference.targetKind}\u0000${reference.targetId}`;
}

/**
 * What would differ were this one deselection taken back: the items only it excludes are evaluated
 * again as selected, and so is everything whose inputs change in turn.
 */
function deselectionEffect(
  graph: PlanGraph,
  evaluations: readonly AnyEvaluation[],
  exclusions: readonly number[],
  deselection: Deselection,
  matched: readonly number[],
): DeselectionEffect {
  const matchedPositions = new Set(matched);
  const freed = matched.filter((position) => exclusions[position] === 1);
  const seeds = new Set(freed);
  for (const position of freed)
    for (const dependent of graph.selectionDependentsOf(position)) seeds.add(dependent);
  const stillExcluded = (position: number) =>
    exclusions[position]! - (matchedPositions.has(position) ? 1 : 0) > 0;
  const reselected = graph.reevaluate(stillExcluded, evaluations, seeds);

  const affectedItems: AffectedItem[] = [];
  for (const position of [...reselected.keys()].sort((a, b) => a - b)) {
    if (matchedPositions.has(position)) continue;
    const before = evaluations[position]!.verdict;
    const after = reselected.get(position)!.verdict;
    const kept = new Set(after.droppedReferences.map(referenceId));
    const lostReferences = before.droppedReferences.filter((reference) => !kept.has(referenceId(reference)));
    if (lostReferences.length === 0 && before.outcome === after.outcome) continue;
    affectedItems.push({
      ...refOf(graph.entries[position]!),
      outcome: before.outcome,
      outcomeIfReselected: after.outcome,
      lostReferences,
    });
  }
  return {
    deselection,
    excludedItems: matched.map((position) => refOf(graph.entries[position]!)),
    affectedItems,
  };
}
