/** `orgclone serve`: the API until SIGINT or SIGTERM, then a graceful shutdown. */
import type { Runtime } from '../app/runtime.js';
import type { RunningServer } from '../server/server.js';
import { parseCommandArgs } from './args.js';
import type { CliCommand } from './command.js';
import { openCliRuntime } from './environment.js';

const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the GraphQL API (HTTP and WebSocket) until SIGINT or SIGTERM',
  help: `Usage: orgclone serve

Serves /graphql (queries and mutations over HTTP, subscriptions over graphql-ws on the same
path), /healthz, /readyz and /metrics on HOST:PORT, runs the clones that are requested, and
resumes those a stopped process left unfinished. SIGINT or SIGTERM stops it gracefully: in-flight
requests finish, running clones stop at a batch boundary (they resume on the next start).

Environment: ORGCLONE_DATA_DIR, EVENTSTORE_CONNECTION_STRING, ORGCLONE_INSTANCE, PORT, HOST, LOG_LEVEL.`,
  async run(args) {
    parseCommandArgs(this.name, args, {});
    const runtime = await openCliRuntime({ kind: 'serving', catchUp: false });
    await serveUntilSignal(runtime);
    return 0;
  },
};

/**
 * Serves the runtime until a shutdown signal, then stops the server and closes the runtime (the
 * runtime is closed as well when the server cannot start). `onListening` runs once the server
 * accepts connections.
 */
export async function serveUntilSignal(
  runtime: Runtime,
  onListening: (server: RunningServer) => void = () => {},
): Promise<void> {
  const signal = nextShutdownSignal();
  let server: RunningServer;
  try {
    const { serveRuntime } = await import('../app/runtime.js');
    server = await serveRuntime(runtime);
  } catch (error) {
    signal.cancel();
    await runtime.close();
    throw error;
  }
  runtime.logger.info({ url: server.url, wsUrl: server.wsUrl }, 'orgclone is serving');
  onListening(server);
  const received = await signal.received;
  runtime.logger.info({ signal: received }, 'shutting down');
  try {
    await server.stop();
  } finally {
    await runtime.close();
  }
  runtime.logger.info('stopped');
}

/** The first SIGINT or SIGTERM; a second one while shutting down ends the process at once. */
function nextShutdownSignal(): { received: Promise<NodeJS.Signals>; cancel(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      for (const name of SHUTDOWN_SIGNALS) process.off(name, onSignal);
      for (const name of SHUTDOWN_SIGNALS) process.once(name, () => process.exit(130));
      resolve(signal);
    };
  });
  for (const name of SHUTDOWN_SIGNALS) process.on(name, onSignal);
  return {
    received,
    cancel: () => {
      for (const name of SHUTDOWN_SIGNALS) process.off(name, onSignal);
    },
  };
}
