/** `orgclone demo`: seeds the demo data once, prints a fresh API key and the URL, then serves. */
import type { Config } from '../config.js';
import type { RunningServer } from '../server/server.js';
import { parseCommandArgs } from './args.js';
import type { CliCommand } from './command.js';
import { DEMO_PROVIDER_NAME, DEMO_SOURCE_NAME, seedDemo } from './demo-seed.js';
import { openCliRuntime, print } from './environment.js';
import { serveUntilSignal } from './serve.js';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'seed demo data (once), print an API key and the GraphQL URL, then serve',
  help: `Usage: orgclone demo

Seeds, unless the data directory has them already, the MSP "${DEMO_PROVIDER_NAME}" (plan PAID)
with an 'Administrator With Billing', a 'Billing Only' and a 'Read Only' administrator, a second
MSP, and the organization "${DEMO_SOURCE_NAME}", whose items exercise every clone rule. Then issues
a fresh API key for the 'Administrator With Billing' (keys are shown only once), prints

  API key: <key>
  GraphQL: http://localhost:<PORT>/graphql

and serves like 'orgclone serve'.`,
  async run(args) {
    parseCommandArgs(this.name, args, {});
    const runtime = await openCliRuntime({ kind: 'serving' });
    let apiKey: string;
    try {
      ({ apiKey } = await seedDemo(runtime));
    } catch (error) {
      await runtime.close();
      throw error;
    }
    await serveUntilSignal(runtime, (server) => {
      print(`API key: ${apiKey}`);
      print(`GraphQL: ${browsableUrl(server, runtime.config)}`);
    });
    return 0;
  },
};

const LOCAL_HOSTS = new Set(['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost']);

/** The server's URL as a browser on this machine reaches it: `localhost` for a loopback or wildcard address. */
function browsableUrl(server: RunningServer, config: Config): string {
  const url = new URL(server.url);
  if (LOCAL_HOSTS.has(config.host)) url.hostname = 'localhost';
  return url.href;
}
