/** What a child process of the clone tests opens from its `childStore` argument (`CloneWorld.childStore`). */
import { openEsdbEventStore } from '../../src/eventstore/esdb/esdb-event-store.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqlite-event-store.js';
import type { EventStore } from '../../src/eventstore/types.js';

export async function openChildStore(childStore: string): Promise<EventStore> {
  const separator = childStore.indexOf(':');
  const kind = childStore.slice(0, separator);
  const location = childStore.slice(separator + 1);
  if (kind === 'sqlite') return openSqliteEventStore({ path: location });
  if (kind === 'esdb') return openEsdbEventStore(location);
  throw new Error(`unknown store ${childStore}`);
}
