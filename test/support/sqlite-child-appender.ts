import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../src/eventstore/errors.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventData, EventStore, ExpectedRevision } from '../../src/eventstore/types.js';

/**
 * A second process for `sqlite-two-processes.test.ts`, run with `sqlite-child-loader.mjs`. It opens the
 * same database file through our adapter, says `ready`, waits for `go` on stdin, appends, and reports
 * on stdout as JSON lines.
 *
 * - `paced <stream> <count> <pauseMs>`: one event per append, reporting each id and its commit time.
 * - `contend <worker> <sharedStream> <exactStream> <rounds>`: per round, a batch of 1–3 events to the
 *   shared stream with `any`, and one event to the exact stream with an exact expected revision,
 *   retried on WrongExpectedVersionError; finally reports every id it committed.
 */

function send(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function event(type: string, data: Record<string, string | number>): EventData {
  return { id: randomUUID(), type, data };
}

async function lastRevision(store: EventStore, streamId: string): Promise<ExpectedRevision> {
  try {
    for await (const last of store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))
      return last.revision;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return 'no_stream';
}

async function paced(store: EventStore, streamId: string, count: number, pauseMs: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const paced = event('Paced', { n });
    await store.appendToStream(streamId, [paced]);
    send({ id: paced.id, committedAt: performance.timeOrigin + performance.now() });
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

async function contend(
  store: EventStore,
  worker: string,
  shared: string,
  exact: string,
  rounds: number,
): Promise<void> {
  const sharedIds: string[] = [];
  const exactIds: string[] = [];
  let retries = 0;
  for (let round = 0; round < rounds; round++) {
    const batch = Array.from({ length: 1 + (round % 3) }, (_, index) =>
      event('Shared', { worker, round, index }),
    );
    await store.appendToStream(shared, batch);
    sharedIds.push(...batch.map((e) => e.id));

    const claimed = event('Claimed', { worker, round });
    for (;;) {
      try {
        const expectedRevision = await lastRevision(store, exact);
        // Widens the read-then-write window so that the two processes really do collide.
        await new Promise((resolve) => setTimeout(resolve, 1));
        await store.appendToStream(exact, [claimed], { expectedRevision });
        break;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        retries++;
      }
    }
    exactIds.push(claimed.id);
  }
  send({ sharedIds, exactIds, retries });
}

const [path, mode, ...args] = process.argv.slice(2);
const store = await openSqliteEventStore({ path: path! });
send({ ready: true });
await new Promise<void>((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'go') {
      lines.close();
      process.stdin.destroy();
      resolve();
    }
  });
});
if (mode === 'paced') await paced(store, args[0]!, Number(args[1]), Number(args[2]));
else if (mode === 'contend') await contend(store, args[0]!, args[1]!, args[2]!, Number(args[3]));
else throw new Error(`unknown mode ${mode}`);
await store.close();
