import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import { describeEventStoreContract } from './event-store-contract.js';

let directory: string | undefined;

async function databasePath(): Promise<string> {
  directory ??= await mkdtemp(join(tmpdir(), 'orgclone-sqlite-contract-'));
  return join(directory, 'events.db');
}

describeEventStoreContract(
  'embedded SQLite',
  async () => {
    const store = await openSqliteEventStore({ path: await databasePath() });
    return {
      store,
      async cleanup() {
        await store.close();
        if (directory) await rm(directory, { recursive: true, force: true });
      },
    };
  },
  {
    async openSecondInstance() {
      const store = await openSqliteEventStore({ path: await databasePath() });
      return { store, cleanup: () => store.close() };
    },
  },
);
