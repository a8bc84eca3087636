import * as grpc from '@grpc/grpc-js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { eventFilterFrom, type EventFilter } from './event-filter.js';
import type { Faults } from './faults.js';
import {
  sizeOnDisk,
  type EventLog,
  type ExpectedState,
  type LoggedEvent,
  type ProposedEvent,
} from './event-log.js';
import {
  badRequestStatus,
  maximumAppendSizeExceededStatus,
  MissingMetadataError,
  proposedEventFrom,
  readEventResponse,
  streamIdentifier,
  streamNameOf,
  uuidToString,
  wrongExpectedVersionStatus,
} from './messages.js';
import { emptyPb, sharedPb, streamsPb } from './protocol.js';
import { ReadCallWriter, type ReadCall } from './read-call.js';
import type { ServerBehaviour } from './server-behaviour.js';
import { subscribeToAll, subscribeToStream, type SubscriptionRegistry } from './subscriptions.js';

/** EventStoreDB's default `MaxAppendSize`. */
export const MAX_APPEND_SIZE = 1024 * 1024;

type AppendCall = grpc.ServerReadableStream<StreamsPb.AppendReq, StreamsPb.AppendResp>;
type BatchAppendCall = grpc.ServerDuplexStream<StreamsPb.BatchAppendReq, StreamsPb.BatchAppendResp>;

/**
 * `event_store.client.streams.Streams`: Read (stream and `$all` reads, catch-up subscriptions), Append and
 * BatchAppend. Delete and Tombstone are left out of the implementation, so grpc-js answers them UNIMPLEMENTED.
 */
export function streamsService(
  log: EventLog,
  registry: SubscriptionRegistry,
  behaviour: ServerBehaviour,
  faults: Faults,
): grpc.UntypedServiceImplementation {
  return {
    read(call: ReadCall) {
      read(log, registry, behaviour, faults, call).catch((error: unknown) => {
        new ReadCallWriter(call).fail({ code: grpc.status.UNKNOWN, details: String(error) });
      });
    },
    append(call: AppendCall, callback: grpc.sendUnaryData<StreamsPb.AppendResp>) {
      append(log, faults, call, callback);
    },
    batchAppend(call: BatchAppendCall) {
      batchAppend(log, faults, call);
    },
  };
}

async function read(
  log: EventLog,
  registry: SubscriptionRegistry,
  behaviour: ServerBehaviour,
  faults: Faults,
  call: ReadCall,
): Promise<void> {
  const options = call.request.getOptions();
  if (!options) throw new Error('Read without options');
  const filter = options.hasFilter() ? eventFilterFrom(options.getFilter()!) : undefined;
  const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
  const context = { call, log, registry, behaviour, faults };
  const RevisionCase = streamsPb.ReadReq.Options.StreamOptions.RevisionOptionCase;
  const AllCase = streamsPb.ReadReq.Options.AllOptions.AllOptionCase;

  if (options.hasStream()) {
    const stream = options.getStream()!;
    const streamName = streamNameOf(stream.getStreamIdentifier());
    const revisionCase = stream.getRevisionOptionCase();
    const revision = BigInt(stream.getRevision());
    if (options.hasSubscription()) {
      const start =
        revisionCase === RevisionCase.START
          ? 'start'
          : revisionCase === RevisionCase.END
            ? 'end'
            : { after: revision };
      return subscribeToStream(context, streamName, start);
    }
    const from =
      revisionCase === RevisionCase.START ? 'start' : revisionCase === RevisionCase.END ? 'end' : revision;
    return readStream(log, call, streamName, from, backwards, BigInt(options.getCount()));
  }

  const all = options.getAll();
  if (!all) throw new Error('Read of neither a stream nor $all');
  const allCase = all.getAllOptionCase();
  const position = BigInt(all.getPosition()?.getCommitPosition() ?? '0');
  if (options.hasSubscription()) {
    const start = allCase === AllCase.START ? 'start' : allCase === AllCase.END ? 'end' : { from: position };
    return subscribeToAll(context, start, filter);
  }
  const from = allCase === AllCase.START ? 'start' : allCase === AllCase.END ? 'end' : position;
  return readAll(log, call, from, backwards, BigInt(options.getCount()), filter);
}

/** Forwards from a revision includes it; backwards from a revision includes it and goes down. */
async function readStream(
  log: EventLog,
  call: ReadCall,
  streamName: string,
  from: 'start' | 'end' | bigint,
  backwards: boolean,
  count: bigint,
): Promise<void> {
  const writer = new ReadCallWriter(call);
  const stored = log.stream(streamName);
  if (!stored) {
    const notFound = new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(
      streamIdentifier(streamName),
    );
    await writer.write(new streamsPb.ReadResp().setStreamNotFound(notFound));
    writer.end();
    return;
  }
  const last = stored.length - 1;
  const start = from === 'start' ? 0 : from === 'end' ? (backwards ? last : stored.length) : Number(from);
  const selected = backwards
    ? stored.slice(0, Math.min(start, last) + 1).reverse()
    : stored.slice(Math.min(start, stored.length));
  await writeEvents(writer, selected, count);
}

/** Forwards from a position includes the event there; backwards from a position returns the events before it. */
async function readAll(
  log: EventLog,
  call: ReadCall,
  from: 'start' | 'end' | bigint,
  backwards: boolean,
  count: bigint,
  filter: EventFilter | undefined,
): Promise<void> {
  const writer = new ReadCallWriter(call);
  const all = log.all;
  let selected: LoggedEvent[];
  if (backwards) {
    const end = from === 'start' ? 0 : from === 'end' ? all.length : log.indexAtOrAfter(from);
    selected = all.slice(0, end).reverse();
  } else {
    const start = from === 'start' ? 0 : from === 'end' ? all.length : log.indexAtOrAfter(from);
    selected = all.slice(start);
  }
  await writeEvents(writer, filter ? selected.filter((event) => filter.matches(event)) : selected, count);
}

async function writeEvents(
  writer: ReadCallWriter,
  events: readonly LoggedEvent[],
  count: bigint,
): Promise<void> {
  let sent = 0n;
  for (const event of events) {
    if (sent >= count) break;
    if (!(await writer.write(readEventResponse(event)))) return;
    sent += 1n;
  }
  writer.end();
}

function appendExpectation(options: StreamsPb.AppendReq.Options): ExpectedState {
  const Case = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.REVISION:
      return BigInt(options.getRevision());
    case Case.NO_STREAM:
      return 'no_stream';
    case Case.STREAM_EXISTS:
      return 'stream_exists';
    default:
      return 'any';
  }
}

/**
 * The unary append: options, then one message per event. Its size cap counts event data only and is
 * reported, like the real server's, as an INVALID_ARGUMENT with `exception` trailers.
 */
function append(
  log: EventLog,
  faults: Faults,
  call: AppendCall,
  callback: grpc.sendUnaryData<StreamsPb.AppendResp>,
): void {
  let options: StreamsPb.AppendReq.Options | undefined;
  const proposed: ProposedEvent[] = [];
  let dataSize = 0;
  let answered = false;
  const fail = (status: Partial<grpc.StatusObject>) => {
    if (answered) return;
    answered = true;
    callback(status);
  };

  call.on('data', (request: StreamsPb.AppendReq) => {
    if (answered) return;
    if (!options) {
      options = request.getOptions();
      if (!options) fail({ code: grpc.status.UNKNOWN, details: 'Exception was thrown by handler.' });
      return;
    }
    const message = request.getProposedMessage();
    if (!message) return fail({ code: grpc.status.UNKNOWN, details: 'Exception was thrown by handler.' });
    dataSize += message.getData_asU8().length;
    if (dataSize > MAX_APPEND_SIZE) {
      return fail({
        code: grpc.status.INVALID_ARGUMENT,
        details: `Maximum Append Size of ${MAX_APPEND_SIZE} Exceeded.`,
        metadata: trailers({
          exception: 'maximum-append-size-exceeded',
          'maximum-append-size': `${MAX_APPEND_SIZE}`,
        }),
      });
    }
    try {
      proposed.push(proposedEventFrom(message));
    } catch (error) {
      if (error instanceof MissingMetadataError) {
        return fail({
          code: grpc.status.INVALID_ARGUMENT,
          details: error.message,
          metadata: trailers({
            exception: 'missing-required-metadata-property',
            'required-metadata-properties': 'type,content-type',
          }),
        });
      }
      return fail({ code: grpc.status.UNKNOWN, details: 'Exception was thrown by handler.' });
    }
  });

  call.on('end', () => {
    if (answered || !options) return;
    answered = true;
    const expected = appendExpectation(options);
    const streamName = streamNameOf(options.getStreamIdentifier());
    const fault = faults.beforeAppend(streamName, proposed);
    if (fault === 'drop-before-commit') return;
    const outcome = log.append(streamName, expected, proposed);
    if (fault === 'drop-after-commit') return;
    const response = new streamsPb.AppendResp();
    if (outcome.kind === 'wrong_expected_version') {
      const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
      if (outcome.currentRevision === null) wrong.setCurrentNoStream(new sharedPb.Empty());
      else wrong.setCurrentRevision(outcome.currentRevision.toString());
      if (expected === 'any') wrong.setExpectedAny(new sharedPb.Empty());
      else if (expected === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
      else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
      else wrong.setExpectedRevision(expected.toString());
      callback(null, response.setWrongExpectedVersion(wrong));
      return;
    }
    const success = new streamsPb.AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new sharedPb.Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === null) success.setNoPosition(new sharedPb.Empty());
    else
      success.setPosition(
        new streamsPb.AppendResp.Position()
          .setCommitPosition(outcome.position.toString())
          .setPreparePosition(outcome.position.toString()),
      );
    callback(null, response.setSuccess(success));
  });
}

function trailers(entries: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

function batchExpectation(options: StreamsPb.BatchAppendReq.Options): ExpectedState {
  const Case = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.STREAM_POSITION:
      return BigInt(options.getStreamPosition());
    case Case.NO_STREAM:
      return 'no_stream';
    case Case.STREAM_EXISTS:
      return 'stream_exists';
    default:
      return 'any';
  }
}

interface PendingWrite {
  readonly streamName: string;
  readonly expected: ExpectedState;
  readonly proposed: ProposedEvent[];
  size: number;
}

/**
 * The batch append the client uses once the server lists it in its features: one long-lived duplex call,
 * each write a correlation id, its options, and chunks of events up to `is_final`. The size cap counts
 * `Event.SizeOnDisk` and, like every failure, is answered on the stream as a `google.rpc.Status`.
 */
function batchAppend(log: EventLog, faults: Faults, call: BatchAppendCall): void {
  const pending = new Map<string, PendingWrite>();
  const answer = (request: StreamsPb.BatchAppendReq, streamName: string | undefined) => {
    const response = new streamsPb.BatchAppendResp().setCorrelationId(request.getCorrelationId());
    if (streamName !== undefined) response.setStreamIdentifier(streamIdentifier(streamName));
    return response;
  };

  call.on('data', (request: StreamsPb.BatchAppendReq) => {
    let correlationId: string;
    let write: PendingWrite | undefined;
    try {
      correlationId = uuidToString(request.getCorrelationId());
      const options = request.getOptions();
      if (options && !pending.has(correlationId)) {
        pending.set(correlationId, {
          streamName: streamNameOf(options.getStreamIdentifier()),
          expected: batchExpectation(options),
          proposed: [],
          size: 0,
        });
      }
      write = pending.get(correlationId);
      if (!write) return;
      for (const message of request.getProposedMessagesList()) {
        const event = proposedEventFrom(message);
        write.proposed.push(event);
        write.size += sizeOnDisk(event);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      call.write(answer(request, write?.streamName).setError(badRequestStatus(message)));
      return;
    }

    if (write.size > MAX_APPEND_SIZE) {
      pending.delete(correlationId);
      call.write(
        answer(request, write.streamName).setError(maximumAppendSizeExceededStatus(MAX_APPEND_SIZE)),
      );
      return;
    }
    if (!request.getIsFinal() || !pending.delete(correlationId)) return;

    const fault = faults.beforeAppend(write.streamName, write.proposed);
    if (fault === 'drop-before-commit') return;
    const outcome = log.append(write.streamName, write.expected, write.proposed);
    if (fault === 'drop-after-commit') return;
    const response = answer(request, write.streamName);
    if (outcome.kind === 'wrong_expected_version') {
      call.write(response.setError(wrongExpectedVersionStatus(outcome.currentRevision, write.expected)));
      return;
    }
    const success = new streamsPb.BatchAppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new emptyPb.Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === null) success.setNoPosition(new emptyPb.Empty());
    else
      success.setPosition(
        new sharedPb.AllStreamPosition()
          .setCommitPosition(outcome.position.toString())
          .setPreparePosition(outcome.position.toString()),
      );
    call.write(response.setSuccess(success));
  });
  call.on('end', () => call.end());
}
