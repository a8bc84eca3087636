/**
 * Commands of the clone aggregate. The clone's id is its stream (`clone-{id}`); `RequestClone`
 * names it through its plan.
 */
import type { AuditRow } from './audit.js';
import type { ClonePlan } from './plan.js';

export type RequestClone = {
  type: 'RequestClone';
  data: {
    plan: ClonePlan;
    /** Administrator id. */
    requestedBy: string;
    idempotencyKey?: string;
    /** The planId of the preview the caller accepted: refused with PLAN_OUTDATED if the plan differs. */
    expectedPlanId?: string;
  };
};

/** Starts the clone, or resumes it after a resumable failure. `planId` of the plan the worker computed. */
export type StartClone = { type: 'StartClone'; data: { planId: string } };

/** Records the next plan items, in plan order, each exactly once (plan items or their audit rows). */
export type RecordCloneItems = {
  type: 'RecordCloneItems';
  data: { planId: string; items: readonly AuditRow[] };
};

/** Completes the clone once every plan item is recorded and the audit equals the plan's. */
export type CompleteClone = { type: 'CompleteClone'; data: { planAuditDigest: string } };

export type FailClone = { type: 'FailClone'; data: { reason: string; resumable: boolean } };

export type DiscardClone = {
  type: 'DiscardClone';
  data: {
    discardedBy: string;
    /** The new organization changed after the clone completed (its stream went past the clone's writes). */
    organizationChangedSinceClone: boolean;
    force: boolean;
  };
};

export type CloneCommand =
  RequestClone | StartClone | RecordCloneItems | CompleteClone | FailClone | DiscardClone;
