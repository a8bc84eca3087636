import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KINDS, INTERNAL_DETAIL, startTestServer, type TestServer } from './support/test-server.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t.server.stop();
});

interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  };
}

async function post(
  body: unknown,
  options: { authorization?: string | null; accept?: string; requestId?: string } = {},
): Promise<GraphQLResponse> {
  const authorization =
    options.authorization === undefined ? `Bearer ${t.keys.valid}` : options.authorization;
  const response = await fetch(t.server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: options.accept ?? 'application/graphql-response+json, application/json',
      ...(authorization === null ? {} : { authorization }),
      ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse['body'],
  };
}

const ME = '{ me { administratorId providerId roleName transport requestId } }';

describe('authentication over HTTP', () => {
  it('answers a valid key with the principal it belongs to', async () => {
    const { status, body, headers } = await post({ query: ME });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.me).toEqual({
      administratorId: 'admin-1',
      providerId: 'provider-1',
      roleName: 'Administrator With Billing',
      transport: 'http',
      requestId: headers.get('x-request-id'),
    });
  });

  it.each([
    ['no Authorization header', null, 'an API key is required'],
    ['a scheme other than Bearer', () => `Basic ${t.keys.valid}`, 'not valid'],
    ['a malformed key', () => 'Bearer not-a-key', 'not valid'],
    ['a well-formed key never issued', () => `Bearer ${t.keys.unknown}`, 'not valid'],
    ['a revoked key', () => `Bearer ${t.keys.revoked}`, 'not valid'],
    ['the key of a suspended administrator', () => `Bearer ${t.keys.suspended}`, 'suspended'],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_case, authorization, message) => {
    const { status, body, headers } = await post(
      { query: ME },
      { authorization: typeof authorization === 'function' ? authorization() : authorization },
    );
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer');
    expect(headers.get('content-type')).toContain('application/graphql-response+json');
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(body.errors?.[0]?.message).toContain(message);
  });

  it('accepts the scheme in any case', async () => {
    const { status } = await post({ query: ME }, { authorization: `bearer ${t.keys.valid}` });
    expect(status).toBe(200);
  });
});

describe('error mapping over HTTP', () => {
  const expected: Record<(typeof ERROR_KINDS)[number], { code: string; field?: string; reason?: string }> = {
    UNAUTHENTICATED: { code: 'UNAUTHENTICATED' },
    FORBIDDEN: { code: 'FORBIDDEN' },
    NOT_FOUND: { code: 'NOT_FOUND', field: 'sourceOrganizationId' },
    VALIDATION_FAILED: { code: 'BAD_USER_INPUT', field: 'settings.USER_PORTAL.idleSessionDurationMinutes' },
    BAD_USER_INPUT: { code: 'BAD_USER_INPUT', field: 'after' },
    CONFLICT: { code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'name' },
    PAYMENT_REQUIRED: { code: 'PAYMENT_REQUIRED' },
    EVENT_STORE: { code: 'INTERNAL_SERVER_ERROR' },
    UNEXPECTED: { code: 'INTERNAL_SERVER_ERROR' },
  };

  it.each(ERROR_KINDS)('maps %s to its extensions and nothing more', async (kind) => {
    const { status, body } = await post({ query: `query Fail { fail(kind: ${kind}) }` });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    const [error] = body.errors ?? [];
    expect(error?.path).toEqual(['fail']);
    expect(error?.extensions).toEqual(expected[kind]);
    if (expected[kind].code === 'INTERNAL_SERVER_ERROR') expect(error?.message).toBe('Internal server error');
    else expect(error?.message.length).toBeGreaterThan(0);
  });

  it('leaks no stack and no internal detail, and logs the real error under the request id', async () => {
    const { body, headers } = await post(
      { query: '{ fail(kind: UNEXPECTED) }' },
      { requestId: 'trace-unexpected-1' },
    );
    const text = JSON.stringify(body);
    expect(text).not.toContain(INTERNAL_DETAIL);
    expect(text).not.toContain('stacktrace');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(headers.get('x-request-id')).toBe('trace-unexpected-1');
    const logged = t
      .logLines()
      .find((line) => line.msg === 'internal error' && line.requestId === 'trace-unexpected-1');
    expect(logged).toMatchObject({ level: 50, err: { message: INTERNAL_DETAIL } });
  });

  it('maps class-validator argument failures to BAD_USER_INPUT with the field', async () => {
    const { status, body } = await post({ query: '{ rename(input: { name: "far too long a name" }) }' });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(body.errors?.[0]?.message).toContain('name must be shorter than or equal to 10 characters');
    expect(JSON.stringify(body)).not.toContain('far too long a name');
  });

  it('answers a document that does not parse with 400 GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await post({ query: '{ me { ' });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('answers an invalid document with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await post({ query: '{ me { nope } }' });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('answers variables that do not coerce with 400 BAD_USER_INPUT', async () => {
    const { status, body } = await post({
      query: 'query P($after: BigIntString!) { position(after: $after) }',
      variables: { after: '12abc' },
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('answers with application/json to a client that only accepts that', async () => {
    const { headers } = await post({ query: ME }, { accept: 'application/json' });
    expect(headers.get('content-type')).toContain('application/json');
  });
});

describe('pagination and scalars', () => {
  it('walks a list page by page with cursors', async () => {
    const query =
      'query Items($after: String) { items(first: 50, after: $after) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }';
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await post({ query, variables: { after } });
      const items = body.data?.items as {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
      };
      pages++;
      ids.push(...items.edges.map((edge) => edge.node.id));
      expect(items.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!items.pageInfo.hasNextPage) break;
      after = items.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it('uses the page size default when first is omitted', async () => {
    const { body } = await post({ query: '{ items { edges { cursor } } }' });
    expect((body.data?.items as { edges: unknown[] }).edges).toHaveLength(50);
  });

  it.each([0, 501])('refuses first: %i with BAD_USER_INPUT on first', async (first) => {
    const { body } = await post({ query: `{ items(first: ${first}) { pageInfo { hasNextPage } } }` });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('refuses a cursor that is not ours with BAD_USER_INPUT on after', async () => {
    const { body } = await post({ query: '{ items(after: "b3JnYW5pemF0aW9ucw") { edges { cursor } } }' });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('carries positions beyond 2^53 exactly as decimal strings', async () => {
    const { body } = await post({
      query: 'query P($after: BigIntString!) { position(after: $after) }',
      variables: { after: '9223372036854775806' },
    });
    expect(body.data?.position).toBe('9223372036854775807');
  });
});

describe('request limits', () => {
  const deep = (levels: number) =>
    `{ firstItem { ${'next { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

  it('accepts an operation at the depth limit', async () => {
    const { status, body } = await post({ query: deep(6) });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('refuses an operation deeper than the limit, also through fragments', async () => {
    const direct = await post({ query: deep(7) });
    expect(direct.status).toBe(400);
    expect(direct.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(direct.body.errors?.[0]?.message).toContain('the maximum is 6');

    const viaFragments = await post({
      query:
        'query Deep { firstItem { ...A } } fragment A on Item { next { next { ...B } } } fragment B on Item { next { next { next { id } } } }',
    });
    expect(viaFragments.status).toBe(400);
    expect(viaFragments.body.errors?.[0]?.message).toContain('operation Deep nests 7 levels');
  });

  it('does not count introspection against the depth limit', async () => {
    const { status, body } = await post({ query: getIntrospectionQuery() });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('refuses an operation whose page sizes make it too complex, also through variables', async () => {
    const query =
      'query Many($first: Int) { items(first: $first) { edges { node { id name next { id name } } } } }';
    const small = await post({ query, variables: { first: 10 } });
    expect(small.body.errors).toBeUndefined();

    const large = await post({ query, variables: { first: 500 } });
    expect(large.status).toBe(400);
    expect(large.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(large.body.errors?.[0]?.message).toContain('complexity');
  });

  it('answers a body over 1 MiB with 413', async () => {
    const query = `{ me { administratorId } } # ${'x'.repeat(1024 * 1024)}`;
    const { status, body } = await post({ query });
    expect(status).toBe(413);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(body.errors?.[0]?.message).toContain('1048576 bytes');
  });

  it('refuses batched operations with 400 and says why', async () => {
    const { status, body } = await post([{ query: ME }, { query: ME }]);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(body.errors?.[0]?.message).toContain('batched operations are not supported');
  });

  it('answers malformed JSON with 400', async () => {
    const { status, body } = await post('{"query": ');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toBe('the request body is not valid JSON');
  });

  it('serves queries over GET as well', async () => {
    const response = await fetch(`${t.server.url}?query=${encodeURIComponent(ME)}`, {
      headers: { authorization: `Bearer ${t.keys.valid}`, accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as GraphQLResponse['body']).data?.me).toMatchObject({
      administratorId: 'admin-1',
    });
  });
});

describe('probes and metrics', () => {
  it('/healthz is 200 while the process is up', async () => {
    const response = await fetch(new URL('/healthz', t.server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz follows readiness', async () => {
    t.setReady(false);
    const notReady = await fetch(new URL('/readyz', t.server.url));
    expect(notReady.status).toBe(503);
    t.setReady(true);
    const ready = await fetch(new URL('/readyz', t.server.url));
    expect(ready.status).toBe(200);
  });

  it('/metrics exposes the product metrics and the process metrics', async () => {
    await post({ query: 'query Probe { me { administratorId } }' });
    const response = await fetch(new URL('/metrics', t.server.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    for (const name of [
      'orgclone_clone_duration_seconds',
      'orgclone_clones_total',
      'orgclone_events_appended_total',
      'orgclone_projection_lag_events',
      'orgclone_graphql_request_duration_seconds',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/orgclone_graphql_request_duration_seconds_count\{operation_type="query"\} [1-9]/);
  });
});

describe('logs', () => {
  it('write one line per request with id, operation, duration and error codes', async () => {
    await post({ query: 'query Fail { fail(kind: CONFLICT) }' }, { requestId: 'trace-log-line-1' });
    const line = t
      .logLines()
      .find((entry) => entry.msg === 'request' && entry.requestId === 'trace-log-line-1');
    expect(line).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
      administratorId: 'admin-1',
      operationName: 'Fail',
      operationType: 'query',
      errorCodes: ['CONFLICT'],
    });
    expect(typeof line?.durationMs).toBe('number');
  });

  it('redact credentials a resolver passes to the logger', async () => {
    const { body } = await post({
      query: 'query L($key: String!) { logCredentials(key: $key) }',
      variables: { key: t.keys.valid },
    });
    expect(body.data?.logCredentials).toBe(true);
    const line = t.logLines().find((entry) => entry.msg === 'careless');
    expect(line).toMatchObject({
      authorization: '[REDACTED]',
      input: { apiKey: '[REDACTED]', duo: { secretKey: '[REDACTED]' } },
    });
  });

  it('never contain an API key, valid or not', async () => {
    // Every test above has run by now: good, bad, revoked and suspended keys, errors, variables.
    const logs = t.logText();
    expect(logs.length).toBeGreaterThan(0);
    for (const key of Object.values(t.keys)) {
      expect(logs).not.toContain(key);
      // The secret follows `oc_<prefix>_` and may itself contain '_'.
      expect(logs).not.toContain(key.slice(key.indexOf('_', 3) + 1));
    }
  });
});
