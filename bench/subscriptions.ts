import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { idempotentCloneId } from '../src/application/clones.js';
import { serveRuntime } from '../src/app/runtime.js';
import { CloneRunner } from '../src/clone/runner.js';
import { percentile } from './stats.js';
import type { SubscriberReport } from './subscription-clients.js';
import { issueKey, openBenchWorld } from './support.js';

/**
 * SPEC §10: 1,000 graphql-ws clients over real sockets follow one clone of a 10,000-item
 * organization with `cloneProgress`. The clients live in a child process (their own message
 * parsing is not the server's work). The server runs no clones itself: once every client has its
 * first update (the clone's current state, PENDING), a clone runner on the same store starts the
 * clone, as another instance would. Lag: from the time of the last event an update reflects
 * (`updatedAt`) to its arrival at the client; updates are coalesced to about 10 a second by design.
 */

const CLIENTS_SCRIPT = fileURLToPath(new URL('./subscription-clients.js', import.meta.url));

/** Starts the subscribers; `ready` resolves once each has its first update, `report` when all ended. */
function startSubscribers(args: string[]): { ready: Promise<void>; report: Promise<SubscriberReport> } {
  const child = spawn(process.execPath, [CLIENTS_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const report = new Promise<SubscriberReport>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') markReady();
      else resolve(JSON.parse(line) as SubscriberReport);
    });
    child.on('exit', (code) => reject(new Error(`the subscribers exited with ${code}`)));
  });
  return { ready: Promise.race([ready, report.then(() => undefined)]), report };
}

export async function runSubscriptionsBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  const subscribers = opts.quick ? 200 : 1_000;
  const itemCount = opts.quick ? 2_000 : 10_000;
  const world = await openBenchWorld({ cloneRunner: false });
  const server = await serveRuntime(world.runtime, { port: 0 });
  let runner: CloneRunner | null = null;
  try {
    const source = await world.seedSource(itemCount);
    const key = await issueKey(world);
    const caller = world.caller();
    const idempotencyKey = randomUUID();
    const cloneId = idempotentCloneId(caller.principal.providerId, idempotencyKey);
    await world.runtime.services.clones.requestClone(caller, {
      sourceOrganizationId: source.id,
      name: 'Watched by many',
      idempotencyKey,
    });

    const { ready, report } = startSubscribers([server.wsUrl, key, cloneId, String(subscribers)]);
    await ready;

    const started = performance.now();
    runner = new CloneRunner({ store: world.runtime.store });
    await runner.start();
    const seen = await report;
    const allEndedMs = performance.now() - started;
    if (seen.failures.length > 0) console.log(`subscriber failures: ${seen.failures.join('; ')}`);
    const { lags } = seen;
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      subscribers,
      subscribers_saw_terminal: seen.sawTerminal,
      progress_lag_p50_ms: round(percentile(lags, 0.5)),
      progress_lag_p99_ms: round(percentile(lags, 0.99)),
      progress_lag_max_ms: round(lags.reduce((max, lag) => Math.max(max, lag), 0)),
      updates_per_subscriber: round(lags.length / subscribers),
      clone_items: itemCount,
      clone_to_all_terminal_ms: round(allEndedMs),
    };
  } finally {
    await runner?.stop();
    await server.stop();
    await world.close();
  }
}
