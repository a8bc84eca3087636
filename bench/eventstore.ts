import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventData } from '../src/eventstore/types.js';
import { median } from './stats.js';

/**
 * Appends through our SQLite adapter against two baselines on the same workload in the same run:
 * raw better-sqlite3 inserts of the same rows into the very same schema (created by opening our store,
 * so the tables and indexes are identical) with the same pragmas and batches, and
 * `@event-driven-io/emmett-sqlite` as shipped (WAL; its sqlite3 build defaults to synchronous=FULL).
 *
 * The raw baseline gets the rows already serialized, so the adapter's JSON serialization, size check,
 * expected-revision check and result are all counted as its overhead.
 *
 * Each measurement runs on a fresh file in the OS temp directory; one warm-up round is discarded, the
 * figure is the median of the timed rounds (ratios: the median of per-round ratios), and the three
 * contenders take turns going first.
 */

const BATCH_SIZE = 500;
const STREAMS = 10;

interface Workload {
  events: EventData<string, Record<string, string | number>>[];
  rows: Array<[id: string, type: string, data: string, metadata: string]>;
}

function workload(count: number): Workload {
  const cloneId = randomUUID();
  const events = Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    type: 'SettingCopied',
    data: {
      cloneId,
      sourceItemId: (0x5f1a2b3c4d5e6f7a8b9c0d1en + BigInt(n)).toString(16),
      setting: 'passwordPolicy.minLength',
      outcome: 'copied',
      value: n,
    },
    metadata: {
      correlationId: cloneId,
      actor: '5f1a2b3c4d5e6f7a8b9c0d1e',
      recordedAt: new Date().toISOString(),
    },
  }));
  const rows = events.map(
    (e) => [e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)] as Workload['rows'][number],
  );
  return { events, rows };
}

/** Batch i goes to stream i % STREAMS: several streams, each growing batch after batch like a clone's. */
function streamOf(batch: number): string {
  return `clone-${batch % STREAMS}`;
}

function withTempFile<T>(run: (path: string) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'orgclone-bench-eventstore-'));
  return run(join(directory, 'events.db')).finally(() => rmSync(directory, { recursive: true, force: true }));
}

function perSecond(count: number, startedAt: bigint): number {
  return count / (Number(process.hrtime.bigint() - startedAt) / 1e9);
}

async function adapterAppends({ events }: Workload): Promise<number> {
  return withTempFile(async (path) => {
    const store = await openSqliteEventStore({ path });
    const next = new Map<string, bigint>();
    const startedAt = process.hrtime.bigint();
    for (let batch = 0; batch * BATCH_SIZE < events.length; batch++) {
      const streamId = streamOf(batch);
      const result = await store.appendToStream(
        streamId,
        events.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE),
        { expectedRevision: next.get(streamId) ?? 'no_stream' },
      );
      next.set(streamId, result.nextExpectedRevision);
    }
    const rate = perSecond(events.length, startedAt);
    await store.close();
    return rate;
  });
}

async function rawInserts({ rows }: Workload): Promise<number> {
  return withTempFile(async (path) => {
    await (await openSqliteEventStore({ path })).close();
    const db = new Database(path);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertBatch = db.transaction((streamId: string, from: number, firstRevision: number) => {
      const created = Date.now();
      const to = Math.min(from + BATCH_SIZE, rows.length);
      for (let index = from; index < to; index++) {
        const row = rows[index]!;
        insert.run(streamId, firstRevision + index - from, row[0], row[1], row[2], row[3], created);
      }
    });
    const next = new Map<string, number>();
    const startedAt = process.hrtime.bigint();
    for (let batch = 0; batch * BATCH_SIZE < rows.length; batch++) {
      const streamId = streamOf(batch);
      const revision = next.get(streamId) ?? 0;
      insertBatch.immediate(streamId, batch * BATCH_SIZE, revision);
      next.set(streamId, revision + BATCH_SIZE);
    }
    const rate = perSecond(rows.length, startedAt);
    db.close();
    return rate;
  });
}

async function emmettAppends({ events }: Workload): Promise<number> {
  return withTempFile(async (path) => {
    const store = getSQLiteEventStore({ fileName: path });
    const next = new Map<string, bigint>();
    const startedAt = process.hrtime.bigint();
    for (let batch = 0; batch * BATCH_SIZE < events.length; batch++) {
      const streamId = streamOf(batch);
      const batchEvents = events.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE).map((e) => ({
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      }));
      const expected = next.get(streamId);
      const result = await store.appendToStream(
        streamId,
        batchEvents,
        expected === undefined ? {} : { expectedStreamVersion: expected },
      );
      next.set(streamId, result.nextExpectedStreamVersion);
    }
    return perSecond(events.length, startedAt);
  });
}

async function readAllAndSingleAppends(
  { events }: Workload,
  singleAppends: number,
): Promise<{ readAll: number; single: number }> {
  return withTempFile(async (path) => {
    const store = await openSqliteEventStore({ path });
    for (let offset = 0; offset < events.length; offset += BATCH_SIZE) {
      await store.appendToStream(streamOf(offset / BATCH_SIZE), events.slice(offset, offset + BATCH_SIZE));
    }
    let read = 0;
    let startedAt = process.hrtime.bigint();
    for await (const _event of store.readAll()) read++;
    if (read !== events.length) throw new Error(`read ${read} of ${events.length} events`);
    const readAll = perSecond(read, startedAt);

    let expected = -1n;
    startedAt = process.hrtime.bigint();
    for (let n = 0; n < singleAppends; n++) {
      const result = await store.appendToStream('single', [{ ...events[n]!, id: randomUUID() }], {
        expectedRevision: expected < 0n ? 'no_stream' : expected,
      });
      expected = result.nextExpectedRevision;
    }
    const single = perSecond(singleAppends, startedAt);
    await store.close();
    return { readAll, single };
  });
}

export async function runEventstoreBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  const count = opts.quick ? 20_000 : 100_000;
  const rounds = opts.quick ? 3 : 5;
  const singleAppends = opts.quick ? 300 : 1_000;
  const work = workload(count);
  const contenders = [
    ['append_events_per_s', adapterAppends],
    ['raw_sqlite_rows_per_s', rawInserts],
    ['emmett_sqlite_events_per_s', emmettAppends],
  ] as const;

  const warmUp = workload(Math.min(count, 5 * BATCH_SIZE));
  for (const [, run] of contenders) await run(warmUp);
  await readAllAndSingleAppends(warmUp, 20);

  const samples = new Map<string, number[]>();
  const sample = (key: string, value: number): void => {
    samples.set(key, [...(samples.get(key) ?? []), value]);
  };
  for (let round = 0; round < rounds; round++) {
    const rates: Record<string, number> = {};
    for (let turn = 0; turn < contenders.length; turn++) {
      const [key, run] = contenders[(round + turn) % contenders.length]!;
      rates[key] = await run(work);
      sample(key, rates[key]);
    }
    // Ratios per round, whose contenders ran back to back, are steadier on a shared machine than a
    // ratio of medians taken from different moments.
    sample('append_vs_raw_ratio', rates.append_events_per_s! / rates.raw_sqlite_rows_per_s!);
    sample('append_vs_emmett_ratio', rates.append_events_per_s! / rates.emmett_sqlite_events_per_s!);
    const { readAll, single } = await readAllAndSingleAppends(work, singleAppends);
    sample('read_all_events_per_s', readAll);
    sample('single_event_appends_per_s', single);
  }

  const results: Record<string, number> = {};
  for (const [key, values] of samples) {
    results[key] = key.endsWith('_ratio')
      ? Math.round(median(values) * 1000) / 1000
      : Math.round(median(values));
  }
  return {
    ...results,
    event_bytes: Math.round(
      work.rows.reduce((sum, row) => sum + Buffer.byteLength(row[1]) + row[2].length + row[3].length, 0) /
        count,
    ),
    batch_size: BATCH_SIZE,
    events_per_round: count,
    rounds,
  };
}
