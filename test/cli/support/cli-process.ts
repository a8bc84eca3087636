/**
 * Runs the `orgclone` CLI from its TypeScript sources in a child process (through
 * `sqlite-child-loader.mjs`, so no build is needed), with its data in a given directory and an
 * environment cleared of anything the developer's shell could add.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const loader = fileURLToPath(new URL('../../support/sqlite-child-loader.mjs', import.meta.url));
const main = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function environment(dataDir: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['ORGCLONE_API_KEY', 'LOG_LEVEL', 'PORT', 'HOST', 'ORGCLONE_INSTANCE'])
    delete base[name];
  return { ...base, ORGCLONE_DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: '', ...env };
}

export function spawnCli(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', loader, main, ...args], { env: environment(dataDir, env) });
}

/** Runs one command to its end. */
export function runCli(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const child = spawnCli(dataDir, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A serving command (`serve`, `demo`) while it runs. */
export interface ServingCli {
  child: ChildProcessWithoutNullStreams;
  /** The first `lines` lines it prints on stdout. */
  lines: Promise<string[]>;
  /** Every stdout line so far. */
  stdoutLines: string[];
  stderr: () => string;
  /** The first stderr line (a JSON log line) that matches. */
  logLine(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

export function startCli(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string>,
  lines: number,
): ServingCli {
  const child = spawnCli(dataDir, args, env);
  const stdoutLines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const logLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stderr }).on('line', (line) => {
        if (pattern.test(line)) resolve(line);
      });
      void exited.then((code) =>
        reject(new Error(`orgclone ${args.join(' ')} exited with ${code}:\n${stderr}`)),
      );
    });
  const printed = new Promise<string[]>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdoutLines.push(line);
      if (stdoutLines.length === lines) resolve([...stdoutLines]);
    });
    void exited.then((code) =>
      reject(new Error(`orgclone ${args.join(' ')} exited with ${code} before printing:\n${stderr}`)),
    );
  });
  // Only a test that awaits the lines cares whether they came.
  printed.catch(() => {});
  return { child, lines: printed, stdoutLines, stderr: () => stderr, logLine, exited };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The embedded event log of a data directory, read directly. */
export function eventLog(dataDir: string) {
  const path = join(dataDir, 'events.sqlite');
  const query = <Row>(sql: string, ...parameters: unknown[]): Row[] => {
    if (!existsSync(path)) return [];
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all(...parameters) as Row[];
    } finally {
      db.close();
    }
  };
  return {
    count: () => query<{ count: number }>('SELECT COUNT(*) AS count FROM events')[0]?.count ?? 0,
    eventsOfType: (type: string) =>
      query<{ data: string }>('SELECT data FROM events WHERE type = ? ORDER BY position', type).map(
        (row) => JSON.parse(row.data) as Record<string, unknown>,
      ),
    /** Rewrites the data of one event, as an attacker with write access to the file could. */
    tamper(streamId: string, revision: number, data: string): void {
      const db = new Database(path);
      try {
        db.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND revision = ?').run(
          data,
          streamId,
          revision,
        );
      } finally {
        db.close();
      }
    },
    dataOf(streamId: string, revision: number): string {
      return query<{ data: string }>(
        'SELECT data FROM events WHERE stream_id = ? AND revision = ?',
        streamId,
        revision,
      )[0]!.data;
    },
  };
}
