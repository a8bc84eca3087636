/** `orgclone projections rebuild`: every read model of this instance, from the whole event log. */
import { loadConfig } from '../config.js';
import { parseCommandArgs } from './args.js';
import type { CliCommand } from './command.js';
import { print } from './environment.js';

export const projectionsRebuildCommand: CliCommand = {
  name: 'projections rebuild',
  summary: "rebuild this instance's read models from the event log",
  help: `Usage: orgclone projections rebuild

Folds the whole event log into fresh read models, then replaces this instance's read-model file
(ORGCLONE_DATA_DIR/readmodel-<ORGCLONE_INSTANCE>.sqlite) with them; a failed rebuild leaves the
old file in place. Stop this instance's 'orgclone serve' first: a running server keeps the file
it opened. Prints how many events were folded and how fast.`,
  async run(argv) {
    parseCommandArgs(this.name, argv, {});
    const config = loadConfig();
    const { openEventStore } = await import('../eventstore/open.js');
    const { rebuildReadModels } = await import('../app/runtime.js');
    const store = await openEventStore(config);
    let result: { events: number; seconds: number };
    try {
      result = await rebuildReadModels(config, store);
    } finally {
      await store.close();
    }
    const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
    print(
      `Rebuilt the read models from ${result.events} events in ${result.seconds.toFixed(2)} s (${rate} events/s)`,
    );
    return 0;
  },
};
