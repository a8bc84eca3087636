/**
 * GraphQL-over-HTTP conformance: graphql-http's own audit suite, run against the real server with a
 * real API key. Every MUST holds; the SHOULDs that do not hold are listed in the failure message.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './support/api-server.js';

let api: ApiServer;
let key: string;

beforeAll(async () => {
  api = await startApiServer();
  const provider = await api.provider();
  ({ key } = await api.administrator(provider.id, 'Read Only'));
});

afterAll(async () => {
  await api.stop();
});

describe('GraphQL over HTTP (graphql-http audits)', () => {
  const audits = serverAudits({
    url: () => api.url,
    fetchFn: (input: string | URL | Request, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${key}`);
      return fetch(input, { ...init, headers });
    },
  });

  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    if (result.status === 'ok') return;
    const detail = `${result.status}: ${result.reason}`;
    if (audit.name.startsWith('MUST')) expect.fail(detail);
    // SHOULD and MAY are recommendations: the server follows them too.
    expect(result.status, detail).not.toBe('error');
    expect.soft(result.status, detail).toBe('ok');
  });
});
