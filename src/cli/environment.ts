/**
 * What every CLI command starts from: the configuration, a logger, and the runtime (the same
 * composition root the server uses). Logs go to stderr, as JSON lines: stdout carries only what a
 * command answers (ids, keys, exports), so it can be piped and parsed.
 *
 * The runtime (and with it the server stack) is imported when a command first needs it, so that
 * `--help` and a wrong command line are answered at once.
 */
import { pino, type Logger } from 'pino';
import type { Runtime, RuntimeOptions } from '../app/runtime.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../server/logger.js';

/**
 * `serving` commands log at the configured level; one-shot commands only warnings and errors
 * unless `LOG_LEVEL` is set, so that their answer is not buried in start-up lines.
 */
export type CommandKind = 'serving' | 'one-shot';

export function cliLogger(config: Config, kind: CommandKind, env: NodeJS.ProcessEnv = process.env): Logger {
  const level = kind === 'one-shot' && env.LOG_LEVEL === undefined ? 'warn' : config.logLevel;
  return createLogger({ level, destination: pino.destination({ fd: 2, sync: true }) });
}

export interface CliRuntimeOptions {
  kind: CommandKind;
  cloneRunner?: RuntimeOptions['cloneRunner'];
  /** Whether to wait for the read models to catch up with the log (default); a server reports it on /readyz instead. */
  catchUp?: boolean;
}

/** How long a command waits for this instance's read models to catch up with the log. */
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;

/**
 * Loads the configuration (ConfigError when it is wrong) and opens the runtime on it, its read
 * models caught up with the log unless told otherwise: other processes may have appended since
 * this instance last ran, and a command answers from the read models (keys, administrators, audits).
 */
export async function openCliRuntime(options: CliRuntimeOptions): Promise<Runtime> {
  const config = loadConfig();
  const { openRuntime } = await import('../app/runtime.js');
  const runtime = await openRuntime({
    config,
    logger: cliLogger(config, options.kind),
    ...(options.cloneRunner === undefined ? {} : { cloneRunner: options.cloneRunner }),
  });
  if (options.catchUp === false) return runtime;
  try {
    await catchUp(runtime);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  return runtime;
}

/** Waits until every read model reflects the whole log as it is now. */
export async function catchUp(runtime: Runtime): Promise<void> {
  const head = await runtime.store.headPosition();
  if (head !== null) await runtime.projections.waitForPosition(head, { timeoutMs: CATCH_UP_TIMEOUT_MS });
}

/** Runs `use` on a runtime that is closed afterwards, whatever `use` ends with. */
export async function withRuntime<T>(
  options: CliRuntimeOptions,
  use: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const runtime = await openCliRuntime(options);
  try {
    return await use(runtime);
  } finally {
    await runtime.close();
  }
}

/** One line of a command's answer, on stdout. */
export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
