/**
 * The API's real clients as tests use them: one GraphQL operation over HTTP with `fetch`, as a
 * frontend sends it, and a graphql-ws client over a real socket. Both carry an API key the way
 * SPEC §7 says: a bearer token, or `authorization` in the `connection_init` payload.
 */
import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; reason?: string };
}

export interface GraphQLResult<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: GraphQLError[];
}

/** One operation over HTTP; rejects when the server cannot be reached. */
export async function postGraphQL<Data = Record<string, unknown>>(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResult<Data>, 'status'>) };
}

/** A graphql-ws client that connects with the key on its first subscription and never retries. */
export function connectGraphQL(wsUrl: string, key: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
  });
}
