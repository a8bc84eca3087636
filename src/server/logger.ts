/**
 * Structured JSON logs. The server never logs headers, connection params, GraphQL variables or
 * query text; redaction is the second line of defence for whatever a resolver passes to the logger.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

const SENSITIVE_KEYS = ['authorization', 'apiKey', 'secretKey', 'password', 'variables', 'values[*].value'];
/** pino's wildcards match one level each: cover the key itself and up to four enclosing objects. */
const NESTING = ['', '*.', '*.*.', '*.*.*.', '*.*.*.*.'];

export const REDACTED_PATHS: readonly string[] = NESTING.flatMap((prefix) =>
  SENSITIVE_KEYS.map((key) => `${prefix}${key}`),
);

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
    },
    options.destination,
  );
}
