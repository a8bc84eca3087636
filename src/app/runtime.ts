/**
 * The composition root: wires the configured event store, this process's read-model database, the
 * projections, the application services and the clone runner together. `orgclone serve`, `demo`,
 * the CLI commands and the end-to-end tests all start the product through here, so they run the
 * same parts in the same way.
 */
import 'reflect-metadata';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AggregateCache } from '../application/aggregate-cache.js';
import { CloneAuditService } from '../application/clone-audit.js';
import { CloneService } from '../application/clones.js';
import { OrganizationService } from '../application/organizations.js';
import { ProviderService } from '../application/providers.js';
import { CloneProgressFeeds } from '../clone/progress-feed.js';
import { CloneRunner, type CloneRunnerOptions } from '../clone/runner.js';
import { PlanHandoff } from '../clone/plan-handoff.js';
import type { Config } from '../config.js';
import type { OrganizationState } from '../domain/organization/state.js';
import { openEventStore } from '../eventstore/open.js';
import type { EventStore } from '../eventstore/types.js';
import { clonesProjection } from '../projections/clones/projection.js';
import { CloneReadModel } from '../projections/clones/queries.js';
import { organizationsProjection } from '../projections/organizations/projection.js';
import { OrganizationReadModel } from '../projections/organizations/queries.js';
import type { Projection } from '../projections/projection.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { providersProjection } from '../projections/providers/projection.js';
import { ProviderReadModel } from '../projections/providers/queries.js';
import { openReadModelDb, type ReadModelDb } from '../projections/read-model-db.js';
import { rebuildProjections } from '../projections/rebuild.js';
import { orgcloneContext, type OrgcloneServices } from '../resolvers/context.js';
import { buildOrgcloneSchema } from '../schema/build-schema.js';
import { loadSealer, type Sealer } from '../security/sealer.js';
import { createApiKeyAuthenticator } from '../server/auth.js';
import { createLogger } from '../server/logger.js';
import { createMetrics, type OrgcloneMetrics } from '../server/metrics.js';
import { createServer, type RunningServer } from '../server/server.js';

/** Folded organizations a process keeps: the ones being edited, previewed and cloned now. */
const ORGANIZATIONS_CACHED = 8;

/** Every read model the API serves, in the order they are rebuilt. */
export function allProjections(): Projection[] {
  return [providersProjection(), organizationsProjection(), clonesProjection];
}

export function readModelPath(config: Pick<Config, 'dataDir' | 'instance'>): string {
  return join(config.dataDir, `readmodel-${config.instance}.sqlite`);
}

export interface RuntimeOptions {
  config: Config;
  logger?: Logger;
  metrics?: OrgcloneMetrics;
  /** The event store to use instead of the configured one (tests share one between runtimes). */
  store?: EventStore;
  sealer?: Sealer;
  /** The view of the read model the API's services read through (tests count its queries). */
  serviceReads?: (db: ReadModelDb) => ReadModelDb;
  /** Settings of the clone runner; `false` runs no clones in this process (read-only tools). */
  cloneRunner?: Partial<Omit<CloneRunnerOptions, 'store'>> | false;
}

export interface Runtime {
  config: Config;
  store: EventStore;
  db: ReadModelDb;
  projections: ProjectionRunner;
  services: OrgcloneServices;
  providers: ProviderService;
  cloneRunner: CloneRunner | null;
  logger: Logger;
  metrics: OrgcloneMetrics;
  /** Stops the clone runner and the projections, then closes the read model and the store. */
  close(): Promise<void>;
}

/**
 * Opens the store and the read model, starts the projections and the clone runner. It does not wait
 * for the projections to catch up: `serve` reports that on `/readyz`, one-shot commands wait for the
 * head of the log themselves.
 */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = options.metrics ?? createMetrics();
  mkdirSync(config.dataDir, { recursive: true });
  const store = options.store ?? (await openEventStore(config));
  const sealer = options.sealer ?? loadSealer(join(config.dataDir, 'secret.key'));
  const db = openReadModelDb(readModelPath(config));
  const projections = new ProjectionRunner({
    store,
    db,
    projections: allProjections(),
    log: ({ level, msg, ...fields }) => logger[level](fields, msg),
  });
  await projections.start();
  observeProjectionLag(metrics, store, projections);

  const reads = options.serviceReads?.(db) ?? db;
  // Big organizations are folded once, then only their new events (previews, clones, edits).
  const organizationCache = new AggregateCache<OrganizationState>(ORGANIZATIONS_CACHED);
  const organizations = new OrganizationService({ store, db: reads, projections, sealer, organizationCache });
  const providers = new ProviderService({ store, db, projections });
  const cloneReadModel = new CloneReadModel(reads);
  // Only a runner in this process takes the plans its requests compute.
  const plans = options.cloneRunner === false ? undefined : new PlanHandoff();
  const services: OrgcloneServices = {
    organizations,
    clones: new CloneService({ store, projections, plans, organizationCache }),
    cloneAudit: new CloneAuditService({ store, readModel: cloneReadModel }),
    readModels: {
      organizations: new OrganizationReadModel(reads),
      providers: new ProviderReadModel(reads),
      clones: cloneReadModel,
    },
    store,
    cloneProgress: new CloneProgressFeeds(store),
  };

  let cloneRunner: CloneRunner | null = null;
  if (options.cloneRunner !== false) {
    cloneRunner = new CloneRunner({
      store,
      metrics: {
        cloneFinished: (outcome, seconds) => {
          metrics.cloneDuration.observe({ outcome }, seconds);
          metrics.clones.inc({ outcome });
        },
        eventsAppended: (category, count) => metrics.eventsAppended.inc({ stream_category: category }, count),
      },
      log: ({ level, msg, ...fields }) => logger[level](fields, msg),
      plans,
      ...options.cloneRunner,
    });
    await cloneRunner.start();
  }

  return {
    config,
    store,
    db,
    projections,
    services,
    providers,
    cloneRunner,
    logger,
    metrics,
    async close() {
      await cloneRunner?.stop();
      await projections.stop();
      db.close();
      if (!options.store) await store.close();
    },
  };
}

/**
 * `orgclone_projection_lag_events`, computed when Prometheus scrapes: how far each projection's
 * checkpoint is behind the head of the log (positions: events on the embedded store, log bytes on
 * EventStoreDB; 0 means caught up either way).
 */
function observeProjectionLag(
  metrics: OrgcloneMetrics,
  store: EventStore,
  projections: ProjectionRunner,
): void {
  metrics.observeProjectionLag(async () => {
    const head = await store.headPosition();
    const lag: Record<string, number> = {};
    for (const status of projections.status()) {
      const behind = head === null ? 0n : head - (status.position ?? 0n);
      lag[status.name] = Number(behind > 0n ? behind : 0n);
    }
    return lag;
  });
}

export interface ServeOptions {
  port?: number;
  host?: string;
}

/** Serves the runtime's API over HTTP and WebSocket. */
export async function serveRuntime(runtime: Runtime, options: ServeOptions = {}): Promise<RunningServer> {
  return createServer({
    schema: await buildOrgcloneSchema(),
    context: orgcloneContext(runtime.services),
    authenticator: createApiKeyAuthenticator(new ProviderReadModel(runtime.db)),
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: () => runtime.projections.isCaughtUp(),
    port: options.port ?? runtime.config.port,
    host: options.host ?? runtime.config.host,
  });
}

/**
 * `orgclone projections rebuild`: every read model from scratch, into a fresh file that replaces
 * this instance's read model at the end (a failed rebuild leaves the old one in place). Run it while
 * this instance's `serve` is stopped: a running server keeps the file it opened.
 */
export async function rebuildReadModels(
  config: Config,
  store: EventStore,
): Promise<{ events: number; seconds: number }> {
  const target = readModelPath(config);
  const fresh = `${target}.rebuild-${process.pid}`;
  const db = openReadModelDb(fresh);
  const started = performance.now();
  let events: number;
  try {
    ({ events } = await rebuildProjections({ store, db, projections: allProjections() }));
  } catch (error) {
    db.close();
    removeDatabase(fresh);
    throw error;
  }
  // Closing checkpoints the WAL into the file, so the file alone is the whole read model.
  db.close();
  removeDatabase(target);
  renameSync(fresh, target);
  return { events, seconds: (performance.now() - started) / 1000 };
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
