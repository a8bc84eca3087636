/**
 * A full disk under the embedded store, simulated with SQLite's `max_page_count` on the store's own
 * connection (`SqliteEventStore.setMaxPageCount`): the file may not grow by one page. A clone that
 * runs into it fails as resumable with a typed error (EVENT_STORE_FULL, not a driver stack) and is
 * retried; the API refuses writes without leaking anything; nothing already in the log is damaged;
 * and once there is room again the clone completes, exactly once, without a restart.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openRuntime, serveRuntime, type Runtime } from '../../src/app/runtime.js';
import { loadConfig } from '../../src/config.js';
import { cloneStreamId } from '../../src/domain/clone/decider.js';
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import { verifyCloneHistory } from '../../src/domain/clone/verification.js';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { Sealer } from '../../src/security/sealer.js';
import { INTERNAL_ERROR_MESSAGE } from '../../src/server/errors.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { RunningServer } from '../../src/server/server.js';
import { largeSource } from '../support/clone-large-source.js';
import {
  callerOf,
  expectCloneOfPlan,
  PROVIDER_ID,
  readAll,
  REQUESTER,
  seedProvider,
  seedSource,
} from '../support/clone-world.js';
import { postGraphQL } from '../support/graphql-clients.js';
import { SOURCE_ID, waitForCompletion } from './support/world.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const opened: { dir?: string; store?: SqliteEventStore; runtime?: Runtime; server?: RunningServer } = {};

afterEach(async () => {
  await opened.server?.stop();
  await opened.runtime?.close();
  await opened.store?.close();
  if (opened.dir) await rm(opened.dir, { recursive: true, force: true });
});

async function allEvents(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

it('fails a clone as resumable with a clear error, damages nothing, and completes it once there is room', async () => {
  // Given a server on the embedded store, with a clone completed before the disk filled up
  const dir = (opened.dir = await mkdtemp(join(tmpdir(), 'orgclone-disk-full-')));
  const path = join(dir, 'events.sqlite');
  const store = (opened.store = await openSqliteEventStore({ path, pollIntervalMs: 10 }));
  await seedProvider(store);
  await seedSource(store, largeSource(1_700));
  const logs: LogLine[] = [];
  let fillDiskWhen: ((cloneId: string) => boolean) | null = null;
  const runtime = (opened.runtime = await openRuntime({
    config: { ...loadConfig({}), dataDir: dir },
    store,
    sealer: new Sealer(randomBytes(32)),
    logger: createLogger({
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
          callback();
        },
      }),
    }),
    metrics: createMetrics({ defaultMetrics: false }),
    cloneRunner: {
      maxBatchItems: 50,
      retryDelayMs: 100,
      scanIntervalMs: 50,
      staleAfterMs: 300,
      maxAttempts: 1_000,
      // The disk fills up just as the clone starts.
      onStep: ({ cloneId, action }) => {
        if (action === 'START' && fillDiskWhen?.(cloneId)) {
          fillDiskWhen = null;
          store.setMaxPageCount(1);
        }
      },
    },
  }));
  const server = (opened.server = await serveRuntime(runtime, { port: 0 }));
  const { key } = await runtime.providers.issueApiKey({
    providerId: PROVIDER_ID,
    administratorId: REQUESTER.id,
  });
  const clones = runtime.services.clones;
  const requestClone = async (name: string): Promise<ClonePlan> => {
    const input = { sourceOrganizationId: SOURCE_ID, name, idempotencyKey: randomUUID() };
    const plan = await clones.preview(callerOf(), input);
    await clones.requestClone(callerOf(), { ...input, expectedPlanId: plan.planId });
    return plan;
  };
  const earlier = await requestClone('Cloned before the disk filled up');
  await waitForCompletion(store, earlier.cloneId);
  const logBefore = await allEvents(store);

  // When the disk fills up as the next clone starts
  let fullAt = 0;
  fillDiskWhen = (cloneId) => {
    fullAt = performance.now();
    return cloneId !== earlier.cloneId;
  };
  const blocked = await requestClone('Cloned while the disk is full');
  const failures = () => logs.filter((line) => line.msg === 'clone failed');
  while (failures().length < 3) {
    expect(performance.now() - fullAt, 'the runner retries').toBeLessThan(20_000);
    await sleep(20);
  }

  // Then the clone fails as resumable, for a reason the runner retries, with the typed error
  for (const failure of failures()) {
    expect(failure).toMatchObject({
      cloneId: blocked.cloneId,
      reason: 'STORE_UNAVAILABLE',
      resumable: true,
      error: {
        type: 'EventStoreFullError',
        code: 'EVENT_STORE_FULL',
        message: expect.stringContaining('the event store is full'),
        cause: { type: 'SqliteError', code: 'SQLITE_FULL' },
      },
    });
    expect(failure.error).not.toHaveProperty('stack');
  }
  const partial = await readAll(store, cloneStreamId(blocked.cloneId));
  expect(partial.map((event) => event.type)).not.toContain('CloneCompleted');
  const recordedFailures = partial.filter((event) => event.type === 'CloneFailed');
  for (const recorded of recordedFailures) {
    expect(recorded.data).toMatchObject({ reason: 'STORE_UNAVAILABLE', resumable: true });
  }

  // And the API refuses a change without telling why, and logs the typed error
  const refused = await postGraphQL(
    server.url,
    key,
    'mutation { createOrganization(input: { displayName: "No room" }) { id } }',
  );
  expect(refused.errors).toEqual([
    expect.objectContaining({
      message: INTERNAL_ERROR_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    }),
  ]);
  expect(logs.find((line) => line.msg === 'internal error')).toMatchObject({
    err: { type: 'EventStoreFullError', code: 'EVENT_STORE_FULL' },
  });

  // And nothing is damaged: the file checks out, every earlier event reads back as it was, the
  // earlier clone and the partial history of the blocked one verify
  const check = new Database(path, { readonly: true });
  try {
    expect(check.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  } finally {
    check.close();
  }
  expect((await allEvents(store)).slice(0, logBefore.length)).toEqual(logBefore);
  await expectCloneOfPlan(store, earlier);
  expect(await runtime.services.cloneAudit.verify(PROVIDER_ID, earlier.cloneId)).toMatchObject({ ok: true });
  expect(verifyCloneHistory(partial)).toMatchObject({ valid: true });

  // When there is room again
  const roomAt = performance.now();
  store.setMaxPageCount(null);
  await waitForCompletion(store, blocked.cloneId);
  const recoveredIn = performance.now() - roomAt;

  // Then the clone completes exactly once, without a restart
  await expectCloneOfPlan(store, blocked);
  expect(await runtime.services.cloneAudit.verify(PROVIDER_ID, blocked.cloneId)).toMatchObject({ ok: true });
  console.log(
    `[disk full] ${failures().length} failed attempts of a ${blocked.items.length}-item clone while the disk was full (all EVENT_STORE_FULL, resumable; ${recordedFailures.length} recorded as CloneFailed, the others could not be written);` +
      ` completed ${Math.round(recoveredIn)} ms after there was room again; integrity_check ok`,
  );
});
