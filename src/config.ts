import { resolve } from 'node:path';

/** Everything orgclone reads from its environment, parsed and checked once at start-up. */
export interface Config {
  dataDir: string;
  /** `esdb://…` when events live in EventStoreDB / KurrentDB; null for the embedded SQLite log. */
  eventStoreConnectionString: string | null;
  /** Names this process's read-model file: processes sharing a data dir each keep their own. */
  instance: string;
  port: number;
  host: string;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const connection = env.EVENTSTORE_CONNECTION_STRING?.trim() || null;
  if (connection !== null && !/^esdb(\+discover)?:\/\//.test(connection)) {
    throw new ConfigError('EVENTSTORE_CONNECTION_STRING', 'must start with esdb:// or esdb+discover://');
  }
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  const instance = env.ORGCLONE_INSTANCE ?? 'main';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(instance)) {
    throw new ConfigError('ORGCLONE_INSTANCE', 'letters, digits, - and _ only (at most 64)');
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    dataDir: resolve(env.ORGCLONE_DATA_DIR ?? './data'),
    eventStoreConnectionString: connection,
    instance,
    port,
    host: env.HOST ?? '127.0.0.1',
    logLevel,
  };
}
