/**
 * SPEC §9: the `orgclone` CLI, run as the real program in child processes on a data directory of
 * its own. Accounts made at the command line authenticate, a clone started from the terminal
 * completes and verifies, the audit exports; the demo prints a key that the API accepts and seeds
 * only once; wrong command lines and refused operations exit with their codes and write nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/app/runtime.js';
import { AUDIT_CSV_COLUMNS } from '../../src/application/clone-audit.js';
import { cloneStreamId } from '../../src/domain/clone/decider.js';
import { principalOf } from '../../src/projections/providers/queries.js';
import { catchUp } from '../../src/cli/environment.js';
import type { DemoSource } from '../../src/cli/demo-seed.js';
import { DEMO_PROVIDER_NAME, DEMO_SOURCE_NAME, seedDemoSource } from '../../src/cli/demo-seed.js';
import { loadConfig } from '../../src/config.js';
import { eventLog, freePort, runCli, startCli, type CliResult } from './support/cli-process.js';

/** Each child transpiles the sources it loads: generous, the machine is shared. */
const SLOW = 240_000;

const directories: string[] = [];
function dataDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orgclone-cli-'));
  directories.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

/** What a successful command printed on stdout; the test fails with its stderr otherwise. */
function answer(result: CliResult): string {
  expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  return result.stdout;
}

/** Builds the demo's source organization in-process, as the administrator (another read-model instance). */
async function seedSource(dataDir: string, providerId: string, administratorId: string): Promise<DemoSource> {
  const runtime = await openRuntime({
    config: loadConfig({ ORGCLONE_DATA_DIR: dataDir, ORGCLONE_INSTANCE: 'test-seeder', LOG_LEVEL: 'silent' }),
    cloneRunner: false,
  });
  try {
    await catchUp(runtime);
    const administrator = runtime.services.readModels.providers.getAdministrator(
      providerId,
      administratorId,
    )!;
    const caller = { principal: principalOf(administrator), requestId: 'cli-test' };
    return await seedDemoSource(runtime.services.organizations, caller, [administratorId]);
  } finally {
    await runtime.close();
  }
}

function keyOf(stdout: string): string {
  const key = /^API key: (\S+)$/m.exec(stdout)?.[1];
  expect(key).toBeDefined();
  return key!;
}

describe('orgclone provider create, admin create, clone, audit and projections', () => {
  it(
    'creates the accounts, clones from the terminal, verifies and exports the audit, rebuilds the read models',
    async () => {
      const dir = dataDirectory();
      const log = eventLog(dir);

      // given a provider and an administrator made at the command line
      const providerId = answer(await runCli(dir, ['provider', 'create', '--name', 'Round Trip MSP'])).trim();
      expect(providerId).toMatch(/^[0-9a-f]{24}$/);
      const created = answer(
        await runCli(dir, [
          'admin',
          'create',
          '--provider',
          providerId,
          '--email',
          'rita@round-trip.example',
          '--role',
          'administrator with billing',
          '--firstname',
          'Rita',
        ]),
      );
      const administratorId = /^Administrator: ([0-9a-f]{24})$/m.exec(created)?.[1];
      expect(administratorId).toBeDefined();
      const key = keyOf(created);
      const source = await seedSource(dir, providerId, administratorId!);

      // when the administrator clones the source from the terminal, leaving MFA behind
      const cloned = await runCli(
        dir,
        [
          'clone',
          '--source',
          source.organizationId,
          '--name',
          'Round Trip Copy',
          '--deselect-category',
          'mfa',
        ],
        { ORGCLONE_API_KEY: key },
      );

      // then the clone completes, with its progress on stderr and its result on stdout
      const lines = answer(cloned).trim().split('\n');
      const cloneId = /^Clone: (\S+)$/.exec(lines[0]!)?.[1];
      expect(cloneId).toBeDefined();
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(/^Organization: [0-9a-f]{24} \(Round Trip Copy\)$/),
        'Status: COMPLETED',
        'Items: 38 (18 copied, 8 copied with omissions, 0 reset to default, 7 skipped, 5 excluded)',
        'Left behind: 3 users, 3 devices (never cloned)',
      ]);
      expect(cloned.stderr).toContain('cloning: 100% (38/38 items)\n');

      // and the same command with the same idempotency key finds that clone, and writes nothing more
      const idempotent = [
        'clone',
        '--source',
        source.organizationId,
        '--name',
        'Keyed Copy',
        '--idempotency-key',
        'k-1',
      ];
      const keyed = answer(await runCli(dir, idempotent, { ORGCLONE_API_KEY: key }));
      const events = log.count();
      expect(answer(await runCli(dir, idempotent, { ORGCLONE_API_KEY: key }))).toBe(keyed);
      expect(log.count()).toBe(events);

      // and its history verifies
      const verified = answer(await runCli(dir, ['audit', 'verify', cloneId!, '--api-key', key]));
      expect(verified).toMatch(/^OK: \d+ events checked\n$/);

      // and its audit exports as CSV, one row per source item
      const csv = answer(
        await runCli(dir, ['audit', 'export', cloneId!, '--format', 'csv'], { ORGCLONE_API_KEY: key }),
      );
      const [header, ...rows] = csv.trimEnd().split('\r\n');
      expect(header).toBe(AUDIT_CSV_COLUMNS.join(','));
      expect(rows).toHaveLength(38);
      const mfaRows = rows.filter((row) => row.split(',')[2] === 'MFA');
      expect(mfaRows).toHaveLength(4);
      for (const row of mfaRows) expect(row).toContain(',EXCLUDED,"[""EXCLUDED_BY_SELECTION""]",');
      expect(rows).toContainEqual(
        expect.stringMatching(
          /^\d+,POLICY,POLICIES,[0-9a-f]{24},Lobby kiosk,,SKIPPED,"\[""REQUIRED_SENSITIVE_VALUE""\]"/,
        ),
      );

      // when the read models are rebuilt from the log
      const rebuilt = answer(await runCli(dir, ['projections', 'rebuild']));
      expect(rebuilt).toMatch(
        new RegExp(
          `^Rebuilt the read models from ${log.count()} events in [\\d.]+ s \\(\\d+ events/s\\)\\n$`,
        ),
      );

      // then the audit still verifies against them; once an event is altered, it does not
      expect(answer(await runCli(dir, ['audit', 'verify', cloneId!], { ORGCLONE_API_KEY: key }))).toMatch(
        /^OK: /,
      );
      const original = log.dataOf(cloneStreamId(cloneId!), 3);
      log.tamper(cloneStreamId(cloneId!), 3, original.replace('"outcome":"COPIED"', '"outcome":"EXCLUDED"'));
      expect(log.dataOf(cloneStreamId(cloneId!), 3)).not.toBe(original);
      const tampered = await runCli(dir, ['audit', 'verify', cloneId!], { ORGCLONE_API_KEY: key });
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toMatch(/^MISMATCH: [A-Z_]+ at version 3 \(event \S+, \w+\)/);
    },
    SLOW,
  );
});

describe('orgclone serve', () => {
  it(
    'logs its URL, answers on it, and stops gracefully on SIGINT',
    async () => {
      const dir = dataDirectory();
      const serve = startCli(dir, ['serve'], { PORT: '0' }, 0);
      try {
        const line = await serve.logLine(/"msg":"orgclone is serving"/);
        const { url } = JSON.parse(line) as { url: string };
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);

        const health = await fetch(new URL('/healthz', url));
        expect(await health.json()).toEqual({ status: 'ok' });
        const anonymous = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ me { provider { name } } }' }),
        });
        expect(anonymous.status).toBe(401);

        serve.child.kill('SIGINT');
        expect(await serve.exited).toBe(0);
        expect(serve.stdoutLines).toEqual([]);
        expect(serve.stderr()).toContain('"msg":"stopped"');
      } finally {
        if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      }
    },
    SLOW,
  );
});

describe('orgclone demo', () => {
  const running: ChildProcess[] = [];

  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  async function me(url: string, key: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `{ me { administrator { email roleName } provider { name billing { plan } } }
                  organizations(first: 10) { edges { node { displayName } } } }`,
      }),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  it(
    'prints the API key and the GraphQL URL, answers `me` with that key, and reuses its data on a second run',
    async () => {
      const dir = dataDirectory();
      const port = await freePort();

      // when the demo starts on a fresh data directory
      const first = startCli(dir, ['demo'], { PORT: String(port) }, 2);
      running.push(first.child);
      const [keyLine, urlLine] = await first.lines;

      // then it prints exactly the key and the URL, and the API answers as the demo administrator
      expect(keyLine).toMatch(/^API key: \S{32,}$/);
      expect(urlLine).toBe(`GraphQL: http://localhost:${port}/graphql`);
      const key = keyLine!.slice('API key: '.length);
      const url = urlLine!.slice('GraphQL: '.length);
      const expected = {
        data: {
          me: {
            administrator: { email: 'owner@demo-msp.example', roleName: 'ADMINISTRATOR_WITH_BILLING' },
            provider: { name: DEMO_PROVIDER_NAME, billing: { plan: 'PAID' } },
          },
          organizations: { edges: [{ node: { displayName: DEMO_SOURCE_NAME } }] },
        },
      };
      expect(await me(url, key)).toEqual(expected);

      // and SIGTERM stops it gracefully; its logs never show the key
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.stdoutLines).toHaveLength(2);
      expect(first.stderr()).toContain('"msg":"orgclone is serving"');
      expect(first.stderr()).not.toContain(key);
      const events = eventLog(dir).count();

      // when it starts again (on any free port)
      const second = startCli(dir, ['demo'], { PORT: '0' }, 2);
      running.push(second.child);
      const [againKeyLine, againUrlLine] = await second.lines;

      // then it serves the same data with a fresh key, and seeded nothing but that key
      const againKey = againKeyLine!.slice('API key: '.length);
      expect(againKey).not.toBe(key);
      expect(againUrlLine).toMatch(/^GraphQL: http:\/\/localhost:\d+\/graphql$/);
      expect(await me(againUrlLine!.slice('GraphQL: '.length), againKey)).toEqual(expected);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
      const providers = eventLog(dir).eventsOfType('ProviderCreated');
      expect(providers.filter((data) => data.name === DEMO_PROVIDER_NAME)).toHaveLength(1);
      expect(eventLog(dir).eventsOfType('ApiKeyIssued')).toHaveLength(2);
      expect(eventLog(dir).count()).toBe(events + 1);
    },
    SLOW,
  );
});

describe('orgclone refusals', () => {
  let dir: string;
  let providerId: string;
  let ownerKey: string;
  let readOnlyKey: string;
  let source: DemoSource;

  beforeAll(async () => {
    dir = dataDirectory();
    const runtime = await openRuntime({
      config: loadConfig({ ORGCLONE_DATA_DIR: dir, LOG_LEVEL: 'silent' }),
      cloneRunner: false,
    });
    try {
      const provider = await runtime.providers.createProvider({ name: 'Refusing MSP', plan: 'PAID' });
      providerId = provider.id;
      const admin = (roleName: 'Administrator With Billing' | 'Read Only', email: string) =>
        runtime.providers.addAdministrator({
          providerId,
          email,
          firstname: '',
          lastname: '',
          roleName,
          orgAccess: 'ALL',
        });
      const owner = await admin('Administrator With Billing', 'owner@refusing.example');
      const reader = await admin('Read Only', 'reader@refusing.example');
      ownerKey = (await runtime.providers.issueApiKey({ providerId, administratorId: owner.id })).key;
      readOnlyKey = (await runtime.providers.issueApiKey({ providerId, administratorId: reader.id })).key;
      const caller = { principal: principalOf(owner), requestId: 'cli-test' };
      source = await seedDemoSource(runtime.services.organizations, caller, [owner.id]);
    } finally {
      await runtime.close();
    }
  }, SLOW);

  /** Runs every case at once; each must exit with `code`, one line on stderr matching, nothing on stdout. */
  async function expectRefusals(code: number, cases: [string[], Record<string, string>, RegExp][]) {
    const events = eventLog(dir).count();
    const results = await Promise.all(cases.map(([args, env]) => runCli(dir, args, env)));
    results.forEach((result, index) => {
      const [args, , message] = cases[index]!;
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code, stdout: '' });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
    expect(eventLog(dir).count()).toBe(events);
  }

  it(
    'answers a command line it cannot run with exit code 2 and one line on stderr',
    async () => {
      await expectRefusals(2, [
        [['frobnicate'], {}, /^orgclone: unknown command "frobnicate" \(see 'orgclone --help'\)\n$/],
        [
          ['provider', 'delete'],
          {},
          /^orgclone: unknown command "provider delete"; did you mean: provider create/,
        ],
        [
          ['provider', 'create', '--name', 'X', '--colour', 'red'],
          {},
          /^orgclone: unknown option --colour \(see 'orgclone help provider create'\)\n$/,
        ],
        [
          ['admin', 'create', '--provider', providerId, '--email', 'new@refusing.example'],
          {},
          /missing --role/,
        ],
        [
          ['provider', 'create', '--name', 'X', '--plan', 'GOLD'],
          {},
          /--plan must be one of PAID, TRIAL, FREE; got "GOLD"/,
        ],
        [
          ['clone', '--source', source.organizationId, '--name', 'Copy'],
          {},
          /missing --api-key \(or ORGCLONE_API_KEY\)/,
        ],
        [
          ['clone', '--source', source.organizationId, '--name', 'Copy', '--deselect-category', 'NOTHING'],
          { ORGCLONE_API_KEY: ownerKey },
          /--deselect-category must be one of USER_PORTAL, .*; got "NOTHING"/,
        ],
        [['audit', 'verify'], { ORGCLONE_API_KEY: ownerKey }, /missing CLONE_ID/],
        [
          ['audit', 'export', 'some-clone', '--format', 'xml'],
          { ORGCLONE_API_KEY: ownerKey },
          /--format must be one of json, csv/,
        ],
        [
          ['provider', 'create', '--name', 'X'],
          { PORT: 'eighty' },
          /^orgclone: configuration: PORT: must be a port number/,
        ],
      ]);
    },
    SLOW,
  );

  it(
    'answers a refused operation with exit code 1 and `error: <message> (<CODE>)`',
    async () => {
      await expectRefusals(1, [
        [
          [
            'admin',
            'create',
            '--provider',
            'a0000000000000000000000f',
            '--email',
            'x@y.example',
            '--role',
            'Manager',
          ],
          {},
          /^error: provider a0000000000000000000000f not found \(NOT_FOUND\)\n$/,
        ],
        [
          [
            'admin',
            'create',
            '--provider',
            providerId,
            '--email',
            'OWNER@refusing.example',
            '--role',
            'Manager',
          ],
          {},
          /^error: an administrator with email OWNER@refusing.example already exists \(CONFLICT\)\n$/,
        ],
        [
          ['clone', '--source', source.organizationId, '--name', 'Copy'],
          { ORGCLONE_API_KEY: `${ownerKey.slice(0, -4)}AAAA` },
          /^error: the API key is not valid \(UNAUTHENTICATED\)\n$/,
        ],
        [
          ['clone', '--source', source.organizationId, '--name', 'Copy'],
          { ORGCLONE_API_KEY: readOnlyKey },
          /^error: .* \(FORBIDDEN\)\n$/,
        ],
        [
          ['clone', '--source', source.organizationId, '--name', DEMO_SOURCE_NAME.toUpperCase()],
          { ORGCLONE_API_KEY: ownerKey },
          /^error: .*already exists \(CONFLICT\)\n$/,
        ],
        [
          ['audit', 'verify', 'no-such-clone'],
          { ORGCLONE_API_KEY: ownerKey },
          /^error: clone no-such-clone not found \(NOT_FOUND\)\n$/,
        ],
      ]);
    },
    SLOW,
  );

  it(
    'prints the usage of every command on --help and help <command>',
    async () => {
      const [general, command, flag] = await Promise.all([
        runCli(dir, ['--help']),
        runCli(dir, ['help', 'audit', 'export']),
        runCli(dir, ['clone', '--name', 'x', '--help']),
      ]);
      expect(answer(general)).toMatch(/^Usage: orgclone <command> \[options\]/);
      for (const name of [
        'serve',
        'demo',
        'provider create',
        'admin create',
        'clone',
        'projections rebuild',
        'audit export',
        'audit verify',
      ]) {
        expect(general.stdout).toContain(`\n  ${name} `);
      }
      expect(answer(command)).toMatch(/^Usage: orgclone audit export CLONE_ID \[--format json\|csv\]/);
      expect(answer(flag)).toMatch(/^Usage: orgclone clone --source ORG_ID --name NAME/);
    },
    SLOW,
  );
});
