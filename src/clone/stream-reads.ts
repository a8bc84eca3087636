/** Single-event reads the clone machinery needs to learn where a stream stands without folding it. */
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventStore, RecordedEvent } from '../eventstore/types.js';

/** The stream's last event; null when the stream does not exist. */
export async function lastEventOf(store: EventStore, streamId: string): Promise<RecordedEvent | null> {
  try {
    for await (const event of store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))
      return event;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return null;
}

/** The stream's first event; null when the stream does not exist. */
export async function firstEventOf(store: EventStore, streamId: string): Promise<RecordedEvent | null> {
  return eventAt(store, streamId, 0n);
}

/** The event at `revision`; null when the stream is shorter or does not exist. */
export async function eventAt(
  store: EventStore,
  streamId: string,
  revision: bigint,
): Promise<RecordedEvent | null> {
  try {
    for await (const event of store.readStream(streamId, { fromRevision: revision, maxCount: 1 }))
      return event;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return null;
}
