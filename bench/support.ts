/**
 * What the benchmark suites share: the product started as `orgclone serve` starts it (`openRuntime`)
 * in a fresh temporary data directory, a PAID provider with an administrator allowed to clone, and a
 * realistic source organization written straight into the log. Seeding is never measured.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idempotentCloneId } from '../src/application/clones.js';
import type { Caller } from '../src/application/organizations.js';
import { newObjectId } from '../src/application/object-ids.js';
import { organizationStreamId } from '../src/application/streams.js';
import { openRuntime, type Runtime } from '../src/app/runtime.js';
import { loadConfig } from '../src/config.js';
import type { Policy } from '../src/domain/organization/model.js';
import type { OrganizationState } from '../src/domain/organization/state.js';
import { cloneStreamId } from '../src/domain/clone/decider.js';
import type { EventStore, RecordedEvent } from '../src/eventstore/types.js';
import { ProjectionTimeoutError } from '../src/projections/errors.js';
import { principalOf } from '../src/projections/providers/queries.js';
import { Sealer } from '../src/security/sealer.js';
import { createMetrics } from '../src/server/metrics.js';
import { largeSource } from '../test/support/clone-large-source.js';
import { appendAll, eventsOf } from '../test/support/organization-events.js';

/** Seeding, cloning and catching up on 100,000 items takes a while on a busy 2-core machine. */
const TIMEOUT_MS = 600_000;
const CLONE_END_TYPES = ['CloneCompleted', 'CloneFailed'];

/** Catalogue templates (src/domain/policy-templates/catalogue.ts) the generated policies use. */
const LOCK_SCREEN = {
  templateId: '64f0a1b2c3d4e5f601000005',
  lockEnabled: '64f0a1b2c3d4e5f602050001',
  idleDelayMinutes: '64f0a1b2c3d4e5f602050002',
};
const WIFI = {
  templateId: '64f0a1b2c3d4e5f601000003',
  ssid: '64f0a1b2c3d4e5f602030001',
  encryptionType: '64f0a1b2c3d4e5f602030002',
  password: '64f0a1b2c3d4e5f602030003',
  autoJoin: '64f0a1b2c3d4e5f602030004',
};

export interface BenchWorld {
  runtime: Runtime;
  /** The administrator With Billing of a PAID provider, as the services take a caller. */
  caller: () => Caller;
  /** Writes `generatedSource(itemCount)` into the log and waits until every read model shows it. */
  seedSource(itemCount: number): Promise<OrganizationState>;
  close(): Promise<void>;
}

/** A fresh temporary directory for `run`, removed afterwards. */
export async function withTempDirectory<T>(
  prefix: string,
  run: (directory: string) => Promise<T>,
): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), `orgclone-bench-${prefix}-`));
  try {
    return await run(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The runtime on a fresh data directory (its own SQLite event log and read model), silent, with a
 * provider on the PAID plan and an `Administrator With Billing` created through the provider service.
 */
export async function openBenchWorld(
  options: { store?: EventStore; cloneRunner?: false } = {},
): Promise<BenchWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orgclone-bench-runtime-'));
  const sealer = new Sealer(randomBytes(32));
  const opened = await openRuntime({
    config: { ...loadConfig({ LOG_LEVEL: 'silent' }), dataDir },
    sealer,
    metrics: createMetrics({ defaultMetrics: false }),
    ...(options.store ? { store: options.store } : {}),
    ...(options.cloneRunner === false ? { cloneRunner: false as const } : {}),
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const provider = await opened.providers.createProvider({ name: 'Bench MSP', plan: 'PAID' });
  const administrator = await opened.providers.addAdministrator({
    providerId: provider.id,
    email: 'owner@bench.example',
    firstname: 'Bench',
    lastname: 'Owner',
    roleName: 'Administrator With Billing',
    orgAccess: 'ALL',
  });
  return {
    runtime: opened,
    caller: () => ({
      principal: principalOf(administrator),
      requestId: randomUUID(),
    }),
    async seedSource(itemCount) {
      const source = generatedSource(itemCount, {
        providerId: provider.id,
        adminIds: [administrator.id],
        sealer,
      });
      const position = await appendAll(opened.store, organizationStreamId(source.id), eventsOf(source));
      await opened.projections.waitForPosition(position, { timeoutMs: TIMEOUT_MS });
      return source;
    },
    async close() {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the `cloneOrganization` mutation sets off, to its end: requests a clone of the source through
 * the clone service, waits for the clone runner to record `CloneCompleted` (anything else fails),
 * then for every projection to reach the head of the log. Returns that head, and whether the request
 * itself gave up waiting for the read models to show it (PROJECTION_TIMEOUT: the clone goes on, the
 * mutation would have answered with that error).
 */
export async function cloneToCompletion(
  world: BenchWorld,
  source: Pick<OrganizationState, 'id' | 'displayName'>,
): Promise<{ cloneId: string; head: bigint; requestTimedOut: boolean }> {
  const { store, services, projections } = world.runtime;
  const caller = world.caller();
  // With a key, the clone id is known even when the request fails after appending.
  const idempotencyKey = randomUUID();
  const cloneId = idempotentCloneId(caller.principal.providerId, idempotencyKey);
  const end = nextCloneEnd(store, await store.headPosition());
  // Awaited below; a failed request must not leave it rejecting unobserved.
  end.catch(() => undefined);
  let requestTimedOut = false;
  try {
    await services.clones.requestClone(caller, {
      sourceOrganizationId: source.id,
      name: `Clone ${idempotencyKey.slice(0, 8)} of ${source.displayName}`,
      idempotencyKey,
    });
  } catch (error) {
    if (!(error instanceof ProjectionTimeoutError)) throw error;
    requestTimedOut = true;
  }
  const ended = await end;
  if (ended.streamId !== cloneStreamId(cloneId) || ended.type !== 'CloneCompleted') {
    throw new Error(`clone ${cloneId} ended with ${ended.type}: ${JSON.stringify(ended.data)}`);
  }
  const head = (await store.headPosition())!;
  await projections.waitForPosition(head, { timeoutMs: TIMEOUT_MS });
  return { cloneId, head, requestTimedOut };
}

/** The first clone end (`CloneCompleted`, `CloneFailed`) recorded after `after`. */
async function nextCloneEnd(store: EventStore, after: bigint | null): Promise<RecordedEvent> {
  const subscription = store.subscribeToAll({
    ...(after === null ? {} : { after }),
    filter: { eventTypes: CLONE_END_TYPES },
  });
  const timeout = setTimeout(() => void subscription.unsubscribe(), TIMEOUT_MS);
  try {
    for await (const message of subscription) {
      if (message.kind === 'event') return message.event;
    }
    throw new Error(`no clone finished within ${TIMEOUT_MS} ms`);
  } finally {
    clearTimeout(timeout);
    await subscription.unsubscribe();
  }
}

/**
 * `largeSource(itemCount)` of the provider, with policies of the real template catalogue (the
 * runtime plans with it): three in four lock the screen (copied with their values), one in four
 * configures Wi-Fi, whose network name and password are sensitive (sealed at rest like the
 * organization service seals them, left behind by a clone).
 */
export function generatedSource(
  itemCount: number,
  options: { providerId: string; adminIds: string[]; sealer: Sealer },
): OrganizationState {
  const source = largeSource(itemCount);
  const policies: Record<string, Policy> = {};
  Object.values(source.policies).forEach((policy, index) => {
    policies[policy.id] = {
      ...policy,
      ...(index % 4 === 3
        ? {
            name: `Office Wi-Fi ${index}`,
            templateId: WIFI.templateId,
            values: [
              { configFieldID: WIFI.ssid, value: options.sealer.seal(`office-${index}`), sensitive: true },
              { configFieldID: WIFI.encryptionType, value: 'WPA2', sensitive: false },
              {
                configFieldID: WIFI.password,
                value: options.sealer.seal(`secret-${index}`),
                sensitive: true,
              },
              { configFieldID: WIFI.autoJoin, value: true, sensitive: false },
            ],
          }
        : {
            templateId: LOCK_SCREEN.templateId,
            values: [
              { configFieldID: LOCK_SCREEN.lockEnabled, value: true, sensitive: false },
              { configFieldID: LOCK_SCREEN.idleDelayMinutes, value: (index % 60) + 1, sensitive: false },
            ],
          }),
    };
  });
  return {
    ...source,
    id: newObjectId(),
    providerId: options.providerId,
    displayName: `Source of ${itemCount.toLocaleString('en-US')} items`,
    policies,
    adminIds: options.adminIds,
  };
}

/** An API key of the world's administrator, for requests over HTTP and WebSocket. */
export async function issueKey(world: BenchWorld): Promise<string> {
  const { principal } = world.caller();
  const issued = await world.runtime.providers.issueApiKey({
    providerId: principal.providerId,
    administratorId: principal.administratorId,
  });
  return issued.key;
}
