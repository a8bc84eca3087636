import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import { idempotentCloneId } from '../src/application/clones.js';
import { serveRuntime } from '../src/app/runtime.js';
import { CloneRunner } from '../src/clone/runner.js';
import { percentile } from './stats.js';
import { issueKey, openBenchWorld } from './support.js';

/**
 * SPEC §10: 1,000 graphql-ws clients over real sockets follow one clone of a 10,000-item
 * organization with `cloneProgress`. The server runs no clones itself: once every client has its
 * first update (the clone's current state, PENDING), a clone runner on the same store starts the
 * clone, as another instance would. Lag: from the time of the last event an update reflects
 * (`updatedAt`) to its arrival at the client; updates are coalesced to about 10 a second by design.
 */

const PROGRESS = `
  subscription Progress($cloneId: ID!) {
    cloneProgress(cloneId: $cloneId) { status terminal updatedAt progress { done total } }
  }`;

interface Update {
  status: string;
  terminal: boolean;
  updatedAt: string;
}

interface Watcher {
  client: Client;
  first: Promise<void>;
  ended: Promise<void>;
  updates: number;
  last: Update | null;
}

export async function runSubscriptionsBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  const subscribers = opts.quick ? 200 : 1_000;
  const itemCount = opts.quick ? 2_000 : 10_000;
  const world = await openBenchWorld({ cloneRunner: false });
  const server = await serveRuntime(world.runtime, { port: 0 });
  const watchers: Watcher[] = [];
  const lags: number[] = [];
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

    for (let n = 0; n < subscribers; n++) {
      const client = createClient({
        url: server.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0,
      });
      let markFirst!: () => void;
      const first = new Promise<void>((resolve) => (markFirst = resolve));
      const watcher: Watcher = { client, first, ended: Promise.resolve(), updates: 0, last: null };
      watcher.ended = new Promise<void>((resolve, reject) => {
        client.subscribe<{ cloneProgress: Update }>(
          { query: PROGRESS, variables: { cloneId } },
          {
            next: ({ data, errors }) => {
              if (errors || !data) return reject(new Error(JSON.stringify(errors)));
              const update = data.cloneProgress;
              if (watcher.updates > 0) lags.push(Date.now() - Date.parse(update.updatedAt));
              watcher.updates++;
              watcher.last = update;
              markFirst();
            },
            error: reject,
            complete: resolve,
          },
        );
      });
      watchers.push(watcher);
    }
    await Promise.all(watchers.map((watcher) => watcher.first));

    const started = performance.now();
    runner = new CloneRunner({ store: world.runtime.store });
    await runner.start();
    const outcomes = await Promise.allSettled(watchers.map((watcher) => watcher.ended));
    const allEndedMs = performance.now() - started;
    const sawTerminal = watchers.filter(
      (watcher, index) =>
        outcomes[index]!.status === 'fulfilled' &&
        watcher.last?.terminal &&
        watcher.last.status === 'COMPLETED',
    ).length;
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      subscribers,
      subscribers_saw_terminal: sawTerminal,
      progress_lag_p50_ms: round(percentile(lags, 0.5)),
      progress_lag_p99_ms: round(percentile(lags, 0.99)),
      progress_lag_max_ms: round(Math.max(...lags)),
      updates_per_subscriber: round(lags.length / subscribers),
      clone_items: itemCount,
      clone_to_all_terminal_ms: round(allEndedMs),
    };
  } finally {
    await Promise.all(watchers.map((watcher) => watcher.client.dispose()));
    await runner?.stop();
    await server.stop();
    await world.close();
  }
}
