import type { Outcome, PlanCategory, PlanTotals } from './plan.js';
import { OUTCOMES, PLAN_CATEGORIES } from './plan.js';

/** Items per category and outcome, every pair present (zero when none). */
export function totalsOf(rows: Iterable<{ category: PlanCategory; outcome: Outcome }>): PlanTotals {
  const totals = {} as PlanTotals;
  for (const category of PLAN_CATEGORIES) {
    totals[category] = {} as Record<Outcome, number>;
    for (const outcome of OUTCOMES) totals[category][outcome] = 0;
  }
  for (const { category, outcome } of rows) totals[category][outcome] += 1;
  return totals;
}
