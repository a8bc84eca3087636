/**
 * Structured JSON logs. The server never logs headers, connection params, GraphQL variables or
 * query text; redaction is the second line of defence for whatever a resolver passes to the logger.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { OrgcloneError } from '../shared/errors.js';

const SENSITIVE_KEYS = ['authorization', 'apiKey', 'secretKey', 'password', 'variables', 'values[*].value'];
/** pino's wildcards match one level each: cover the key itself and up to four enclosing objects. */
const NESTING = ['', '*.', '*.*.', '*.*.*.', '*.*.*.*.'];

export const REDACTED_PATHS: readonly string[] = NESTING.flatMap((prefix) =>
  SENSITIVE_KEYS.map((key) => `${prefix}${key}`),
);

/** Causes followed into the log; a cause chain is rarely longer than two. */
const MAX_CAUSE_DEPTH = 3;

interface LoggedError {
  type: string;
  code?: string | number;
  message: string;
  stack?: string;
  cause?: unknown;
}

/**
 * An error as the logs show it, under `err` or `error`: its type, stable code and message, its
 * cause's, and the stack of an unexpected one (an `OrgcloneError` is explained by its code). Not
 * its other properties: those of gRPC and driver errors are large and circular, and pino then logs
 * nothing of the error at all; and they may carry request data.
 */
function loggedError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const logged: LoggedError = { type: error.constructor.name, message: error.message };
  if (typeof code === 'string' || typeof code === 'number') logged.code = code;
  if (!(error instanceof OrgcloneError) && error.stack) logged.stack = error.stack;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH)
    logged.cause = loggedError(error.cause, depth + 1);
  return logged;
}

export interface LoggerOptions {
  /** pino level; `info` by default. */
  level?: string;
  /** Where the JSON lines go; stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'orgclone' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
      serializers: { err: loggedError, error: loggedError },
    },
    options.destination,
  );
}
