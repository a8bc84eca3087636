import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t.server.stop();
});

function post(body: unknown, authorization: string | null): Promise<Response> {
  return fetch(t.server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
}

describe('caching of GraphQL answers', () => {
  it('forbids every cache to store an answer, with data, with errors or refused', async () => {
    // Given a valid key, a wrong query and no key at all
    const key = `Bearer ${t.keys.valid}`;

    // When each is sent
    const answers = await Promise.all([
      post({ query: '{ me { administratorId } }' }, key),
      post({ query: '{ noSuchField }' }, key),
      post({ query: '{ me { administratorId } }' }, null),
    ]);

    // Then each answer says no-store
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 401]);
    expect(answers.map((answer) => answer.headers.get('cache-control'))).toEqual([
      'no-store',
      'no-store',
      'no-store',
    ]);
  });
});
