import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { Message } from 'google-protobuf';
import type { ExpectedState, LoggedEvent, ProposedEvent } from './event-log.js';
import { anyPb, codePb, emptyPb, sharedPb, statusPb, streamsPb } from './protocol.js';

/** Conversions between the wire messages and the log, shaped as EventStoreDB's gRPC layer shapes them. */

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A client-sent id, normalised as the server's `Guid` prints it; throws on anything that is not a UUID.
 * (Ids in the structured form are left out: the client only sends, and asks for, the string form.)
 */
export function uuidToString(uuid: SharedPb.UUID | undefined): string {
  const text = uuid?.getString().toLowerCase() ?? '';
  if (!UUID_PATTERN.test(text)) throw new Error(`'${text}' is not a valid UUID`);
  return text;
}

export function streamIdentifier(streamName: string): SharedPb.StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

export function streamNameOf(identifier: SharedPb.StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('missing stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function readEventResponse(event: LoggedEvent): StreamsPb.ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(new sharedPb.UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.position.toString())
    .setPreparePosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', event.created.toString());
  const readEvent = new streamsPb.ReadResp.ReadEvent()
    .setEvent(recorded)
    .setCommitPosition(event.position.toString());
  return new streamsPb.ReadResp().setEvent(readEvent);
}

export function checkpointResponse(position: bigint): StreamsPb.ReadResp {
  const checkpoint = new streamsPb.ReadResp.Checkpoint()
    .setCommitPosition(position.toString())
    .setPreparePosition(position.toString());
  return new streamsPb.ReadResp().setCheckpoint(checkpoint);
}

interface ProposedMessage {
  getId(): SharedPb.UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

export class MissingMetadataError extends Error {
  constructor(readonly property: string) {
    super(`Required Metadata Property '${property}' is missing`);
  }
}

export function proposedEventFrom(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) throw new MissingMetadataError('type');
  const contentType = metadata.get('content-type');
  if (contentType === undefined) throw new MissingMetadataError('content-type');
  return {
    id: uuidToString(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/** The `google.rpc.Status` a batch append answers with, its details packed as the real server packs them. */
function rpcStatus(code: number, message: string, details: Message, typeName: string): StatusPb.Status {
  const packed = new anyPb.Any();
  packed.pack(details.serializeBinary(), typeName);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(packed);
}

export function wrongExpectedVersionStatus(
  currentRevision: bigint | null,
  expected: ExpectedState,
): StatusPb.Status {
  const details = new sharedPb.WrongExpectedVersion();
  if (currentRevision === null) details.setCurrentNoStream(new emptyPb.Empty());
  else details.setCurrentStreamRevision(currentRevision.toString());
  if (expected === 'any') details.setExpectedAny(new emptyPb.Empty());
  else if (expected === 'no_stream') details.setExpectedNoStream(new emptyPb.Empty());
  else if (expected === 'stream_exists') details.setExpectedStreamExists(new emptyPb.Empty());
  else details.setExpectedStreamPosition(expected.toString());
  return rpcStatus(
    codePb.Code.ALREADY_EXISTS,
    'WrongExpectedVersion',
    details,
    'event_store.client.WrongExpectedVersion',
  );
}

export function maximumAppendSizeExceededStatus(maxAppendSize: number): StatusPb.Status {
  return rpcStatus(
    codePb.Code.INVALID_ARGUMENT,
    'MaximumAppendSizeExceeded',
    new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize),
    'event_store.client.MaximumAppendSizeExceeded',
  );
}

export function badRequestStatus(message: string): StatusPb.Status {
  return rpcStatus(
    codePb.Code.INVALID_ARGUMENT,
    'BadRequest',
    new sharedPb.BadRequest().setMessage(message),
    'event_store.client.BadRequest',
  );
}
