import type { ClonePlan } from '../domain/clone/plan.js';
import type { PolicyTemplateLookup } from '../domain/clone/plan-policies.js';

/** A plan as the request computed it, with what the runner needs to know it would compute the same. */
export interface HandedPlan {
  plan: ClonePlan;
  /** The source's provider, which the new organization belongs to. */
  providerId: string;
  /** Revision of the provider's stream whose administrators the plan read (null: no stream). */
  providerRevision: bigint | null;
  templates: PolicyTemplateLookup;
}

/**
 * Hands the plan `requestClone` computed to the clone runner of the same process, so that a clone
 * is planned once rather than twice (planning a big source costs as much as a good part of the
 * clone). Only a shortcut: the runner takes a plan only when its inputs are provably the ones it
 * would plan with, and plans again itself when none is here (a resume, another process).
 * Bounded: plans no runner takes (the clone was refused, or runs elsewhere) are dropped oldest first.
 */
export class PlanHandoff {
  private readonly plans = new Map<string, HandedPlan>();

  constructor(private readonly capacity = 4) {}

  offer(handed: HandedPlan): void {
    const { cloneId } = handed.plan;
    this.plans.delete(cloneId);
    this.plans.set(cloneId, handed);
    for (const oldest of this.plans.keys()) {
      if (this.plans.size <= this.capacity) break;
      this.plans.delete(oldest);
    }
  }

  /** The plan offered for the clone, removed from the handoff (a run keeps it as long as it needs). */
  take(cloneId: string): HandedPlan | undefined {
    const handed = this.plans.get(cloneId);
    this.plans.delete(cloneId);
    return handed;
  }
}
