import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

/**
 * The subscribers of the `subscriptions` suite, in a process of their own so that parsing a
 * thousand clients' messages does not count against the server: `node subscription-clients.js
 * <wsUrl> <key> <cloneId> <count>`. Prints `ready` once every client has its first update, then one
 * JSON line with what the clients saw once they all ended.
 */

const PROGRESS = `
  subscription Progress($cloneId: ID!) {
    cloneProgress(cloneId: $cloneId) { status terminal updatedAt progress { done total } }
  }`;

interface Update {
  status: string;
  terminal: boolean;
  updatedAt: string;
}

export interface SubscriberReport {
  subscribers: number;
  sawTerminal: number;
  /** Milliseconds from each update's `updatedAt` to its arrival, the first update of each client left out. */
  lags: number[];
  failures: string[];
}

async function main([url, key, cloneId, countText]: string[]): Promise<void> {
  const count = Number(countText);
  const clients: Client[] = [];
  const lags: number[] = [];
  const failures: string[] = [];
  let sawTerminal = 0;
  const firsts: Promise<void>[] = [];
  const ends: Promise<void>[] = [];
  for (let n = 0; n < count; n++) {
    const client = createClient({
      url: url!,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    clients.push(client);
    let markFirst!: () => void;
    firsts.push(new Promise<void>((resolve) => (markFirst = resolve)));
    let updates = 0;
    let last: Update | null = null;
    ends.push(
      new Promise<void>((resolve) => {
        client.subscribe<{ cloneProgress: Update }>(
          { query: PROGRESS, variables: { cloneId } },
          {
            next: ({ data, errors }) => {
              if (errors || !data) {
                failures.push(JSON.stringify(errors));
                return;
              }
              if (updates > 0) lags.push(Date.now() - Date.parse(data.cloneProgress.updatedAt));
              updates++;
              last = data.cloneProgress;
              markFirst();
            },
            error: (error) => {
              failures.push(String(error));
              markFirst();
              resolve();
            },
            complete: () => {
              if (last?.terminal && last.status === 'COMPLETED') sawTerminal++;
              resolve();
            },
          },
        );
      }),
    );
  }
  await Promise.all(firsts);
  process.stdout.write('ready\n');
  await Promise.all(ends);
  await Promise.all(clients.map((client) => client.dispose()));
  const report: SubscriberReport = { subscribers: count, sawTerminal, lags, failures: failures.slice(0, 5) };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
