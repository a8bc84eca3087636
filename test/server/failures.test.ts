import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const OUTAGE = 'read model unavailable: SQLITE_BUSY on /var/lib/orgclone/read.sqlite';
const running: TestServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.server.stop()));
});

async function start(overrides: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const t = await startTestServer(overrides);
  running.push(t);
  return t;
}

async function query(t: TestServer) {
  const response = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.keys.valid}` },
    body: JSON.stringify({ query: '{ me { administratorId } }' }),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    text: await response.text(),
  };
}

const failingAuthenticator = {
  authenticate: async () => {
    throw new Error(OUTAGE);
  },
};

describe('server-side failures', () => {
  it('answers an authenticator outage over HTTP with 500 and a generic message, and logs it', async () => {
    const t = await start({ authenticator: failingAuthenticator });
    const { status, requestId, text } = await query(t);
    expect(status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(t.logLines()).toContainEqual(
      expect.objectContaining({
        requestId,
        msg: 'authentication failed',
        err: expect.objectContaining({ message: OUTAGE }),
      }),
    );
  });

  it('answers a context factory failure with 500 and a generic message, and logs it', async () => {
    const t = await start({
      context: () => {
        throw new Error(OUTAGE);
      },
    });
    const { status, requestId, text } = await query(t);
    expect(status).toBe(500);
    expect(text).not.toContain(OUTAGE);
    expect(t.logLines()).toContainEqual(
      expect.objectContaining({
        requestId,
        msg: 'context creation failed',
        err: expect.objectContaining({ message: OUTAGE }),
      }),
    );
  });

  it('closes a WebSocket with 4500 on an authenticator outage', async () => {
    const t = await start({ authenticator: failingAuthenticator });
    const client = createClient({
      url: t.server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.keys.valid}` },
      retryAttempts: 0,
      lazy: true,
    });
    try {
      const error = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: '{ me { administratorId } }' },
          { next: () => undefined, error: resolve, complete: () => resolve(null) },
        );
      });
      expect((error as { code?: number }).code).toBe(4500);
      expect((error as { reason?: string }).reason).not.toContain(OUTAGE);
    } finally {
      await client.dispose();
    }
  });

  it('refuses to start on a port in use', async () => {
    const first = await start({});
    const port = Number(new URL(first.server.url).port);
    await expect(startTestServer({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});
