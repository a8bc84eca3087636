/**
 * The clone aggregate (stream `clone-{id}`): the clone's decisions, item by item. The decider holds
 * no plan (10,000 items would not fit one event); the worker recomputes it from the source as of
 * the recorded version, and `planId` ties every command to that one plan. Exactly-once is enforced
 * here: items are recorded in plan order, each once, and the clone completes only when the audit
 * equals the plan's.
 */
import type { Decider } from '../decider.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { auditDigest, AuditTrail, auditRowOf } from './audit.js';
import { GENESIS_CHAIN_HASH, nextChainHash } from './chain.js';
import type {
  CloneCommand,
  CompleteClone,
  DiscardClone,
  FailClone,
  RecordCloneItems,
  RequestClone,
  StartClone,
} from './commands.js';
import { preflightError } from './errors.js';
import type { CloneEvent } from './events.js';
import { isCloneItemEvent, itemEvent } from './events.js';
import type { PlanTotals } from './plan.js';
import type { NormalizedSelection } from './selection.js';
import { totalsOf } from './totals.js';

export type CloneStatus = 'absent' | 'requested' | 'running' | 'failed' | 'completed' | 'discarded';

export interface CloneState {
  status: CloneStatus;
  cloneId: string;
  sourceOrganizationId: string;
  sourceVersion: string;
  name: string;
  selection: NormalizedSelection | null;
  planId: string;
  requestedBy: string;
  idempotencyKey: string | null;
  newOrganizationId: string;
  itemCount: number;
  plannedTotals: PlanTotals | null;
  /** Starts so far (the first and each resumption). */
  attempts: number;
  failure: { reason: string; resumable: boolean } | null;
  /** One row per recorded item, in plan order. */
  audit: AuditTrail;
  /** Chain hash of the last event folded (`GENESIS_CHAIN_HASH` before the first). */
  chainHash: string;
  completion: { chainHash: string; auditDigest: string; totals: PlanTotals } | null;
  discarded: { by: string; forced: boolean } | null;
}

export function cloneStreamId(cloneId: string): string {
  return `clone-${cloneId}`;
}

export function initialCloneState(): CloneState {
  return {
    status: 'absent',
    cloneId: '',
    sourceOrganizationId: '',
    sourceVersion: '',
    name: '',
    selection: null,
    planId: '',
    requestedBy: '',
    idempotencyKey: null,
    newOrganizationId: '',
    itemCount: 0,
    plannedTotals: null,
    attempts: 0,
    failure: null,
    audit: AuditTrail.empty(),
    chainHash: GENESIS_CHAIN_HASH,
    completion: null,
    discarded: null,
  };
}

function requireClone(state: CloneState): void {
  if (state.status === 'absent') throw new NotFoundError('clone', '');
}

function requirePlan(state: CloneState, planId: string): void {
  if (planId !== state.planId) {
    throw new ConflictError('PLAN_MISMATCH', `the plan ${planId} is not the plan of this clone`, 'planId');
  }
}

function requestClone({ data }: RequestClone, state: CloneState): CloneEvent[] {
  const { plan, requestedBy } = data;
  const idempotencyKey = data.idempotencyKey ?? null;
  if (state.status !== 'absent') {
    const sameRequest =
      state.planId === plan.planId &&
      state.requestedBy === requestedBy &&
      state.idempotencyKey === idempotencyKey;
    if (sameRequest) return [];
    throw new ConflictError(
      'CLONE_ALREADY_EXISTS',
      `clone ${state.cloneId} was requested already`,
      'cloneId',
    );
  }
  if (data.expectedPlanId !== undefined && data.expectedPlanId !== plan.planId) {
    throw new ConflictError(
      'PLAN_OUTDATED',
      'the source or the request changed since the preview; preview again',
      'expectedPlanId',
    );
  }
  const blocking = plan.preflight.find((finding) => finding.severity === 'ERROR');
  if (blocking) throw preflightError(blocking, plan.sourceOrganizationId);
  return [
    {
      type: 'CloneRequested',
      data: {
        cloneId: plan.cloneId,
        sourceOrganizationId: plan.sourceOrganizationId,
        sourceVersion: plan.sourceVersion,
        name: plan.name,
        selection: plan.selection,
        planId: plan.planId,
        requestedBy,
        idempotencyKey,
        newOrganizationId: plan.newOrganizationId,
        itemCount: plan.items.length,
        totals: plan.totals,
      },
    },
  ];
}

function startClone({ data }: StartClone, state: CloneState): CloneEvent[] {
  requireClone(state);
  requirePlan(state, data.planId);
  switch (state.status) {
    case 'running':
      return [];
    case 'failed':
      if (!state.failure?.resumable) {
        throw new ConflictError('CLONE_NOT_RESUMABLE', 'the clone failed and cannot be resumed');
      }
      break;
    case 'completed':
    case 'discarded':
      throw new ConflictError('CLONE_FINISHED', `the clone is ${state.status}`);
  }
  return [
    {
      type: 'CloneStarted',
      data: { cloneId: state.cloneId, attempt: state.attempts + 1, resumeFromIndex: state.audit.length },
    },
  ];
}

function recordCloneItems({ data }: RecordCloneItems, state: CloneState): CloneEvent[] {
  requireClone(state);
  requirePlan(state, data.planId);
  if (state.status !== 'running') {
    throw new ConflictError('CLONE_NOT_RUNNING', `the clone is ${state.status}, not running`);
  }
  return data.items.map((item, offset) => {
    const expected = state.audit.length + offset;
    const field = `items[${offset}].index`;
    if (item.index < expected) {
      throw new ConflictError('ITEM_ALREADY_RECORDED', `plan item ${item.index} is recorded already`, field);
    }
    if (item.index >= state.itemCount) {
      throw new ConflictError(
        'ITEM_NOT_IN_PLAN',
        `the plan has ${state.itemCount} items, not ${item.index + 1}`,
        field,
      );
    }
    if (item.index > expected) {
      throw new ConflictError('ITEM_OUT_OF_ORDER', `plan item ${expected} comes before ${item.index}`, field);
    }
    return itemEvent(state.cloneId, item);
  });
}

function completeClone({ data }: CompleteClone, state: CloneState): CloneEvent[] {
  requireClone(state);
  if (state.status === 'completed') return [];
  if (state.status !== 'running') {
    throw new ConflictError('CLONE_NOT_RUNNING', `the clone is ${state.status}, not running`);
  }
  if (state.audit.length !== state.itemCount) {
    throw new ConflictError(
      'CLONE_INCOMPLETE',
      `${state.audit.length} of ${state.itemCount} plan items are recorded`,
    );
  }
  const rows = state.audit.rows();
  const digest = auditDigest(rows);
  if (digest !== data.planAuditDigest) {
    throw new ConflictError('AUDIT_MISMATCH', 'the recorded items differ from the plan', 'planAuditDigest');
  }
  return [
    {
      type: 'CloneCompleted',
      data: {
        cloneId: state.cloneId,
        newOrganizationId: state.newOrganizationId,
        itemCount: state.itemCount,
        totals: totalsOf(rows),
        chainHash: state.chainHash,
        auditDigest: digest,
      },
    },
  ];
}

function failClone({ data }: FailClone, state: CloneState): CloneEvent[] {
  requireClone(state);
  if (state.status === 'failed') {
    if (state.failure?.reason === data.reason && state.failure.resumable === data.resumable) return [];
    if (!state.failure?.resumable)
      throw new ConflictError('CLONE_FINISHED', 'the clone failed for good already');
  } else if (state.status === 'completed' || state.status === 'discarded') {
    throw new ConflictError('CLONE_FINISHED', `the clone is ${state.status}`);
  }
  return [
    {
      type: 'CloneFailed',
      data: {
        cloneId: state.cloneId,
        reason: data.reason,
        resumable: data.resumable,
        recordedItemCount: state.audit.length,
        attempt: state.attempts,
      },
    },
  ];
}

function discardClone({ data }: DiscardClone, state: CloneState): CloneEvent[] {
  requireClone(state);
  if (state.status === 'discarded') return [];
  if (state.status === 'requested' || state.status === 'running') {
    throw new ConflictError('CLONE_IN_PROGRESS', 'the clone is still in progress');
  }
  if (data.organizationChangedSinceClone && !data.force) {
    throw new ConflictError(
      'ORGANIZATION_CHANGED_SINCE_CLONE',
      'the new organization changed after the clone; discard with force to discard it anyway',
      'force',
    );
  }
  return [
    {
      type: 'CloneDiscarded',
      data: {
        cloneId: state.cloneId,
        newOrganizationId: state.newOrganizationId,
        discardedBy: data.discardedBy,
        forced: data.organizationChangedSinceClone,
      },
    },
  ];
}

export function decideClone(command: CloneCommand, state: CloneState): CloneEvent[] {
  switch (command.type) {
    case 'RequestClone':
      return requestClone(command, state);
    case 'StartClone':
      return startClone(command, state);
    case 'RecordCloneItems':
      return recordCloneItems(command, state);
    case 'CompleteClone':
      return completeClone(command, state);
    case 'FailClone':
      return failClone(command, state);
    case 'DiscardClone':
      return discardClone(command, state);
  }
}

function applyEvent(state: CloneState, event: CloneEvent): CloneState {
  if (isCloneItemEvent(event)) return { ...state, audit: state.audit.append(auditRowOf(event.data)) };
  switch (event.type) {
    case 'CloneRequested': {
      const { data } = event;
      return {
        ...state,
        status: 'requested',
        cloneId: data.cloneId,
        sourceOrganizationId: data.sourceOrganizationId,
        sourceVersion: data.sourceVersion,
        name: data.name,
        selection: data.selection,
        planId: data.planId,
        requestedBy: data.requestedBy,
        idempotencyKey: data.idempotencyKey,
        newOrganizationId: data.newOrganizationId,
        itemCount: data.itemCount,
        plannedTotals: data.totals,
      };
    }
    case 'CloneStarted':
      return { ...state, status: 'running', attempts: event.data.attempt, failure: null };
    case 'CloneCompleted': {
      const { chainHash, auditDigest: digest, totals } = event.data;
      return { ...state, status: 'completed', completion: { chainHash, auditDigest: digest, totals } };
    }
    case 'CloneFailed':
      return {
        ...state,
        status: 'failed',
        failure: { reason: event.data.reason, resumable: event.data.resumable },
      };
    case 'CloneDiscarded':
      return {
        ...state,
        status: 'discarded',
        discarded: { by: event.data.discardedBy, forced: event.data.forced },
      };
  }
}

/** Folds one event; the chain hash advances with every event, whatever its type. */
export function evolveClone(state: CloneState, event: CloneEvent): CloneState {
  return { ...applyEvent(state, event), chainHash: nextChainHash(state.chainHash, event.type, event.data) };
}

export const cloneDecider: Decider<CloneState, CloneCommand, CloneEvent> = {
  decide: decideClone,
  evolve: evolveClone,
  initialState: initialCloneState,
};
