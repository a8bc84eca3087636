/**
 * SPEC §5 and §7 across processes: two servers on one SQLite file, each with its own read model
 * (`ORGCLONE_INSTANCE`). A clone requested through process A is followed by a `cloneProgress`
 * subscription (graphql-ws) on process B; A is SIGKILLed in the middle of the clone, and B's clone
 * runner takes the stale clone over and finishes it. The subscriber sees the clone progress, then
 * COMPLETED, then the end of the subscription; the clone holds each planned item exactly once.
 */
import { randomUUID } from 'node:crypto';
import type { Client, FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { expectCloneOfPlan } from '../support/clone-world.js';
import { connectGraphQL } from '../support/graphql-clients.js';
import { ServerLauncher } from './support/server-process.js';
import {
  cloneStatusOf,
  expectCompletedAndVerifiedBy,
  openReliabilityWorld,
  requestCloneOver,
  waitForCompletion,
  type ReliabilityWorld,
} from './support/world.js';

const STALE_AFTER_MS = 2_000;
const SCAN_INTERVAL_MS = 100;
/** A's clone run holds before this append (about half of the clone), until the test kills it. */
const KILL_AT_STEP = 30;

const PROGRESS = `
  subscription Progress($cloneId: ID!) {
    cloneProgress(cloneId: $cloneId) { status progress { done total } updatedAt terminal }
  }`;

interface ProgressEvent {
  status: string;
  progress: { done: number; total: number };
  updatedAt: string;
  terminal: boolean;
}

let world: ReliabilityWorld;
let launcher: ServerLauncher;
let client: Client | undefined;

beforeAll(async () => {
  world = await openReliabilityWorld('sqlite', 1_700);
  launcher = new ServerLauncher();
  launcher.preload();
});

afterAll(async () => {
  await client?.dispose();
  await launcher?.close();
  await world?.close();
});

it('finishes on process B a clone whose process A was killed, and B’s subscriber sees it complete', async () => {
  const settings = {
    TEST_BATCH_ITEMS: 50,
    TEST_STALE_AFTER_MS: STALE_AFTER_MS,
    TEST_SCAN_INTERVAL_MS: SCAN_INTERVAL_MS,
  };
  const b = launcher.launch(world.env('b', settings));
  const a = launcher.launch(
    world.env('a', { ...settings, TEST_KILL_AT_STEP: KILL_AT_STEP, TEST_HOLD_KILL: 1 }),
  );
  expect(await b.ready(), b.stderr).toBe(true);
  expect(await a.ready(), a.stderr).toBe(true);

  // Given a clone requested through A, followed on B
  const idempotencyKey = randomUUID();
  const plan = await world.plan('Finished by the other process', idempotencyKey);
  expect(await requestCloneOver(a, world.key, plan, idempotencyKey)).toMatchObject({ id: plan.cloneId });
  client = connectGraphQL(b.wsUrl, world.key);
  const received: { at: number; event: ProgressEvent }[] = [];
  const errors: unknown[] = [];
  const ended = new Promise<{ error?: unknown }>((resolve) => {
    client!.subscribe(
      { query: PROGRESS, variables: { cloneId: plan.cloneId } },
      {
        next: (result: FormattedExecutionResult<Record<string, unknown>, unknown>) => {
          if (result.data)
            received.push({ at: Date.now(), event: result.data.cloneProgress as ProgressEvent });
          else errors.push(...(result.errors ?? []));
        },
        error: (error) => resolve({ error }),
        complete: () => resolve({}),
      },
    );
  });

  // When A is killed in the middle of the clone, once B's subscriber has seen it progress
  await a.until(() => a.holding !== null || !a.alive, 30_000, 'reach its kill point');
  const progressSeenOnB = () => received.some(({ event }) => event.progress.done > 0);
  await vi.waitUntil(progressSeenOnB, { timeout: 10_000, interval: 5 });
  const killedAt = Date.now();
  expect(await a.kill()).toEqual({ code: null, signal: 'SIGKILL' });
  const doneAtKill = received.at(-1)!.event.progress.done;
  expect(await cloneStatusOf(world.store, plan.cloneId)).toBe('running');

  // Then B takes the clone over and completes it; its subscriber sees COMPLETED, then the end
  const completedAt = (await waitForCompletion(world.store, plan.cloneId)).getTime();
  expect(await ended).toEqual({});
  expect(errors).toEqual([]);
  const events = received.map(({ event }) => event);
  expect(events.at(-1)).toMatchObject({
    status: 'COMPLETED',
    terminal: true,
    progress: { done: plan.items.length, total: plan.items.length },
  });
  expect(events.slice(0, -1).every((event) => !event.terminal)).toBe(true);
  const dones = events.map((event) => event.progress.done);
  expect(dones).toEqual([...dones].sort((x, y) => x - y));
  expect(dones.some((done) => done > doneAtKill && done < plan.items.length)).toBe(true);

  // And B's runner did it: A held before its append KILL_AT_STEP, B recorded the rest and completed
  expect(a.steps.at(-1)!.sequence).toBe(KILL_AT_STEP);
  expect(b.steps.map((step) => step.action)).toContain('COMPLETE');
  const takeOver = b.steps.findIndex(
    (step, index) => step.action !== 'START' && b.stepTimes[index]! > killedAt,
  );
  expect(takeOver).toBeGreaterThanOrEqual(0);

  // And the clone holds each planned item exactly once, as both processes' read models show
  await expectCloneOfPlan(world.store, plan);
  await expectCompletedAndVerifiedBy(b, world.key, plan);
  const restartedA = launcher.launch(world.env('a', settings));
  expect(await restartedA.ready(), restartedA.stderr).toBe(true);
  await expectCompletedAndVerifiedBy(restartedA, world.key, plan);

  const delays = received.map(({ at, event }) => at - Date.parse(event.updatedAt)).sort((x, y) => x - y);
  console.log(
    `[two processes] A killed at ${doneAtKill} of ${plan.items.length} items; B took over ${b.stepTimes[takeOver]! - killedAt} ms after the kill` +
      ` (stale after ${STALE_AFTER_MS} ms, scan every ${SCAN_INTERVAL_MS} ms) and completed ${completedAt - killedAt} ms after it;` +
      ` the subscriber on B got ${received.length} updates, delivery delay p50 ${delays[Math.floor(delays.length / 2)]} ms, max ${delays.at(-1)} ms`,
  );
}, 90_000);
