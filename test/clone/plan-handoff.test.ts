/** A clone requested and run in one process is planned once: the request hands its plan to the runner. */
import { afterEach, describe, expect, it } from 'vitest';
import { CloneService } from '../../src/application/clones.js';
import { PlanHandoff } from '../../src/clone/plan-handoff.js';
import { CloneRunner } from '../../src/clone/runner.js';
import { auditFromPlan } from '../../src/domain/clone/audit.js';
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import { richSource, templateLookup } from '../domain/clone/fixtures.js';
import type { CloneWorld } from '../support/clone-world.js';
import {
  PROVIDER_ID,
  callerOf,
  expectCloneOfPlan,
  openWorld,
  seedProvider,
  seedSource,
} from '../support/clone-world.js';

const lookup = templateLookup();

describe('the plan handoff from the request to the runner', () => {
  let world: CloneWorld;
  const runners: CloneRunner[] = [];
  let lookups = 0;
  /** Planning looks every policy's template up: the count tells how often a plan was computed. */
  const templates = (id: string) => {
    lookups += 1;
    return lookup(id);
  };

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await world.close();
  });

  async function requested(plans?: PlanHandoff): Promise<ClonePlan> {
    world = await openWorld('sqlite');
    await seedProvider(world.store);
    await seedSource(world.store, richSource());
    const service = new CloneService({ store: world.store, templates, ...(plans ? { plans } : {}) });
    const input = { sourceOrganizationId: 'org-source', name: 'Copy', idempotencyKey: 'handoff-1' };
    const plan = await service.preview(callerOf(), input);
    await service.requestClone(callerOf(), input);
    return plan;
  }

  async function runToCompletion(plan: ClonePlan, plans: PlanHandoff): Promise<void> {
    const runner = new CloneRunner({ store: world.store, templates, plans, maxBatchItems: 4 });
    runners.push(runner);
    const result = await runner.runToCompletion(plan.cloneId);
    expect(result.outcome).toBe('completed');
    expect(result.state.audit.rows()).toStrictEqual(auditFromPlan(plan));
    await expectCloneOfPlan(world.store, plan);
  }

  it('runs the clone on the plan the request computed, without planning it again', async () => {
    const plans = new PlanHandoff();
    const plan = await requested(plans);
    const lookupsByTheRequest = lookups;
    expect(lookupsByTheRequest).toBeGreaterThan(0);

    await runToCompletion(plan, plans);

    expect(lookups).toBe(lookupsByTheRequest);
  });

  it('plans again when the handed plan read the provider at another revision than the request', async () => {
    const plan = await requested();
    const plans = new PlanHandoff();
    // The request's provider has two administrators: revisions 0 to 2.
    plans.offer({ plan, providerId: PROVIDER_ID, providerRevision: 1n, templates });
    lookups = 0;

    await runToCompletion(plan, plans);

    expect(lookups).toBeGreaterThan(0);
  });

  it('takes a handed plan whose inputs are the request’s, and not one computed with other templates', async () => {
    const plan = await requested();
    const plans = new PlanHandoff();
    plans.offer({ plan, providerId: PROVIDER_ID, providerRevision: 2n, templates: lookup });
    lookups = 0;
    await runToCompletion(plan, plans);
    expect(lookups).toBeGreaterThan(0);
  });
});

describe('PlanHandoff', () => {
  const handed = (cloneId: string) => ({
    plan: { cloneId } as ClonePlan,
    providerId: PROVIDER_ID,
    providerRevision: 0n,
    templates: lookup,
  });

  it('hands a plan over once and keeps only the latest few', () => {
    const plans = new PlanHandoff(2);
    plans.offer(handed('a'));
    plans.offer(handed('b'));
    plans.offer(handed('c'));

    expect(plans.take('a')).toBeUndefined();
    expect(plans.take('b')).toEqual(handed('b'));
    expect(plans.take('b')).toBeUndefined();
    expect(plans.take('c')).toEqual(handed('c'));
  });
});
