import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { LoggedEvent } from './event-log.js';
import { streamsPb } from './protocol.js';

/** The server's default page size, which is also the default search window of a filtered read. */
export const READ_BATCH_SIZE = 32;

export interface EventFilter {
  matches(event: LoggedEvent): boolean;
  /** Events considered per page of a filtered subscription. */
  readonly searchWindow: number;
  /** Considered events between two checkpoints: the client's multiplier times the search window. */
  readonly checkpointInterval: number;
}

/** EventStoreDB's `EventFilter`: on stream name or event type, by regex when one is given, else by prefixes. */
export function eventFilterFrom(options: StreamsPb.ReadReq.Options.FilterOptions): EventFilter {
  const FilterCase = streamsPb.ReadReq.Options.FilterOptions.FilterCase;
  const onStreamName = options.getFilterCase() === FilterCase.STREAM_IDENTIFIER;
  const expression = onStreamName ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw new Error('filter without an expression');
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : null;
  const prefixes = expression.getPrefixList();
  const searchWindow = options.hasMax() ? options.getMax() : READ_BATCH_SIZE;
  return {
    matches(event) {
      const subject = onStreamName ? event.streamName : event.type;
      return regex ? regex.test(subject) : prefixes.some((prefix) => subject.startsWith(prefix));
    },
    searchWindow,
    checkpointInterval: Math.max(1, options.getCheckpointintervalmultiplier()) * searchWindow,
  };
}
