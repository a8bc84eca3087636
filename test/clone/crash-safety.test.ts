/**
 * SPEC §5, crash-safe and exactly-once: a real child process runs the clone and SIGKILLs itself at
 * a chosen point (before each append in turn, after random delays, again and again); a fresh
 * runner then resumes from the clone's stream. Every time, the new organization and the audit hold
 * each planned item exactly once and the clone's history verifies.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CloneService } from '../../src/application/clones.js';
import { organizationStreamId } from '../../src/application/streams.js';
import type { CloneStep } from '../../src/clone/runner.js';
import { CloneRunner } from '../../src/clone/runner.js';
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import type { OrganizationState } from '../../src/domain/organization/state.js';
import { command, richSource, templateLookup } from '../domain/clone/fixtures.js';
import type { CloneWorld, StoreKind } from '../support/clone-world.js';
import {
  callerOf,
  expectCloneOfPlan,
  openWorld,
  readAll,
  seedProvider,
  seedSource,
} from '../support/clone-world.js';
import { largeSource } from '../support/clone-large-source.js';

const loader = fileURLToPath(new URL('../support/sqlite-child-loader.mjs', import.meta.url));
const childScript = fileURLToPath(new URL('../support/clone-crash-child.ts', import.meta.url));
const templates = templateLookup();
/** 29 items of the rich source in batches of 3: START, 10 × (organization, items), PROVISION, COMPLETE. */
const BATCH_ITEMS = 3;
const RICH_STEPS = 23;

interface ChildRun {
  signal: NodeJS.Signals | null;
  code: number | null;
  steps: CloneStep[];
  outcome: string | null;
  stderr: string;
}

function runChild(
  world: CloneWorld,
  cloneId: string,
  kill: string,
  batchItems = BATCH_ITEMS,
): Promise<ChildRun> {
  const child = spawn(process.execPath, [
    '--import',
    loader,
    childScript,
    world.childStore,
    cloneId,
    String(batchItems),
    kill,
  ]);
  const run: ChildRun = { signal: null, code: null, steps: [], outcome: null, stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { step?: CloneStep; outcome?: string };
    if (message.step) run.steps.push(message.step);
    if (message.outcome) run.outcome = message.outcome;
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ ...run, code, signal }));
  });
}

describe.each<StoreKind>(['sqlite', 'esdb'])('crash safety on %s', (kind) => {
  let world: CloneWorld;
  const runners: CloneRunner[] = [];

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await world?.close();
  });

  function freshRunner(store = world.store): CloneRunner {
    const runner = new CloneRunner({ store, templates, maxBatchItems: BATCH_ITEMS });
    runners.push(runner);
    return runner;
  }

  /** A world with the source in it and a clone of it requested; the plan is the request's preview. */
  async function requestClone(source: OrganizationState = richSource()): Promise<ClonePlan> {
    world = await openWorld(kind);
    await seedProvider(world.store);
    await seedSource(world.store, source);
    const service = new CloneService({ store: world.store, templates });
    const input = { sourceOrganizationId: source.id, name: 'Crash test', idempotencyKey: randomUUID() };
    const plan = await service.preview(callerOf(), input);
    await service.requestClone(callerOf(), { ...input, expectedPlanId: plan.planId });
    return plan;
  }

  // Every append of the run on SQLite; on EventStoreDB the first, the last, and both sides of a batch.
  const killSteps =
    kind === 'sqlite' ? Array.from({ length: RICH_STEPS }, (_, step) => step) : [0, 1, 2, 11, 12, 21, 22];

  it.each(killSteps)(
    'killed just before append %i of its run, a fresh runner finishes the clone exactly once',
    async (step) => {
      const plan = await requestClone();
      const child = await runChild(world, plan.cloneId, `step:${step}`);
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(child.steps.at(-1)?.sequence).toBe(step);

      const result = await freshRunner().runToCompletion(plan.cloneId);
      expect(result.outcome).toBe('completed');
      await expectCloneOfPlan(world.store, plan);
    },
  );

  it('survives being killed again and again, resuming each time from where the last one died', async () => {
    const plan = await requestClone();
    let crashes = 0;
    for (;;) {
      const child = await runChild(world, plan.cloneId, 'step:3');
      if (child.outcome === 'completed') break;
      expect(child.signal, child.stderr).toBe('SIGKILL');
      crashes += 1;
    }
    expect(crashes).toBeGreaterThanOrEqual(5);
    await expectCloneOfPlan(world.store, plan);
  });

  it('survives kills after random delays during a clone of a large organization', async () => {
    const plan = await requestClone(largeSource(1_500));
    const delays = Array.from({ length: kind === 'sqlite' ? 4 : 2 }, () => Math.floor(Math.random() * 400));
    for (const delay of delays) {
      const child = await runChild(world, plan.cloneId, `delay:${delay}`, 40);
      console.log(
        `[${kind}] killed after ${delay} ms, before step ${child.steps.at(-1)?.sequence ?? 'none'}`,
      );
      if (child.outcome === 'completed') break;
      expect(child.signal, child.stderr).toBe('SIGKILL');
    }
    await freshRunner().runToCompletion(plan.cloneId);
    await expectCloneOfPlan(world.store, plan);
  });

  it('two runners resuming the same clone at once give one result, without duplicates', async () => {
    const plan = await requestClone();
    await runChild(world, plan.cloneId, 'step:7');
    const other = await world.openAnother();
    const results = await Promise.all([
      freshRunner().runToCompletion(plan.cloneId),
      freshRunner(other).runToCompletion(plan.cloneId),
    ]);
    expect(results.map((result) => result.outcome)).toEqual(['completed', 'completed']);
    await expectCloneOfPlan(world.store, plan);
  });

  it('two processes running the same clone from the start give one result, without duplicates', async () => {
    const plan = await requestClone();
    const children = await Promise.all([
      runChild(world, plan.cloneId, 'never'),
      runChild(world, plan.cloneId, 'never'),
    ]);
    expect(children.map((child) => [child.code, child.outcome])).toEqual([
      [0, 'completed'],
      [0, 'completed'],
    ]);
    await expectCloneOfPlan(world.store, plan);
  });

  it('copies the source as of the requested version: edits made during the clone do not leak in', async () => {
    const plan = await requestClone();
    await runChild(world, plan.cloneId, 'step:5');
    await world.store.appendToStream(organizationStreamId('org-source'), [
      {
        id: randomUUID(),
        type: 'CommandAdded',
        data: { command: { ...command({ id: 'cmd-late' }), name: 'added during the clone' } },
      },
      { id: randomUUID(), type: 'CommandRemoved', data: { commandId: 'cmd-root' } },
      {
        id: randomUUID(),
        type: 'FeaturesSet',
        data: { features: { directoryInsights: false, systemInsights: true, remoteAssist: false } },
      },
    ]);
    await freshRunner().runToCompletion(plan.cloneId);
    await expectCloneOfPlan(world.store, plan);
    const organization = await readAll(world.store, organizationStreamId(plan.newOrganizationId));
    expect(JSON.stringify(organization.map((event) => event.data))).not.toContain('cmd-late');
  });
});
