#!/usr/bin/env node
/**
 * `orgclone`: the command-line entry point (package `bin`). Finds the command named by the first
 * words of the command line and runs it; turns what it ends with into an exit code: 0 done,
 * 1 refused or failed (`error: <message> (<CODE>)`), 2 a command line or configuration the CLI
 * cannot run. Expected errors print one line, never a stack trace.
 */
import 'reflect-metadata';
import { ConfigError } from '../config.js';
import { OrgcloneError } from '../shared/errors.js';
import { UsageError } from './args.js';
import { auditExportCommand, auditVerifyCommand } from './audit.js';
import { cloneCommand } from './clone.js';
import type { CliCommand } from './command.js';
import { demoCommand } from './demo.js';
import { print } from './environment.js';
import { projectionsRebuildCommand } from './projections.js';
import { adminCreateCommand, providerCreateCommand } from './providers.js';
import { serveCommand } from './serve.js';

const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  demoCommand,
  providerCreateCommand,
  adminCreateCommand,
  cloneCommand,
  projectionsRebuildCommand,
  auditExportCommand,
  auditVerifyCommand,
];

const HELP_FLAGS = ['--help', '-h'];

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: orgclone <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}
  ${'help'.padEnd(width)}  show the usage of a command: orgclone help <command>

Configuration is read from the environment: ORGCLONE_DATA_DIR (default ./data),
EVENTSTORE_CONNECTION_STRING, ORGCLONE_INSTANCE, PORT (default 4000), HOST (default 127.0.0.1),
LOG_LEVEL. Logs are JSON lines on stderr; answers go to stdout.
Exit codes: 0 done, 1 refused or failed, 2 bad command line or configuration.`;
}

/** The command the first words of `words` name, and the arguments after them. */
function findCommand(words: readonly string[]): { command: CliCommand; args: string[] } {
  for (const command of COMMANDS) {
    const name = command.name.split(' ');
    if (name.every((word, index) => words[index] === word)) {
      return { command, args: words.slice(name.length) };
    }
  }
  const [first = '', second] = words;
  const group = COMMANDS.filter(
    (command) => command.name.split(' ')[0] === first && command.name.includes(' '),
  );
  if (group.length > 0) {
    const choices = group.map((command) => command.name).join(', ');
    throw new UsageError(
      second === undefined || second.startsWith('-')
        ? `"${first}" needs a sub-command: ${choices}`
        : `unknown command "${first} ${second}"; did you mean: ${choices}`,
    );
  }
  throw new UsageError(`unknown command "${first}"`);
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const [first] = argv;
  if (first === undefined) throw new UsageError('missing command');
  if (HELP_FLAGS.includes(first)) {
    print(generalHelp());
    return 0;
  }
  if (first === 'help') {
    if (argv.length === 1) print(generalHelp());
    else print(findCommand(argv.slice(1)).command.help);
    return 0;
  }
  const { command, args } = findCommand(argv);
  const beforeSeparator = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (beforeSeparator.some((arg) => HELP_FLAGS.includes(arg))) {
    print(command.help);
    return 0;
  }
  return command.run(args);
}

/** The exit code for what a command ended with, after one line on stderr. */
async function report(error: unknown): Promise<number> {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? "'orgclone --help'" : `'orgclone help ${error.command}'`;
    process.stderr.write(`orgclone: ${error.message} (see ${help})\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`orgclone: configuration: ${error.message}\n`);
    return 2;
  }
  if (error instanceof OrgcloneError) {
    // The API's code where the error is one a client may see, the error's own code otherwise
    // (an operator at the terminal may see what a client may not).
    const { mapError } = await import('../server/errors.js');
    const mapped = mapError(error);
    const code = mapped.internal ? error.code : mapped.extensions.code;
    process.stderr.write(`error: ${error.message} (${code})\n`);
    return 1;
  }
  // System errors (a port in use, a directory not writable) say all in their message; anything
  // else is a bug, and its stack is what a bug report needs.
  const systemError = error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
  const text =
    error instanceof Error ? (systemError ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`error: ${text}\n`);
  return 1;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    return report(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
