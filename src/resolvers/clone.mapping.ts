/**
 * The GraphQL shapes of clones: the preview from the planner's plan, the operation from the read
 * model, its history, verification and progress from the clone services. Items (plan items, audit
 * rows) keep the domain's shape, which `CloneItem` mirrors field for field.
 */
import type { CloneAuditVerification, CloneHistoryEvent } from '../application/clone-audit.js';
import type { CloneOrganizationInput as CloneRequest } from '../application/clones.js';
import type { CloneProgressSnapshot } from '../clone/progress-feed.js';
import type { AuditRow } from '../domain/clone/audit.js';
import type {
  ClonePlan,
  PlanTotals,
  PreflightFinding as PlanPreflightFinding,
} from '../domain/clone/plan.js';
import { OUTCOMES, PLAN_CATEGORIES } from '../domain/clone/plan.js';
import type { Deselection as PlanDeselection, NormalizedSelection } from '../domain/clone/selection.js';
import { FEATURE_KEYS } from '../domain/organization/model.js';
import type { JsonValue } from '../eventstore/types.js';
import type { CloneOperationRecord } from '../projections/clones/queries.js';
import { auditListKey } from '../projections/clones/queries.js';
import type {
  CloneEvent,
  CloneOperation,
  CloneSelection,
  CloneVerification,
} from '../schema/clone-operation.type.js';
import type {
  CategoryTotals,
  CloneItemsArgs,
  ClonePreview,
  Deselection,
  PreflightFinding,
} from '../schema/clone-preview.type.js';
import type { CloneProgressEvent } from '../schema/clone-progress.type.js';
import {
  cloneSelectionOf,
  type CloneOrganizationInput,
  type ClonePreviewInput,
} from '../schema/clone.input.js';
import { connectionOf, type Connection, type Page } from '../schema/pagination.js';
import { BadUserInputError } from '../server/api-errors.js';

/** What the clone service takes; fields the client left out or sent as null are absent there. */
export function cloneRequestOf(input: ClonePreviewInput | CloneOrganizationInput): CloneRequest {
  return {
    sourceOrganizationId: input.sourceOrganizationId,
    name: input.name,
    selection: cloneSelectionOf(input.selection),
    idempotencyKey: input.idempotencyKey ?? undefined,
    expectedPlanId: ('expectedPlanId' in input ? input.expectedPlanId : undefined) ?? undefined,
  };
}

/** Fields of `CloneOperation` that its field resolvers answer. */
type ResolvedOperationFields =
  'source' | 'target' | 'requestedBy' | 'audit' | 'history' | 'auditAsOf' | 'verification';

export type CloneOperationView = Omit<CloneOperation, ResolvedOperationFields> & {
  /** Administrator id: `requestedBy` loads the administrator. */
  requestedById: string;
};

/** A preview with its plan's items, which `ClonePreview.items` pages through. */
export type ClonePreviewView = Omit<ClonePreview, 'items'> & { planItems: readonly AuditRow[] };

export function categoryTotalsOf(totals: PlanTotals): CategoryTotals[] {
  return PLAN_CATEGORIES.map((category) => {
    const byOutcome = totals[category];
    return {
      category,
      copied: byOutcome.COPIED,
      copiedWithOmissions: byOutcome.COPIED_WITH_OMISSIONS,
      resetToDefault: byOutcome.RESET_TO_DEFAULT,
      skipped: byOutcome.SKIPPED,
      excluded: byOutcome.EXCLUDED,
      total: OUTCOMES.reduce((sum, outcome) => sum + byOutcome[outcome], 0),
    };
  });
}

export function clonePreviewOf(plan: ClonePlan): ClonePreviewView {
  return {
    planId: plan.planId,
    sourceOrganizationId: plan.sourceOrganizationId,
    sourceVersion: BigInt(plan.sourceVersion),
    name: plan.name,
    planItems: plan.items,
    totals: categoryTotalsOf(plan.totals),
    remap: plan.remap,
    deselectionEffects: plan.deselections.map((effect) => ({
      deselection: deselectionOf(effect.deselection),
      excludedItems: effect.excludedItems,
      affectedItems: effect.affectedItems,
    })),
    preflight: plan.preflight.map(preflightFindingOf),
    userCount: plan.counts.users,
    deviceCount: plan.counts.devices,
  };
}

function deselectionOf(deselection: PlanDeselection): Deselection {
  return {
    type: deselection.type,
    category: deselection.type === 'CATEGORY' ? deselection.category : null,
    sourceId: deselection.type === 'ITEM' ? deselection.sourceId : null,
    administratorId: deselection.type === 'ADMIN' ? deselection.administratorId : null,
  };
}

/** The planner names the selection's lists as the domain does (`excluded…`), the API `deselected…`. */
function preflightFindingOf(finding: PlanPreflightFinding): PreflightFinding {
  const field =
    finding.field?.replace(/^selection\.excluded(Categories|ItemIds|AdminIds)/, 'selection.deselected$1') ??
    null;
  return { ...finding, field };
}

export function cloneOperationOf(record: CloneOperationRecord): CloneOperationView {
  return {
    id: record.id,
    status: record.status,
    progress: { ...record.progress, phase: record.phase },
    sourceOrganizationId: record.sourceOrganizationId,
    targetOrganizationId: record.newOrganizationId,
    name: record.name,
    requestedById: record.requestedBy,
    requestedAt: new Date(record.requestedAt),
    startedAt: dateOrNull(record.startedAt),
    completedAt: dateOrNull(record.completedAt),
    failedAt: dateOrNull(record.failedAt),
    discardedAt: dateOrNull(record.discardedAt),
    updatedAt: new Date(record.updatedAt),
    planId: record.planId,
    sourceVersion: BigInt(record.sourceVersion),
    selection: selectionViewOf(record.selection),
    idempotencyKey: record.idempotencyKey,
    totals: categoryTotalsOf(record.totals),
    recordedTotals: categoryTotalsOf(record.recordedTotals),
    attempt: record.attempt,
    failure: record.failure,
    discard: record.discarded && { discardedBy: record.discarded.by, forced: record.discarded.forced },
    chainHash: record.chainHash,
    auditDigest: record.auditDigest,
    version: BigInt(record.version),
  };
}

function selectionViewOf(selection: NormalizedSelection): CloneSelection {
  return {
    deselectedCategories: selection.excludedCategories,
    deselectedItemIds: selection.excludedItemIds,
    features: FEATURE_KEYS.map((feature) => ({ feature, choice: selection.features[feature] })),
    deselectedAdminIds: selection.excludedAdminIds,
  };
}

function dateOrNull(time: string | null): Date | null {
  return time === null ? null : new Date(time);
}

export function cloneEventOf(event: CloneHistoryEvent): CloneEvent {
  return {
    id: event.id,
    version: event.version,
    globalPosition: event.position,
    type: event.type,
    time: event.time,
    // Clone events are the decider's, whose data are objects.
    data: event.data as Record<string, JsonValue>,
    metadata: event.metadata,
  };
}

export function cloneVerificationOf(verification: CloneAuditVerification): CloneVerification {
  const mismatch = verification.firstMismatch;
  return {
    valid: verification.ok,
    eventsChecked: verification.eventsChecked,
    readModelVersion: verification.readModelVersion,
    firstMismatch: mismatch
      ? {
          version: mismatch.version,
          eventId: mismatch.eventId,
          type: mismatch.type,
          problem: mismatch.problem,
          itemIndex: mismatch.ordinal ?? null,
          field: mismatch.field ?? null,
        }
      : null,
  };
}

export function cloneProgressEventOf(snapshot: CloneProgressSnapshot): CloneProgressEvent {
  return {
    cloneId: snapshot.cloneId,
    status: snapshot.status,
    progress: { done: snapshot.done, total: snapshot.total, phase: snapshot.phase },
    attempt: snapshot.attempt,
    failure: snapshot.failure,
    totals: snapshot.totals && categoryTotalsOf(snapshot.totals),
    auditDigest: snapshot.auditDigest,
    version: snapshot.version,
    updatedAt: new Date(snapshot.updatedAt),
    terminal: snapshot.terminal,
  };
}

/**
 * A page of items held in memory (a preview's plan, an audit folded from the stream), in plan
 * order, optionally one outcome and/or category; cursors carry the plan index, as the read model's.
 */
export function itemPage(
  items: readonly AuditRow[],
  page: Page,
  list: string,
  filter: Partial<Pick<CloneItemsArgs, 'outcome' | 'category'>> = {},
): Connection<AuditRow> {
  const after = page.afterKey === null ? -1 : planIndexOf(page.afterKey);
  const rows: AuditRow[] = [];
  for (const item of items) {
    if (rows.length > page.limit) break;
    if (item.index <= after) continue;
    if (filter.outcome && item.outcome !== filter.outcome) continue;
    if (filter.category && item.category !== filter.category) continue;
    rows.push(item);
  }
  return connectionOf(rows, page, list, auditListKey);
}

function planIndexOf(key: string): number {
  if (!/^(0|[1-9][0-9]{0,8})$/.test(key)) throw new BadUserInputError('after', 'not a cursor of this list');
  return Number(key);
}
