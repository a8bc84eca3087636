/**
 * A process that runs one clone and kills itself (SIGKILL: no cleanup, no flush, as a power cut
 * or an OOM kill would) at a chosen point, for the crash-safety tests. Run with
 * `sqlite-child-loader.mjs`:
 *
 *   node --import sqlite-child-loader.mjs clone-crash-child.ts <store> <cloneId> <batchItems> <kill>
 *
 * - `<store>`: `sqlite:<path>` or `esdb:<connection string>` (`CloneWorld.childStore`);
 * - `<kill>`: `step:<n>` dies just before the n-th append of its run (0 = the first),
 *   `delay:<ms>` dies that long after it starts, `never` runs to the end.
 *
 * Every step it is about to take is written to stdout as a JSON line first (pipes are synchronous
 * on Linux, so the line is out before the kill); at the end `{"outcome": …}`.
 */
import { CloneRunner } from '../../src/clone/runner.js';
import { templateLookup } from '../domain/clone/fixtures.js';
import { openChildStore } from './clone-child-store.js';

function send(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const [childStore, cloneId, batchItems, kill] = process.argv.slice(2);
const die = () => process.kill(process.pid, 'SIGKILL');
const killAtStep = kill!.startsWith('step:') ? Number(kill!.slice('step:'.length)) : null;
if (kill!.startsWith('delay:')) setTimeout(die, Number(kill!.slice('delay:'.length)));

const store = await openChildStore(childStore!);
const runner = new CloneRunner({
  store,
  templates: templateLookup(),
  maxBatchItems: Number(batchItems),
  onStep: (step) => {
    send({ step });
    if (step.sequence === killAtStep) die();
  },
});
const result = await runner.runToCompletion(cloneId!);
send({ outcome: result.outcome });
await store.close();
