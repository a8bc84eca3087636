import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';

/**
 * `node dist/bench/run.js [NAME] [--quick]` (via `npm run bench`, which builds first and sets
 * NODE_ENV=production): runs one registered suite, or all of them, prints a table per suite and writes
 * `bench/results/NAME.json`, a flat object of numbers. Speed is measured here, never asserted in tests.
 */

type Suite = (opts: { quick: boolean }) => Promise<Record<string, number>>;

/** Loaded lazily, after NODE_ENV is settled, so libraries that read it at import time see it. */
const suites: Record<string, () => Promise<Suite>> = {
  eventstore: async () => (await import('./eventstore.js')).runEventstoreBench,
  clone: async () => (await import('./clone.js')).runCloneBench,
  projections: async () => (await import('./projections.js')).runProjectionsBench,
  graphql: async () => (await import('./graphql.js')).runGraphqlBench,
  preview: async () => (await import('./preview.js')).runPreviewBench,
  subscriptions: async () => (await import('./subscriptions.js')).runSubscriptionsBench,
};

const resultsDirectory = new URL('../../bench/results/', import.meta.url);

function printTable(name: string, results: Record<string, number>): void {
  const width = Math.max(...Object.keys(results).map((key) => key.length));
  console.log(`\n${name}`);
  for (const [key, value] of Object.entries(results)) {
    const shown = Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
    console.log(`  ${key.padEnd(width)}  ${shown.padStart(14)}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !Object.hasOwn(suites, name));
  if (unknown.length > 0) {
    throw new Error(`unknown bench suite ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  }
  if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';
  if (process.env.NODE_ENV !== 'production') {
    console.log(`warning: NODE_ENV=${process.env.NODE_ENV}; figures are meant for NODE_ENV=production`);
  }
  const machine = { machine_cpus: cpus().length, node_major: Number(process.versions.node.split('.')[0]) };
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'} × ${machine.machine_cpus}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, ${osType()} ${release()}, node ${process.versions.node}` +
      (quick ? ' (quick)' : ''),
  );

  mkdirSync(resultsDirectory, { recursive: true });
  for (const name of names.length > 0 ? names : Object.keys(suites)) {
    const run = await suites[name]!();
    const results = { ...(await run({ quick })), ...machine };
    printTable(name, results);
    writeFileSync(new URL(`${name}.json`, resultsDirectory), `${JSON.stringify(results, null, 2)}\n`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
