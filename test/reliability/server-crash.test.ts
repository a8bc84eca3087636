/**
 * SPEC §5, crash-safe and exactly-once, for the whole server: a real child process runs what
 * `orgclone serve` runs (the store, the read model, the projections, the clone runner, the HTTP and
 * WebSocket API), a client requests a clone of a large organization over HTTP and keeps changing the
 * configuration of another organization, and the process is SIGKILLed: before a chosen append of
 * the clone (a step), or after a random delay. A fresh process on the same data then finishes the
 * clone. Every time: the clone completes, each planned item is in the new organization and the audit
 * exactly once, the history verifies, and every change the client got an answer for is in the log.
 *
 * On EventStoreDB the test server also drops every connection in the middle of appends (before and
 * after their commit) and of subscriptions (catching up and live), then serves again.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import { INTERNAL_ERROR_MESSAGE } from '../../src/server/errors.js';
import { expectCloneOfPlan } from '../support/clone-world.js';
import { ServerLauncher, type ServerProcess } from './support/server-process.js';
import {
  cloneStatusOf,
  ConfigWriter,
  expectCompletedAndVerifiedBy,
  openReliabilityWorld,
  requestCloneOver,
  waitForCompletion,
  type ReliabilityWorld,
} from './support/world.js';

/** About 1,500 plan items. */
const SOURCE_ITEMS = 1_700;
const BATCH_ITEMS = 50;
const RUNNER = { TEST_BATCH_ITEMS: BATCH_ITEMS };

/** Where a process dies: before the n-th append of its clone run, or before the first of a kind. */
type KillPoint = { step: number } | { before: 'PROVISION' | 'COMPLETE' };

function killEnv(point: KillPoint): Record<string, string | number> {
  return 'step' in point ? { TEST_KILL_AT_STEP: point.step } : { TEST_KILL_BEFORE: point.before };
}

function describeKill(point: KillPoint): string {
  return 'step' in point ? `step ${point.step}` : `before ${point.before}`;
}

interface Running {
  server: ServerProcess;
  writes: Promise<number>;
}

interface CloneUnderTest {
  plan: ClonePlan;
  idempotencyKey: string;
  /** The clone's request was answered by some server. */
  acknowledged: boolean;
}

/**
 * One clone requested over HTTP from processes that get killed: the request is sent to each
 * process until one answers (same idempotency key), the configuration writes go on meanwhile.
 */
class Scenario {
  readonly launcher = new ServerLauncher();
  readonly writer: ConfigWriter;
  /** Writes acknowledged by processes that were killed afterwards. */
  acknowledgedBeforeKills = 0;

  /**
   * `outages`: the store becomes unreachable at times (connections dropped), so a change may be
   * refused, as an internal error that tells nothing of the cause.
   */
  constructor(
    private readonly world: ReliabilityWorld,
    private readonly settings: Record<string, string | number>,
    private readonly outages = false,
  ) {
    this.writer = new ConfigWriter(world.key);
    this.launcher.preload();
  }

  async newClone(name: string): Promise<CloneUnderTest> {
    const idempotencyKey = randomUUID();
    return { plan: await this.world.plan(name, idempotencyKey), idempotencyKey, acknowledged: false };
  }

  /**
   * Starts a process that serves the clone's request, then the writes; `writes` settles with how
   * many it acknowledged, once it dies or `stopWrites` says so.
   */
  run(
    clone: CloneUnderTest,
    extra: Record<string, string | number> = {},
    stopWrites: () => boolean = () => false,
  ): Running {
    const server = this.launcher.launch(this.world.env('main', { ...this.settings, ...extra }));
    const writes = (async () => {
      if (!(await server.ready())) return 0;
      if (!(await this.writer.ensureOrganization(server))) return 0;
      if (!clone.acknowledged) {
        clone.acknowledged =
          (await requestCloneOver(server, this.world.key, clone.plan, clone.idempotencyKey)) !== undefined;
      }
      return this.writer.writeWhileAlive(server, stopWrites);
    })();
    return { server, writes };
  }

  /** Kills it (if it is not dead yet) and counts the writes it acknowledged before. */
  async killed({ server, writes }: Running): Promise<void> {
    expect(await server.kill(), server.stderr).toEqual({ code: null, signal: 'SIGKILL' });
    this.acknowledgedBeforeKills += await writes;
  }

  /**
   * Kills at the point given, once the API has acknowledged writes while the clone stood there (one
   * is usually in flight at the kill); checks it died there, with the clone unfinished.
   */
  async killAt(clone: CloneUnderTest, point: KillPoint): Promise<void> {
    const running = this.run(clone, { ...killEnv(point), TEST_HOLD_KILL: 1 });
    const { server, writes } = running;
    // A failed request or write ends the wait: it would never get there.
    await Promise.race([
      server.until(() => server.holding !== null || !server.alive, 60_000, `reach ${describeKill(point)}`),
      writes,
    ]);
    expect(server.alive, server.stderr).toBe(true);
    await this.writer.waitForAcknowledged(this.writer.acknowledged.length + 2);
    await server.killHeld();
    await this.killed(running);
    const last = server.steps.at(-1)!;
    if ('step' in point) expect(last.sequence).toBe(point.step);
    else expect(last.action).toBe(point.before);
    expect(await cloneStatusOf(this.world.store, clone.plan.cloneId)).not.toBe('completed');
  }

  /**
   * A process that finishes the clones, with writes going on until they are done; every check of
   * the clones and of the writes passes on it. Returns how long after it started the last clone
   * completed.
   */
  async finish(clones: CloneUnderTest[]): Promise<number> {
    let done = false;
    const { server, writes } = this.run(clones.at(-1)!, {}, () => done);
    expect(await server.ready(), server.stderr).toBe(true);
    let completedAt = 0;
    for (const clone of clones) {
      const completed = await waitForCompletion(this.world.store, clone.plan.cloneId);
      completedAt = Math.max(completedAt, completed.getTime());
    }
    done = true;
    await writes;
    for (const clone of clones) {
      // A client whose request went unanswered asks again with its key: it gets the same clone.
      clone.acknowledged ||=
        (await requestCloneOver(server, this.world.key, clone.plan, clone.idempotencyKey)) !== undefined;
      expect(clone.acknowledged).toBe(true);
      await expectCloneOfPlan(this.world.store, clone.plan);
      await expectCompletedAndVerifiedBy(server, this.world.key, clone.plan);
    }
    await this.checkWrites(server);
    return completedAt - server.startedAt;
  }

  /**
   * No write was refused but as outages allow; every acknowledged one is in the log, and the
   * server's read model shows all that is.
   */
  async checkWrites(server: ServerProcess): Promise<void> {
    const refused = this.writer.refusals.filter(
      (error) =>
        !(
          this.outages &&
          error.message === INTERNAL_ERROR_MESSAGE &&
          error.extensions?.code === 'INTERNAL_SERVER_ERROR'
        ),
    );
    expect(refused).toEqual([]);
    const inLog = await this.writer.expectAcknowledgedInLog(this.world.store);
    expect(this.acknowledgedBeforeKills).toBeGreaterThan(0);
    const shown = await this.writer.commandsShownBy(server);
    expect(shown).toHaveLength(inLog);
    expect(shown).toEqual(expect.arrayContaining(this.writer.acknowledged));
  }

  async close(): Promise<void> {
    await this.launcher.close();
  }
}

describe('a server on SQLite killed during a clone', () => {
  let world: ReliabilityWorld;

  beforeAll(async () => {
    world = await openReliabilityWorld('sqlite', SOURCE_ITEMS);
  });

  afterAll(async () => {
    await world?.close();
  });

  // 18 kills before steps of 48 appends in all (of the run's 63), then before the last two appends.
  const chain: KillPoint[] = [
    ...[0, 1, 2, 1, 2, 3, 1, 4, 2, 5, 1, 3, 6, 2, 4, 1, 3, 2].map((step) => ({ step })),
    { before: 'PROVISION' },
    { before: 'COMPLETE' },
  ];

  it(`survives ${chain.length} kills, each before another append of the clone, restarted each time`, async () => {
    const scenario = new Scenario(world, RUNNER);
    try {
      const clone = await scenario.newClone('Killed step by step');
      expect(clone.plan.items.length).toBeGreaterThan(1_400);
      const started = performance.now();
      for (const point of chain) await scenario.killAt(clone, point);
      const lastRun = await scenario.finish([clone]);
      console.log(
        `[sqlite] ${chain.length} kills before appends of a ${clone.plan.items.length}-item clone survived in ${seconds(performance.now() - started)}` +
          ` (the last process completed it ${lastRun} ms after it started); ${scenario.acknowledgedBeforeKills} writes acknowledged before the kills, all in the log`,
      );
    } finally {
      await scenario.close();
    }
  }, 120_000);

  it('survives kills at random moments, clone after clone', async () => {
    const scenario = new Scenario(world, RUNNER);
    const wanted = 8;
    const clones: CloneUnderTest[] = [];
    const delays: number[] = [];
    try {
      let current = await scenario.newClone('Killed at random 0');
      clones.push(current);
      // Longest delay after a process takes the clone up; shortened whenever the clone completes first.
      let maxDelay = 600;
      for (let round = 0; delays.length < wanted; round++) {
        expect(round).toBeLessThan(wanted * 3);
        const running = scenario.run(current);
        const { server } = running;
        // A process takes a clone up when it starts, or when a new clone is requested from it.
        await server.until(() => server.steps.length > 0 || !server.alive, 30_000, 'take the clone up');
        const delay = Math.floor(Math.random() * maxDelay);
        await sleep(delay);
        await scenario.killed(running);
        if ((await cloneStatusOf(world.store, current.plan.cloneId)) === 'completed') {
          maxDelay = Math.max(100, Math.floor(maxDelay * 0.8));
          current = await scenario.newClone(`Killed at random ${clones.length}`);
          clones.push(current);
        } else {
          delays.push(delay);
        }
      }
      await scenario.finish(clones);
      console.log(
        `[sqlite] ${delays.length} kills in the middle of clone runs, at random (${delays.join(', ')} ms after the process took the clone up), over ${clones.length} clones survived;` +
          ` ${scenario.acknowledgedBeforeKills} writes acknowledged before the kills, all in the log`,
      );
    } finally {
      await scenario.close();
    }
  }, 120_000);
});

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

describe('a server on EventStoreDB killed during a clone, its connections dropped', () => {
  let world: ReliabilityWorld;

  beforeAll(async () => {
    world = await openReliabilityWorld('esdb', SOURCE_ITEMS);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('survives kills, and connections dropped mid-append and mid-subscription, completing the clone once', async () => {
    // A run cut off from the store is taken up again by the stale scan, a recorded failure by the retry.
    const scenario = new Scenario(
      world,
      {
        ...RUNNER,
        TEST_STALE_AFTER_MS: 1_000,
        TEST_SCAN_INTERVAL_MS: 200,
        TEST_RETRY_DELAY_MS: 300,
        TEST_MAX_ATTEMPTS: 100,
      },
      true,
    );
    try {
      const clone = await scenario.newClone('Killed and cut off');
      const started = performance.now();
      const kills: KillPoint[] = [{ step: 2 }, { step: 5 }, { step: 3 }, { step: 6 }, { step: 4 }];
      for (const point of kills) await scenario.killAt(clone, point);

      const organizationStream = `organization-${clone.plan.newOrganizationId}`;
      const cloneStream = `clone-${clone.plan.cloneId}`;
      let organizationAppends = 0;
      let cloneAppends = 0;
      let liveEvents = 0;
      let caughtUpDrop = false;
      world.esdb!.injectFaults({
        // The runner catching up on the clones' lifecycle when the next process starts.
        subscriptionEvent(event, phase) {
          if (phase === 'catching-up') {
            if (caughtUpDrop || event.type !== 'CloneRequested') return false;
            return (caughtUpDrop = true);
          }
          // A projection following the clone's stream live, once the appends were cut off.
          return cloneAppends >= 3 && event.streamName === cloneStream && ++liveEvents === 5;
        },
        append(streamName) {
          if (streamName === organizationStream && ++organizationAppends === 2) return 'drop-after-commit';
          if (streamName === cloneStream && organizationAppends >= 2 && ++cloneAppends === 3) {
            return 'drop-before-commit';
          }
          return undefined;
        },
      });
      const lastRun = await scenario.finish([clone]);
      world.esdb!.injectFaults({});
      expect(world.esdb!.faults.map(({ kind, streamName }) => [kind, streamName])).toEqual([
        ['drop-while-catching-up', cloneStream],
        ['drop-after-commit', organizationStream],
        ['drop-before-commit', cloneStream],
        ['drop-while-live', cloneStream],
      ]);
      console.log(
        `[esdb] ${kills.length} kills and ${world.esdb!.faults.length} connection drops (mid-subscription catching up and live, mid-append before and after the commit) survived in ${seconds(performance.now() - started)};` +
          ` the last process completed the clone ${lastRun} ms after it started; ${scenario.acknowledgedBeforeKills} writes acknowledged before the kills, ${scenario.writer.refusals.length} refused during outages, all acknowledged ones in the log`,
      );
    } finally {
      world.esdb!.injectFaults({});
      await scenario.close();
    }
  }, 120_000);
});
