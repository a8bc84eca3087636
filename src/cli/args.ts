/**
 * Command-line parsing on `node:util` `parseArgs`, with the CLI's own one-line messages: a command
 * line the CLI cannot run is a `UsageError` (exit code 2), never a stack trace.
 */
import { parseArgs } from 'node:util';

/** The command line is wrong (unknown command or option, missing argument, bad value): exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help explains the right usage, e.g. `clone`; absent for the top level. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

type RawValue = string | boolean | (string | boolean)[] | undefined;

/** One command's arguments, parsed; accessors throw `UsageError` for what is missing or malformed. */
export class ParsedArgs {
  constructor(
    private readonly command: string,
    private readonly values: Record<string, RawValue>,
    readonly positionals: string[],
  ) {}

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new UsageError(`--${name} needs a value`, this.command);
    }
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new UsageError(`missing --${name}`, this.command);
    return value;
  }

  strings(name: string): string[] {
    const value = this.values[name];
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return list.map((entry) => {
      if (typeof entry !== 'string' || entry.trim() === '') {
        throw new UsageError(`--${name} needs a value`, this.command);
      }
      return entry;
    });
  }

  /** The value among `allowed` (compared case-insensitively, returned as spelled in `allowed`). */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  oneOf<T extends string>(name: string, allowed: readonly T[]): T;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const value = this.string(name);
    if (value === undefined) {
      if (fallback === undefined) throw new UsageError(`missing --${name}`, this.command);
      return fallback;
    }
    return choose(value, allowed, `--${name}`, this.command);
  }

  /** Every value of a repeatable option, each among `allowed`. */
  allOf<T extends string>(name: string, allowed: readonly T[]): T[] {
    return this.strings(name).map((value) => choose(value, allowed, `--${name}`, this.command));
  }

  /** The positional argument at `index`, named `label` in the message when it is missing. */
  positional(index: number, label: string): string {
    const value = this.positionals[index];
    if (value === undefined || value.trim() === '') throw new UsageError(`missing ${label}`, this.command);
    return value;
  }
}

function choose<T extends string>(value: string, allowed: readonly T[], what: string, command: string): T {
  const found = allowed.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
  if (found === undefined) {
    throw new UsageError(
      `${what} must be one of ${allowed.map((entry) => (entry.includes(' ') ? `"${entry}"` : entry)).join(', ')}; got "${value}"`,
      command,
    );
  }
  return found;
}

/**
 * Parses the arguments after the command's name (`--help` never gets here: main answers it);
 * `positionals` is how many positional arguments the command takes at most.
 */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: OptionSpecs,
  positionals = 0,
): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`, command);
  }
  return new ParsedArgs(command, parsed.values as Record<string, RawValue>, parsed.positionals);
}

/** parseArgs' messages run to several sentences of advice; the CLI says it in one line. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = quoted?.split(' ')[0] ?? 'an option';
      return message?.includes('does not take') ? `${option} takes no value` : `${option} needs a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted ?? ''}"`;
    default:
      return message?.split('. ')[0] ?? 'invalid arguments';
  }
}
