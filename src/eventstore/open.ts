import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { openEsdbEventStore } from './esdb/esdb-event-store.js';
import { openSqliteEventStore } from './sqlite/sqlite-event-store.js';
import type { EventStore } from './types.js';

/** The configured event store: EventStoreDB when a connection string is set, else the embedded log. */
export async function openEventStore(
  config: Pick<Config, 'dataDir' | 'eventStoreConnectionString'>,
): Promise<EventStore> {
  if (config.eventStoreConnectionString) return openEsdbEventStore(config.eventStoreConnectionString);
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteEventStore({ path: join(config.dataDir, 'events.sqlite') });
}
