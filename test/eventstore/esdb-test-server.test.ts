import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  EventStoreDBClient,
  jsonEvent,
  MaxAppendSizeExceededError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb-test-server/index.js';
import { sharedPb, streamsGrpc, streamsPb } from '../support/esdb-test-server/protocol.js';

/*
 * The test server itself, where the adapter does not reach: the unary Append the client falls back to,
 * filtered `$all` reads (the client only filters subscriptions), and UNIMPLEMENTED for the rest.
 */

let server: EsdbTestServer;
let client: EventStoreDBClient;
let raw: InstanceType<typeof streamsGrpc.StreamsClient>;

beforeAll(async () => {
  server = await startEsdbTestServer();
  client = EventStoreDBClient.connectionString(server.connectionString);
  raw = new streamsGrpc.StreamsClient(
    server.connectionString.replace(/^esdb:\/\/([^?]+).*$/, '$1'),
    grpc.credentials.createInsecure(),
  );
});

afterAll(async () => {
  raw.close();
  await client.dispose();
  await server.stop();
});

// Per-call credentials make the client use the unary Append instead of BatchAppend.
const unary = { credentials: { username: 'admin', password: 'changeit' } };

describe('the in-process EventStoreDB test server', () => {
  it('serves the unary Append: expected revisions, wrong expected version, size cap', async () => {
    const stream = `unary-${randomUUID()}`;
    const first = await client.appendToStream(stream, [jsonEvent({ type: 'A', data: {} })], {
      ...unary,
      expectedRevision: 'no_stream',
    });
    expect(first).toMatchObject({ success: true, nextExpectedRevision: 0n });

    const wrong = await client
      .appendToStream(stream, [jsonEvent({ type: 'B', data: {} })], { ...unary, expectedRevision: 5n })
      .catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(WrongExpectedVersionError);
    expect(wrong).toMatchObject({ streamName: stream, expectedVersion: 5n, actualVersion: 0n });

    const tooLarge = await client
      .appendToStream(stream, [jsonEvent({ type: 'C', data: { x: 'x'.repeat(1024 * 1024) } })], unary)
      .catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(tooLarge).toMatchObject({ maxAppendSize: 1024 * 1024 });
  });

  it('filters $all reads by stream prefix or event-type regex, forwards and backwards', async () => {
    const prefix = `filtered-${randomUUID()}`;
    const type = `Kept${randomUUID().replaceAll('-', '')}`;
    await client.appendToStream(`${prefix}-a`, [
      jsonEvent({ type, data: {} }),
      jsonEvent({ type: 'Dropped', data: {} }),
    ]);
    await client.appendToStream(`other-${randomUUID()}`, [jsonEvent({ type, data: {} })]);

    const byPrefix = await readAll({ prefixes: [prefix] }, 'forwards');
    expect(byPrefix.map((e) => e.stream)).toEqual([`${prefix}-a`, `${prefix}-a`]);
    const byType = await readAll({ regex: `^${type}$`, onType: true }, 'backwards');
    expect(byType.map((e) => e.type)).toEqual([type, type]);
    expect(byType[0]!.stream.startsWith('other-')).toBe(true);
  });

  it('answers the methods and services it does not implement with UNIMPLEMENTED', async () => {
    const deletion = new streamsPb.DeleteReq().setOptions(
      new streamsPb.DeleteReq.Options()
        .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from('any-stream')))
        .setAny(new sharedPb.Empty()),
    );
    const deleted = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.delete(deletion, (error) => resolve(error)),
    );
    expect(deleted?.code).toBe(grpc.status.UNIMPLEMENTED);

    const gossip = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.makeUnaryRequest(
        '/event_store.client.gossip.Gossip/Read',
        () => Buffer.alloc(0),
        (bytes: Buffer) => bytes,
        {},
        (error) => resolve(error),
      ),
    );
    expect(gossip?.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});

async function readAll(
  filter: { prefixes?: string[]; regex?: string; onType?: boolean },
  direction: 'forwards' | 'backwards',
): Promise<Array<{ stream: string; type: string }>> {
  const expression = new streamsPb.ReadReq.Options.FilterOptions.Expression()
    .setPrefixList(filter.prefixes ?? [])
    .setRegex(filter.regex ?? '');
  const filterOptions = new streamsPb.ReadReq.Options.FilterOptions()
    .setCount(new sharedPb.Empty())
    .setCheckpointintervalmultiplier(1);
  if (filter.onType) filterOptions.setEventType(expression);
  else filterOptions.setStreamIdentifier(expression);
  const all = new streamsPb.ReadReq.Options.AllOptions();
  if (direction === 'forwards') all.setStart(new sharedPb.Empty());
  else all.setEnd(new sharedPb.Empty());
  const options = new streamsPb.ReadReq.Options()
    .setAll(all)
    .setReadDirection(
      direction === 'forwards'
        ? streamsPb.ReadReq.Options.ReadDirection.FORWARDS
        : streamsPb.ReadReq.Options.ReadDirection.BACKWARDS,
    )
    .setCount('100')
    .setFilter(filterOptions)
    .setUuidOption(new streamsPb.ReadReq.Options.UUIDOption().setString(new sharedPb.Empty()));

  const call = raw.read(new streamsPb.ReadReq().setOptions(options));
  const events: Array<{ stream: string; type: string }> = [];
  for await (const response of call as AsyncIterable<StreamsPb.ReadResp>) {
    const recorded = response.getEvent()?.getEvent();
    if (!recorded) continue;
    events.push({
      stream: Buffer.from(recorded.getStreamIdentifier()!.getStreamName_asU8()).toString(),
      type: recorded.getMetadataMap().get('type')!,
    });
  }
  return events;
}
