/**
 * The product's Prometheus metrics, in one registry that `GET /metrics` serves together with
 * Node's default process metrics. The server observes the GraphQL durations; the clone runner,
 * the event store adapters and the projection runner update the others.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

export interface OrgcloneMetrics {
  registry: Registry;
  /** Seconds from `CloneRequested` to the clone's terminal event. */
  cloneDuration: Histogram<'outcome'>;
  /** Clones that reached a terminal state: `completed`, `failed` or `discarded`. */
  clones: Counter<'outcome'>;
  /** Events this process appended, by stream category (`organization`, `clone`, `provider`). */
  eventsAppended: Counter<'stream_category'>;
  /** How many events of the log a projection has not folded yet; read when scraped (see `observeProjectionLag`). */
  projectionLag: Gauge<'projection'>;
  /** Where the projection lag comes from: asked on every scrape, per projection name. */
  observeProjectionLag(read: () => Promise<Record<string, number>>): void;
  /** Seconds to answer a GraphQL request over HTTP. */
  graphqlRequestDuration: Histogram<'operation_type'>;
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop, GC); on by default. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): OrgcloneMetrics {
  const registry = new Registry();
  let readProjectionLag: (() => Promise<Record<string, number>>) | null = null;
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    cloneDuration: new Histogram({
      name: 'orgclone_clone_duration_seconds',
      help: 'Seconds from a clone request to its terminal state, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    clones: new Counter({
      name: 'orgclone_clones_total',
      help: 'Clones that reached a terminal state, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    eventsAppended: new Counter({
      name: 'orgclone_events_appended_total',
      help: 'Events appended by this process, by stream category.',
      labelNames: ['stream_category'],
      registers: [registry],
    }),
    projectionLag: new Gauge({
      name: 'orgclone_projection_lag_events',
      help: 'Events in the log that a projection has not folded yet.',
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        if (!readProjectionLag) return;
        for (const [projection, lag] of Object.entries(await readProjectionLag()))
          this.set({ projection }, lag);
      },
    }),
    observeProjectionLag(read) {
      readProjectionLag = read;
    },
    graphqlRequestDuration: new Histogram({
      name: 'orgclone_graphql_request_duration_seconds',
      help: 'Seconds to answer a GraphQL request over HTTP, by operation type.',
      labelNames: ['operation_type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
