/**
 * A data directory (and, for EventStoreDB, the in-process test server) with a provider, an
 * administrator holding a real API key and a large source organization, for server processes to run
 * on. The test process keeps its own handle on the event store to check the log afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { openRuntime } from '../../../src/app/runtime.js';
import { CloneService } from '../../../src/application/clones.js';
import { organizationStreamId } from '../../../src/application/streams.js';
import { lastEventOf } from '../../../src/clone/stream-reads.js';
import { loadConfig } from '../../../src/config.js';
import { cloneStreamId, type CloneStatus } from '../../../src/domain/clone/decider.js';
import type { ClonePlan } from '../../../src/domain/clone/plan.js';
import { openEsdbEventStore } from '../../../src/eventstore/esdb/esdb-event-store.js';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventStore } from '../../../src/eventstore/types.js';
import { Sealer } from '../../../src/security/sealer.js';
import { createLogger } from '../../../src/server/logger.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { largeSource } from '../../support/clone-large-source.js';
import {
  callerOf,
  cloneStateOf,
  PROVIDER_ID,
  readAll,
  REQUESTER,
  seedProvider,
  seedSource,
  type StoreKind,
} from '../../support/clone-world.js';
import { startEsdbTestServer, type EsdbTestServer } from '../../support/esdb-test-server/index.js';
import { postGraphQL } from '../../support/graphql-clients.js';
import type { ServerProcess } from './server-process.js';

export const SOURCE_ID = 'org-source';

export interface ReliabilityWorld {
  /** The test process's own handle on the event store. */
  store: EventStore;
  /** The in-process EventStoreDB the world's events live in; null on SQLite. */
  esdb: EsdbTestServer | null;
  /** The API key of the provider's Administrator With Billing. */
  key: string;
  /** The environment of a server process on this world (`ORGCLONE_INSTANCE` names its read model). */
  env(instance?: string, settings?: Record<string, string | number>): Record<string, string>;
  /** The plan a clone of the source with this name and idempotency key runs (its preview). */
  plan(name: string, idempotencyKey: string): Promise<ClonePlan>;
  close(): Promise<void>;
}

export async function openReliabilityWorld(kind: StoreKind, sourceItems: number): Promise<ReliabilityWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'orgclone-reliability-'));
  const secretKey = randomBytes(32).toString('hex');
  const esdb = kind === 'esdb' ? await startEsdbTestServer() : null;
  const store: EventStore = esdb
    ? openEsdbEventStore(esdb.connectionString)
    : await openSqliteEventStore({ path: join(dataDir, 'events.sqlite') });
  const baseEnv: Record<string, string> = {
    ORGCLONE_DATA_DIR: dataDir,
    ORGCLONE_SECRET_KEY: secretKey,
    LOG_LEVEL: 'warn',
    ...(esdb ? { EVENTSTORE_CONNECTION_STRING: esdb.connectionString } : {}),
  };

  await seedProvider(store);
  await seedSource(store, largeSource(sourceItems));
  // The key is issued as the CLI issues it: through the provider service, on a runtime of its own.
  const seeding = await openRuntime({
    config: { ...loadConfig(baseEnv), instance: 'seed' },
    store,
    sealer: new Sealer(Buffer.from(secretKey, 'hex')),
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
    cloneRunner: false,
  });
  const { key } = await seeding.providers.issueApiKey({
    providerId: PROVIDER_ID,
    administratorId: REQUESTER.id,
  });
  await seeding.close();

  const planner = new CloneService({ store });
  return {
    store,
    esdb,
    key,
    env(instance = 'main', settings = {}) {
      const extra = Object.fromEntries(
        Object.entries(settings).map(([name, value]) => [name, String(value)]),
      );
      return { ...baseEnv, ORGCLONE_INSTANCE: instance, ...extra };
    },
    plan(name, idempotencyKey) {
      return planner.preview(callerOf(), { sourceOrganizationId: SOURCE_ID, name, idempotencyKey });
    },
    async close() {
      await store.close();
      await esdb?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const CLONE = `
  mutation Clone($input: CloneOrganizationInput!) {
    cloneOrganization(input: $input) { id status planId }
  }`;

/**
 * Requests the clone over HTTP, as a client would: with an idempotency key, so that when the server
 * dies before it answers, asking the next one again gives the same operation. Undefined when the
 * server died before answering.
 */
export async function requestCloneOver(
  server: ServerProcess,
  key: string,
  plan: ClonePlan,
  idempotencyKey: string,
): Promise<{ id: string; status: string } | undefined> {
  try {
    const { data, errors } = await postGraphQL<{
      cloneOrganization: { id: string; status: string; planId: string };
    }>(server.url, key, CLONE, {
      input: {
        sourceOrganizationId: plan.sourceOrganizationId,
        name: plan.name,
        idempotencyKey,
        expectedPlanId: plan.planId,
      },
    });
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    expect(data!.cloneOrganization).toMatchObject({ id: plan.cloneId, planId: plan.planId });
    return data!.cloneOrganization;
  } catch (error) {
    // Its connection closes an instant before its exit is seen.
    await Promise.race([server.exited, sleep(5_000)]);
    if (server.alive) throw error;
    return undefined;
  }
}

/** JumpCloud's id for "run as root". */
const ROOT_USER = '000000000000000000000000';

const ADD_COMMAND = `
  mutation Add($input: AddCommandInput!) {
    addCommand(input: $input) { command { id } }
  }`;

const CREATE_ORGANIZATION = `
  mutation Create($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { id }
  }`;

/**
 * Configuration changes a client makes while the server is being killed: one command after another
 * added to an organization of its own. Each one the server acknowledged must be in the log
 * afterwards; one in flight when the server died may or may not be.
 */
export class ConfigWriter {
  readonly acknowledged: string[] = [];
  /** Errors a server answered with. */
  readonly refusals: { message: string; extensions?: { code?: string } }[] = [];
  attempted = 0;
  private organizationId: string | null = null;

  constructor(private readonly key: string) {}

  /** Creates the organization the changes go to, unless it exists; false when the server died first. */
  async ensureOrganization(server: ServerProcess): Promise<boolean> {
    if (this.organizationId !== null) return true;
    try {
      const { data, errors } = await postGraphQL<{ createOrganization: { id: string } }>(
        server.url,
        this.key,
        CREATE_ORGANIZATION,
        // A fresh name each time: one created by a server that died before it answered keeps its own.
        { input: { displayName: `Changed while servers die ${randomUUID()}` } },
      );
      expect(errors, JSON.stringify(errors)).toBeUndefined();
      this.organizationId = data!.createOrganization.id;
      return true;
    } catch (error) {
      await Promise.race([server.exited, sleep(5_000)]);
      if (server.alive) throw error;
      return false;
    }
  }

  /**
   * Adds commands, one after another, until the server stops answering or `until` says stop;
   * resolves with how many it acknowledged.
   */
  async writeWhileAlive(server: ServerProcess, until: () => boolean = () => false): Promise<number> {
    let acknowledged = 0;
    while (server.alive && !until()) {
      const name = `Edit ${this.attempted}`;
      this.attempted += 1;
      let id: string | undefined;
      try {
        const { data, errors } = await postGraphQL<{ addCommand: { command: { id: string } } }>(
          server.url,
          this.key,
          ADD_COMMAND,
          {
            input: {
              organizationId: this.organizationId,
              name,
              command: `echo ${this.attempted}`,
              commandType: 'LINUX',
              user: ROOT_USER,
            },
          },
        );
        id = data?.addCommand.command.id;
        if (errors) this.refusals.push(...errors);
      } catch {
        break;
      }
      if (id !== undefined) {
        this.acknowledged.push(id);
        acknowledged += 1;
      }
    }
    return acknowledged;
  }

  /** Waits until `count` changes are acknowledged in all. */
  async waitForAcknowledged(count: number, timeoutMs = 30_000): Promise<void> {
    const started = performance.now();
    while (this.acknowledged.length < count) {
      if (performance.now() - started > timeoutMs) {
        throw new Error(
          `only ${this.acknowledged.length} of ${count} changes acknowledged in ${timeoutMs} ms`,
        );
      }
      await sleep(5);
    }
  }

  /** Every acknowledged change is in the log, once. */
  async expectAcknowledgedInLog(store: EventStore): Promise<number> {
    const events = await readAll(store, organizationStreamId(this.organizationId!));
    const added = events
      .filter((event) => event.type === 'CommandAdded')
      .map((event) => (event.data as { command: { id: string } }).command.id);
    expect(new Set(added).size).toBe(added.length);
    expect(added).toEqual(expect.arrayContaining(this.acknowledged));
    return added.length;
  }

  /** The commands of the organization as the server's read model shows them. */
  async commandsShownBy(server: ServerProcess): Promise<string[]> {
    const { data, errors } = await postGraphQL<{ organization: { commands: { id: string }[] } }>(
      server.url,
      this.key,
      `
        query Commands($id: ID!) {
          organization(id: $id) {
            commands {
              id
            }
          }
        }
      `,
      { id: this.organizationId },
    );
    expect(errors).toBeUndefined();
    return data!.organization.commands.map((command) => command.id);
  }
}

/** The clone's status as its stream tells it (`absent` before its request is committed). */
export async function cloneStatusOf(store: EventStore, cloneId: string): Promise<CloneStatus> {
  if ((await lastEventOf(store, cloneStreamId(cloneId))) === null) return 'absent';
  return (await cloneStateOf(store, cloneId)).status;
}

/** Waits until the clone's stream ends with `CloneCompleted`; returns that event's time. */
export async function waitForCompletion(
  store: EventStore,
  cloneId: string,
  timeoutMs = 60_000,
): Promise<Date> {
  const started = performance.now();
  for (;;) {
    let seen: string;
    try {
      const last = await lastEventOf(store, cloneStreamId(cloneId));
      if (last?.type === 'CloneCompleted') return last.created;
      seen = `last event ${last?.type}`;
    } catch (error) {
      // The test server may be in an outage the test injected.
      seen = String(error);
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`clone ${cloneId} did not complete within ${timeoutMs} ms; ${seen}`);
    }
    await sleep(50);
  }
}

const OPERATION = `
  query Operation($id: ID!) {
    cloneOperation(id: $id) {
      status
      progress { done total }
      verification { valid eventsChecked firstMismatch { problem } }
    }
  }`;

/** The clone as a server shows it over HTTP: completed, every item done, its verification valid. */
export async function expectCompletedAndVerifiedBy(
  server: ServerProcess,
  key: string,
  plan: ClonePlan,
): Promise<void> {
  const { data, errors } = await postGraphQL<{
    cloneOperation: {
      status: string;
      progress: { done: number; total: number };
      verification: { valid: boolean; eventsChecked: number; firstMismatch: unknown };
    };
  }>(server.url, key, OPERATION, { id: plan.cloneId });
  expect(errors).toBeUndefined();
  expect(data!.cloneOperation).toMatchObject({
    status: 'COMPLETED',
    progress: { done: plan.items.length, total: plan.items.length },
    verification: { valid: true, firstMismatch: null },
  });
}
