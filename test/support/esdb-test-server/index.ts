import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { EventLog } from './event-log.js';
import { Faults, type FaultPlan, type FaultRecord } from './faults.js';
import { serverFeaturesGrpc, streamsGrpc } from './protocol.js';
import { serverFeaturesService } from './server-features-service.js';
import { streamsService } from './streams-service.js';
import { CURRENT_SERVER, type ServerBehaviour } from './server-behaviour.js';
import { SubscriptionRegistry } from './subscriptions.js';

export type { ServerBehaviour } from './server-behaviour.js';
export type { AppendFault, FaultPlan, FaultRecord, SubscriptionPhase } from './faults.js';

/** What a new node writes to `$all` on its own before any client does: its default users and settings. */
function writeStartupSystemEvents(log: EventLog): void {
  const json = (type: string, data: object) => ({
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(data)),
    customMetadata: new Uint8Array(),
  });
  for (const login of ['admin', 'ops']) {
    log.write(`$user-${login}`, [
      json('$user', { LoginName: login, FullName: login, Groups: [`$${login}s`] }),
    ]);
    log.write('$users', [json('$UserCreated', { LoginName: login })]);
  }
  log.write('$settings', [json('update-default-acl', { $userStreamAcl: {}, $systemStreamAcl: {} })]);
}

export interface EsdbTestServer {
  /** `esdb://` single node without TLS: the client connects straight to it, no gossip. */
  readonly connectionString: string;
  /** Ends every live subscription call the way the server drops a subscription that must be resubscribed. */
  dropSubscriptions(): void;
  /**
   * From now on, drops every connection where the plan says (mid-append, before or after the commit;
   * mid-subscription), then serves again after a short outage. `{}` injects nothing more.
   */
  injectFaults(plan: FaultPlan): void;
  /** The drops injected so far. */
  readonly faults: readonly FaultRecord[];
  /** Stops serving (every call is cancelled, as when a node goes down); the events are kept. Idempotent. */
  stop(): Promise<void>;
  /** Serves again on the same port, with the same events. */
  start(): Promise<void>;
}

/**
 * An in-process EventStoreDB node for tests: the Streams and ServerFeatures gRPC services built on the
 * definitions shipped in @eventstore/db-client, over an in-memory log. Every other service and method
 * (gossip, operations, persistent subscriptions, projections, users, stream deletion) answers UNIMPLEMENTED.
 */
export async function startEsdbTestServer(
  differences: Partial<ServerBehaviour> = {},
): Promise<EsdbTestServer> {
  const behaviour = { ...CURRENT_SERVER, ...differences };
  const log = new EventLog(behaviour.linkToCategories);
  writeStartupSystemEvents(log);
  const subscriptions = new SubscriptionRegistry();
  let server: grpc.Server | undefined;
  let outage: NodeJS.Timeout | undefined;
  const faults = new Faults((outageMs) => {
    if (!server) return;
    server.forceShutdown();
    server = undefined;
    outage = setTimeout(() => {
      outage = undefined;
      void listen(port);
    }, outageMs);
  });

  const listen = async (port: number): Promise<number> => {
    const instance = new grpc.Server();
    instance.addService(streamsGrpc.StreamsService, streamsService(log, subscriptions, behaviour, faults));
    instance.addService(serverFeaturesGrpc.ServerFeaturesService, serverFeaturesService());
    const boundPort = await new Promise<number>((resolve, reject) =>
      instance.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    server = instance;
    faults.serving();
    return boundPort;
  };

  const port = await listen(0);
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    dropSubscriptions: () => subscriptions.dropAll(),
    injectFaults: (plan) => faults.inject(plan),
    faults: faults.injected,
    async stop() {
      clearTimeout(outage);
      outage = undefined;
      server?.forceShutdown();
      server = undefined;
    },
    async start() {
      if (!server) await listen(port);
    },
  };
}
