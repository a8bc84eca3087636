import { describe } from 'vitest';
import { openEsdbEventStore } from '../../src/eventstore/esdb/esdb-event-store.js';
import {
  startEsdbTestServer,
  type EsdbTestServer,
  type ServerBehaviour,
} from '../support/esdb-test-server/index.js';
import { describeEventStoreContract, type ContractStore } from './event-store-contract.js';

function openStore(connectionString: string): ContractStore {
  const store = openEsdbEventStore(connectionString);
  return { store, cleanup: () => store.close() };
}

function onTestServer(name: string, differences: Partial<ServerBehaviour>): void {
  let server: EsdbTestServer | undefined;
  describeEventStoreContract(
    name,
    async () => {
      server = await startEsdbTestServer(differences);
      const opened = openStore(server.connectionString);
      return {
        store: opened.store,
        async cleanup() {
          await opened.cleanup();
          await server?.stop();
        },
      };
    },
    { openSecondInstance: async () => openStore(server!.connectionString) },
  );
}

onTestServer('EventStoreDB adapter on the in-process gRPC test server', {});
// With projections on, system link events interleave with the application's in $all, as on many real nodes.
onTestServer('EventStoreDB adapter on the test server running the $by_category projection', {
  linkToCategories: true,
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
if (!realServer) {
  console.log(
    'EVENTSTORE_CONNECTION_STRING not set: skipping the contract suite against a real EventStoreDB',
  );
}

describe.skipIf(!realServer)('against the EventStoreDB at EVENTSTORE_CONNECTION_STRING', () => {
  describeEventStoreContract('EventStoreDB adapter on a real server', async () => openStore(realServer!), {
    openSecondInstance: async () => openStore(realServer!),
  });
});
