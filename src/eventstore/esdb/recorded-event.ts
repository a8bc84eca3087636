import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { EventMetadata, JsonValue, RecordedEvent } from '../types.js';

/**
 * What the client reports for a position it does not know: stream reads from servers before 22.6, and
 * events written in explicit (TCP) transactions, carry this instead of their `$all` position.
 */
const UNKNOWN_POSITION = 2n ** 64n - 1n;

/**
 * The `$all` position of an event as one bigint: its commit position. That is exact for events appended
 * through gRPC: EventStoreDB writes each of them as a self-committing prepare record, whose `$all` position is
 * (commit, prepare) = (its log position, its log position), so `{ commit: p, prepare: p }` rebuilds it, no two
 * events share a commit position, and a subscription resumed from it starts right after that very event.
 * Only events of explicit transactions (the legacy TCP API, which orgclone never uses) share the position of
 * their commit record; stream reads report no position for those, and they are refused below.
 */
export function positionOf(event: EsdbRecordedEvent): bigint {
  const commit = event.position?.commit;
  if (commit === undefined || commit === UNKNOWN_POSITION) {
    throw new Error(
      `EventStoreDB reported no $all position for event ${event.id} of ${event.streamId}: ` +
        'the server must be 22.6 or later, and the event written by a gRPC append',
    );
  }
  return commit;
}

/** System streams (`$`-prefixed: users, settings, stream metadata, projection links) are not orgclone's. */
export function isSystemStream(streamId: string): boolean {
  return streamId.startsWith('$');
}

function isMetadataObject(value: unknown): value is EventMetadata {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.isJson) {
    throw new Error(
      `event ${event.id} of ${event.streamId} is not JSON: the event store port only carries JSON`,
    );
  }
  if (event.metadata !== undefined && !isMetadataObject(event.metadata)) {
    throw new Error(`event ${event.id} of ${event.streamId} has metadata that is not a JSON object`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    revision: event.revision,
    position: positionOf(event),
    data: event.data as JsonValue,
    metadata: event.metadata ?? {},
    created: event.created,
  };
}
