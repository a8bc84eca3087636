import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  INTERNAL_DETAIL,
  startTestServer,
  subscriptionSources,
  type TestServer,
} from './support/test-server.js';

let t: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

afterAll(async () => {
  await t.server.stop();
});

function connect(authorization: string | null = `Bearer ${t.keys.valid}`, url = t.server.wsUrl): Client {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: authorization === null ? {} : { authorization },
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

interface Outcome {
  results: Result[];
  /** What the sink's error received: GraphQL errors, or the socket's close event. */
  error?: unknown;
}

function run(client: Client, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    const results: Result[] = [];
    client.subscribe(
      { query, ...(variables ? { variables } : {}) },
      {
        next: (result) => results.push(result),
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

function closeCode(error: unknown): number | undefined {
  return (error as { code?: number } | undefined)?.code;
}

function graphQLErrors(error: unknown): { message: string; extensions?: Record<string, unknown> }[] {
  expect(Array.isArray(error)).toBe(true);
  return error as { message: string; extensions?: Record<string, unknown> }[];
}

describe('authentication over WebSocket', () => {
  it('accepts a valid key in connection_init and knows the principal', async () => {
    const { results, error } = await run(connect(), '{ me { administratorId providerId transport } }');
    expect(error).toBeUndefined();
    expect(results).toEqual([
      { data: { me: { administratorId: 'admin-1', providerId: 'provider-1', transport: 'websocket' } } },
    ]);
  });

  it('closes with 4401 when connection_init carries no key', async () => {
    const { error } = await run(connect(null), '{ me { administratorId } }');
    expect(closeCode(error)).toBe(4401);
  });

  it.each([
    ['a key never issued', () => `Bearer ${t.keys.unknown}`],
    ['a revoked key', () => `Bearer ${t.keys.revoked}`],
    ['a suspended administrator', () => `Bearer ${t.keys.suspended}`],
    ['a key without the Bearer scheme', () => t.keys.valid],
  ])('closes with 4403 for %s', async (_case, authorization) => {
    const { error } = await run(connect(authorization()), '{ me { administratorId } }');
    expect(closeCode(error)).toBe(4403);
  });
});

describe('subscriptions', () => {
  it('emits every value of a finite subscription, then completes', async () => {
    const { results, error } = await run(connect(), 'subscription { ticks(count: 3) { n } }');
    expect(error).toBeUndefined();
    expect(results).toEqual([
      { data: { ticks: { n: 1 } } },
      { data: { ticks: { n: 2 } } },
      { data: { ticks: { n: 3 } } },
    ]);
  });

  it('gives every event its own loader scope, shared within the event', async () => {
    const { results } = await run(connect(), 'subscription { ticks(count: 3) { n scope sameScope } }');
    const scopes = results.map((result) => result.data?.ticks as { scope: number; sameScope: number });
    expect(scopes).toHaveLength(3);
    for (const { scope, sameScope } of scopes) expect(sameScope).toBe(scope);
    expect(new Set(scopes.map(({ scope }) => scope)).size).toBe(3);
  });

  it('closes the source when the client unsubscribes', async () => {
    const before = subscriptionSources.closed;
    const client = connect();
    const first = new Promise<void>((resolve) => {
      const unsubscribe = client.subscribe(
        { query: 'subscription { endless { n } }' },
        {
          next: () => {
            unsubscribe();
            resolve();
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
    });
    await first;
    await expect.poll(() => subscriptionSources.closed).toBe(before + 1);
  });

  it('hides a source failure behind INTERNAL_SERVER_ERROR and logs it', async () => {
    const { results, error } = await run(connect(), 'subscription Broken { broken { n } }');
    expect(results).toEqual([{ data: { broken: { n: 1 } } }]);
    const [failure] = graphQLErrors(error);
    expect(failure).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const logged = t
      .logLines()
      .find((line) => line.msg === 'internal error' && line.transport === 'websocket');
    expect(logged).toMatchObject({ err: { message: INTERNAL_DETAIL } });
    await expect
      .poll(() =>
        t
          .logLines()
          .find((line) => line.msg === 'operation completed' && line.requestId === logged?.requestId),
      )
      .toMatchObject({
        operationName: 'Broken',
        operationType: 'subscription',
        errorCodes: ['INTERNAL_SERVER_ERROR'],
      });
  });
});

describe('errors and limits over WebSocket', () => {
  it('maps product errors like HTTP does', async () => {
    const { results } = await run(connect(), '{ fail(kind: CONFLICT) }');
    expect(results[0]?.errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      reason: 'NAME_TAKEN',
      field: 'name',
    });
    expect(results[0]?.errors?.[0]?.path).toEqual(['fail']);
  });

  it('hides internal errors', async () => {
    const { results } = await run(connect(), '{ fail(kind: UNEXPECTED) }');
    expect(results[0]?.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(results)).not.toContain(INTERNAL_DETAIL);
  });

  it.each([
    ['a document that does not parse', 'subscription { ticks(count: 3) { n }', 'GRAPHQL_PARSE_FAILED'],
    ['an invalid document', 'subscription { ticks(count: 3) { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a document too deep',
      '{ firstItem { next { next { next { next { next { next { id } } } } } } } }',
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a document too complex',
      '{ items(first: 500) { edges { node { id name next { id name } } } } }',
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'an unknown operation name',
      'query A { me { administratorId } } query B { me { administratorId } }',
      'OPERATION_RESOLUTION_FAILURE',
    ],
  ])('refuses %s before running it', async (_case, query, code) => {
    const { results, error } = await run(connect(), query);
    expect(results).toEqual([]);
    expect(graphQLErrors(error)[0]?.extensions).toEqual({ code });
  });

  it('refuses variables that do not coerce with BAD_USER_INPUT', async () => {
    const { error } = await run(connect(), 'subscription T($count: Int!) { ticks(count: $count) { n } }', {
      count: 'three',
    });
    expect(graphQLErrors(error)[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('closes the socket on a message over the size limit', async () => {
    const { error } = await run(connect(), `{ me { administratorId } } # ${'x'.repeat(1024 * 1024)}`);
    expect(closeCode(error)).toBe(1009);
  });

  it('never logs an API key', async () => {
    await run(connect(`Bearer ${t.keys.unknown}`), '{ me { administratorId } }');
    const logs = t.logText();
    expect(logs).toContain('websocket refused');
    for (const key of Object.values(t.keys)) expect(logs).not.toContain(key);
  });
});

describe('graceful stop', () => {
  it('closes subscriptions, lets in-flight requests finish, then stops listening', async () => {
    const s = await startTestServer();
    const closedBefore = subscriptionSources.closed;
    const client = connect(`Bearer ${s.keys.valid}`, s.server.wsUrl);
    let firstTick!: () => void;
    const ticked = new Promise<void>((resolve) => (firstTick = resolve));
    const subscription = new Promise<Outcome>((resolve) => {
      const results: Result[] = [];
      client.subscribe(
        { query: 'subscription { endless { n } }' },
        {
          next: (result) => {
            results.push(result);
            firstTick();
          },
          error: (error) => resolve({ results, error }),
          complete: () => resolve({ results }),
        },
      );
    });
    await ticked;

    const slow = fetch(s.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.keys.valid}` },
      body: JSON.stringify({ query: '{ slow }' }),
    });
    await s.slowStarted;

    const stopped = s.server.stop();
    const ended = await subscription;
    expect(ended.results).toEqual([{ data: { endless: { n: 1 } } }]);
    expect(closeCode(ended.error)).toBe(1001);

    s.openGate();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { slow: 'done' } });

    await stopped;
    expect(subscriptionSources.closed).toBe(closedBefore + 1);
    expect(s.server.httpServer.listening).toBe(false);
    await expect(fetch(new URL('/healthz', s.server.url))).rejects.toThrow();
  });
});
