/**
 * The whole server in a child process, composed as `orgclone serve` composes it (`openRuntime` +
 * `serveRuntime` on the configuration of its environment), for the reliability tests that kill it.
 * Run it transpiled (`test/reliability/support/child-build.ts`), or with `sqlite-child-loader.mjs`:
 *
 *   node --import sqlite-child-loader.mjs server-child.ts
 *
 * It loads its code, then waits for one line on stdin: `{"env": {…}}`, the variables it runs with
 * (`ORGCLONE_DATA_DIR`, `ORGCLONE_INSTANCE`, `ORGCLONE_SECRET_KEY`, `EVENTSTORE_CONNECTION_STRING`, …).
 * Loading takes seconds on a busy machine and touches no data, so a test starts the next process
 * while the current one works and hands it the data directory once the current one is dead. Besides
 * the product's variables it reads these test settings:
 * - `TEST_KILL_AT_STEP=n`: SIGKILLs itself (no cleanup, no flush, as a power cut or an OOM kill would)
 *   just before the n-th append of a clone run (`CloneStep.sequence`; 0 = the run's first);
 * - `TEST_KILL_BEFORE=ACTION`: the same, before the first append of that kind (`PROVISION`, …);
 * - `TEST_HOLD_KILL=1`: at that point it holds the clone run instead, says `{"holding": step}`, keeps
 *   serving, and dies when it reads `kill` on stdin (the test lets the API take writes first);
 * - `TEST_BATCH_ITEMS`, `TEST_STALE_AFTER_MS`, `TEST_SCAN_INTERVAL_MS`, `TEST_RETRY_DELAY_MS`,
 *   `TEST_MAX_ATTEMPTS`: the clone runner's settings.
 *
 * It writes JSON lines to stdout: `{"ready": {url, wsUrl}}` once it serves, `{"step": …}` before every
 * append of a clone run (pipes are synchronous on Linux: the line is out before a kill), `{"progress":
 * …}` after every recorded batch. Logs go to stderr. SIGTERM, or its stdin closing, stops it cleanly.
 */
import { createInterface } from 'node:readline';
import { openRuntime, serveRuntime, type Runtime } from '../../src/app/runtime.js';
import type { CloneRunnerOptions } from '../../src/clone/runner.js';
import { loadConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/server/server.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';

function send(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

let runtime: Runtime | null = null;
let server: RunningServer | null = null;
let stopping = false;
async function stop(): Promise<never> {
  if (!stopping) {
    stopping = true;
    await server?.stop();
    await runtime?.close();
  }
  process.exit(0);
}
process.once('SIGTERM', () => void stop());

const lines = createInterface({ input: process.stdin });
const firstLine = await new Promise<string | null>((resolve) => {
  lines.once('line', resolve);
  lines.once('close', () => resolve(null));
});
if (firstLine === null) process.exit(0);
// The test process is gone: so is this one.
lines.once('close', () => void stop());
const die = () => process.kill(process.pid, 'SIGKILL');
lines.on('line', (line) => {
  if (line === 'kill') die();
});
Object.assign(process.env, (JSON.parse(firstLine) as { env: Record<string, string> }).env);

function numberSetting(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined ? undefined : Number(value);
}

const killAtStep = numberSetting('TEST_KILL_AT_STEP');
const killBefore = process.env.TEST_KILL_BEFORE;
const holdKill = process.env.TEST_HOLD_KILL === '1';
const runnerSettings: Partial<Omit<CloneRunnerOptions, 'store'>> = {
  onStep: async (step) => {
    send({ step });
    if (step.sequence !== killAtStep && step.action !== killBefore) return;
    if (!holdKill) die();
    send({ holding: step });
    await new Promise<never>(() => {});
  },
  onProgress: (progress) => send({ progress }),
};
for (const [name, option] of [
  ['TEST_BATCH_ITEMS', 'maxBatchItems'],
  ['TEST_STALE_AFTER_MS', 'staleAfterMs'],
  ['TEST_SCAN_INTERVAL_MS', 'scanIntervalMs'],
  ['TEST_RETRY_DELAY_MS', 'retryDelayMs'],
  ['TEST_MAX_ATTEMPTS', 'maxAttempts'],
] as const) {
  const value = numberSetting(name);
  if (value !== undefined) runnerSettings[option] = value;
}

const config = loadConfig(process.env);
runtime = await openRuntime({
  config,
  logger: createLogger({ level: config.logLevel, destination: process.stderr }),
  metrics: createMetrics({ defaultMetrics: false }),
  cloneRunner: runnerSettings,
});
server = await serveRuntime(runtime, { port: 0 });
send({ ready: { url: server.url, wsUrl: server.wsUrl } });
