/**
 * The real API on real parts, composed as `orgclone serve` composes it (`openRuntime`): a SQLite
 * event store and read-model database in a temporary directory, every projection, the application
 * services, the clone runner, and the HTTP + WebSocket server on a free port. Administrators get real API keys; requests go over HTTP.
 *
 * The services read the read model through `readModelReads`, which counts every statement they
 * execute, so a test can show how many read-model queries a GraphQL operation costs.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Statement } from 'better-sqlite3';
import { print } from 'graphql';
import type { NewAdministrator } from '../../../src/application/providers.js';
import { openRuntime, serveRuntime, type RuntimeOptions } from '../../../src/app/runtime.js';
import { loadConfig } from '../../../src/config.js';
import type { BillingPlan } from '../../../src/domain/organization/model.js';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/sqlite-event-store.js';
import type { ReadModelDb } from '../../../src/projections/read-model-db.js';
import { Sealer } from '../../../src/security/sealer.js';
import { createLogger } from '../../../src/server/logger.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { connectGraphQL, postGraphQL, type GraphQLResult } from '../../support/graphql-clients.js';

export type { GraphQLError, GraphQLResult } from '../../support/graphql-clients.js';

/** Counts executions of the statements prepared through it. */
function countingReads(db: ReadModelDb): { db: ReadModelDb; executed: () => number } {
  let executed = 0;
  const countingStatement = (statement: Statement) =>
    new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property === 'all' || property === 'get' || property === 'iterate' || property === 'run') {
          return (...args: unknown[]) => {
            executed++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  const proxy = new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'prepare') {
        return (source: string) => countingStatement(target.prepare(source));
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, executed: () => executed };
}

export interface ApiServerOptions {
  /** The clone runner's settings; `false` runs no clones in the API's process (they run elsewhere). */
  cloneRunner?: RuntimeOptions['cloneRunner'];
}

export async function startApiServer(options: ApiServerOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'orgclone-api-'));
  const reads = { executed: () => 0 };
  let logText = '';
  const runtime = await openRuntime({
    config: { ...loadConfig({}), dataDir: dir },
    store: await openSqliteEventStore({ path: join(dir, 'events.sqlite'), pollIntervalMs: 10 }),
    sealer: new Sealer(randomBytes(32)),
    serviceReads: (db) => {
      const counting = countingReads(db);
      reads.executed = counting.executed;
      return counting.db;
    },
    logger: createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logText += chunk.toString('utf8');
          callback();
        },
      }),
    }),
    metrics: createMetrics({ defaultMetrics: false }),
    ...(options.cloneRunner === undefined ? {} : { cloneRunner: options.cloneRunner }),
  });
  const server = await serveRuntime(runtime, { port: 0 });
  const { store, providers } = runtime;
  const { organizations } = runtime.services;

  return {
    url: server.url,
    wsUrl: server.wsUrl,
    runtime,
    organizations,
    providers,
    /** Statements the API has executed on the read model so far. */
    readModelReads: reads.executed,
    logText: () => logText,

    async provider(plan: BillingPlan = 'PAID') {
      return providers.createProvider({ name: `MSP ${randomUUID().slice(0, 8)}`, plan });
    },

    /** A new administrator of the provider with a fresh API key. */
    async administrator(
      providerId: string,
      roleName: NewAdministrator['roleName'] = 'Administrator With Billing',
      access: Pick<NewAdministrator, 'orgAccess' | 'linkedOrganizationIds'> = { orgAccess: 'ALL' },
    ) {
      const administrator = await providers.addAdministrator({
        providerId,
        email: `${randomUUID().slice(0, 8)}@msp.example`,
        firstname: 'Ada',
        lastname: roleName,
        roleName,
        ...access,
      });
      const { key } = await providers.issueApiKey({ providerId, administratorId: administrator.id });
      return { administrator, key };
    },

    /** A typed document generated from `test/operations` (`npm run codegen`). */
    async execute<Data, Variables extends Record<string, unknown>>(
      key: string,
      document: TypedDocumentNode<Data, Variables>,
      variables: Variables,
    ): Promise<GraphQLResult<Data>> {
      return this.graphql<Data>(key, print(document), variables);
    },

    async graphql<Data = Record<string, unknown>>(
      key: string,
      query: string,
      variables: Record<string, unknown> = {},
    ): Promise<GraphQLResult<Data>> {
      return postGraphQL<Data>(server.url, key, query, variables);
    },

    /** A graphql-ws client of this server with the key; the caller disposes it. */
    connect(key: string) {
      return connectGraphQL(server.wsUrl, key);
    },

    async eventCount(): Promise<number> {
      let count = 0;
      for await (const _event of store.readAll()) count++;
      return count;
    },

    /** Every event of the log as text: what a scan for planted secrets reads. */
    async eventLogText(): Promise<string> {
      const lines: string[] = [];
      for await (const event of store.readAll())
        lines.push(
          JSON.stringify({ ...event, position: String(event.position), revision: String(event.revision) }),
        );
      return lines.join('\n');
    },

    async stop(): Promise<void> {
      await server.stop();
      await runtime.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

/** The data of a successful operation; fails the test with the errors otherwise. */
export function dataOf<Data>(result: GraphQLResult<Data>): Data {
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}
