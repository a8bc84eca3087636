import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { RecordedEvent, Subscription } from '../../src/eventstore/types.js';

/**
 * Two processes on one database file: the child is a real `node` process running our adapter (see
 * `sqlite-child-loader.mjs` for how it runs TypeScript), the parent holds live subscriptions.
 */

const loader = fileURLToPath(new URL('../support/sqlite-child-loader.mjs', import.meta.url));
const childScript = fileURLToPath(new URL('../support/sqlite-child-appender.ts', import.meta.url));

type ChildMessage = Record<string, unknown>;

class Child {
  readonly messages: ChildMessage[] = [];
  readonly exited: Promise<number | null>;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly waiters: Array<() => void> = [];
  private stderr = '';

  constructor(args: string[]) {
    this.process = spawn(process.execPath, ['--import', loader, childScript, ...args]);
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      this.messages.push(JSON.parse(line) as ChildMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
  }

  async waitFor(matches: (message: ChildMessage) => boolean): Promise<ChildMessage> {
    for (;;) {
      const found = this.messages.find(matches);
      if (found) return found;
      const exited = await Promise.race([
        new Promise<false>((resolve) => this.waiters.push(() => resolve(false))),
        this.exited.then(() => true),
      ]);
      if (exited && !this.messages.some(matches)) {
        throw new Error(`child exited without the expected message; stderr:\n${this.stderr}`);
      }
    }
  }

  go(): void {
    this.process.stdin.end('go\n');
  }

  async finish(): Promise<void> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`child exited with ${code}; stderr:\n${this.stderr}`);
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

describe('embedded SQLite shared by two processes', () => {
  let directory: string;
  let path: string;
  let store: SqliteEventStore;
  const children: Child[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'orgclone-sqlite-two-processes-'));
    path = join(directory, 'events.db');
    store = await openSqliteEventStore({ path });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
  });
  afterAll(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  function startChild(args: string[]): Child {
    const child = new Child([path, ...args]);
    children.push(child);
    return child;
  }

  it("delivers the other process's appends to this process's live subscriptions", async () => {
    const streamId = `two-processes-paced-${randomUUID()}`;
    const count = 40;
    const child = startChild(['paced', streamId, String(count), '15']);
    await child.waitFor((m) => m.ready === true);

    const onStream = store.subscribeToStream(streamId);
    const onAll = store.subscribeToAll({ after: 'end' });
    subscriptions.push(onStream, onAll);
    const receivedAt = new Map<string, number>();
    const readAll = (async () => {
      const events: RecordedEvent[] = [];
      for await (const message of onAll) {
        if (message.kind !== 'event' || message.event.streamId !== streamId) continue;
        events.push(message.event);
        if (events.length === count) return events;
      }
      return events;
    })();
    const readStream = (async () => {
      const events: RecordedEvent[] = [];
      for await (const message of onStream) {
        if (message.kind !== 'event') continue;
        receivedAt.set(message.event.id, performance.timeOrigin + performance.now());
        events.push(message.event);
        if (events.length === count) return events;
      }
      return events;
    })();

    child.go();
    const [allEvents, streamEvents] = await Promise.all([readAll, readStream]);
    await child.finish();

    const committed = child.messages.filter((m) => typeof m.id === 'string') as Array<{
      id: string;
      committedAt: number;
    }>;
    expect(committed).toHaveLength(count);
    expect(streamEvents.map((e) => e.id)).toEqual(committed.map((m) => m.id));
    expect(streamEvents.map((e) => e.revision)).toEqual(Array.from({ length: count }, (_, n) => BigInt(n)));
    expect(allEvents.map((e) => e.id)).toEqual(committed.map((m) => m.id));

    const delays = committed.map((m) => receivedAt.get(m.id)! - m.committedAt).sort((a, b) => a - b);
    console.log(
      `cross-process delivery delay over ${count} events (poll interval 20 ms): ` +
        `p50 ${percentile(delays, 50).toFixed(1)} ms, p90 ${percentile(delays, 90).toFixed(1)} ms, ` +
        `max ${delays[delays.length - 1]!.toFixed(1)} ms`,
    );
  });

  it('concurrent appenders in two processes never lose or duplicate an event', async () => {
    const shared = `two-processes-shared-${randomUUID()}`;
    const exact = `two-processes-exact-${randomUUID()}`;
    const rounds = 100;
    const start = await store.headPosition();
    const workers = ['left', 'right'].map((worker) =>
      startChild(['contend', worker, shared, exact, String(rounds)]),
    );
    await Promise.all(workers.map((worker) => worker.waitFor((m) => m.ready === true)));

    const subscription = store.subscribeToAll({
      after: start ?? undefined,
      filter: { streamPrefixes: ['two-processes-'] },
    });
    subscriptions.push(subscription);
    for (const worker of workers) worker.go();
    const reports = await Promise.all(
      workers.map((worker) => worker.waitFor((m) => Array.isArray(m.sharedIds))),
    );
    await Promise.all(workers.map((worker) => worker.finish()));
    const sharedIds = reports.flatMap((report) => report.sharedIds as string[]);
    const exactIds = reports.flatMap((report) => report.exactIds as string[]);
    console.log(
      `exact-revision retries across processes: ${reports.map((report) => report.retries).join(' + ')}`,
    );

    const sharedStream = await collect(store.readStream(shared));
    expect(sharedStream.map((e) => e.revision)).toEqual(sharedStream.map((_, n) => BigInt(n)));
    expect(sorted(sharedStream.map((e) => e.id))).toEqual(sorted(sharedIds));
    const exactStream = await collect(store.readStream(exact));
    expect(exactStream).toHaveLength(2 * rounds);
    expect(sorted(exactStream.map((e) => e.id))).toEqual(sorted(exactIds));
    // Each worker's own events keep their order in the stream.
    for (const report of reports) {
      const own = new Set(report.sharedIds as string[]);
      expect(sharedStream.filter((e) => own.has(e.id)).map((e) => e.id)).toEqual(report.sharedIds);
    }

    const delivered: RecordedEvent[] = [];
    const total = sharedIds.length + exactIds.length;
    for await (const message of subscription) {
      if (
        message.kind === 'event' &&
        (message.event.streamId === shared || message.event.streamId === exact)
      ) {
        delivered.push(message.event);
      }
      if (delivered.length === total) break;
    }
    const inAll = (await collect(store.readAll({ after: start ?? undefined }))).filter(
      (e) => e.streamId === shared || e.streamId === exact,
    );
    expect(delivered.map((e) => e.id)).toEqual(inAll.map((e) => e.id));
    expect(new Set(delivered.map((e) => e.id)).size).toBe(total);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}
