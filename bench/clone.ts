import { median } from './stats.js';
import { cloneToCompletion, openBenchWorld } from './support.js';

/**
 * SPEC §10: a clone from the request to `CloneCompleted` with every projection caught up, on the
 * product as it runs (`openRuntime`: embedded SQLite log, read model, projections, clone runner).
 *
 * Each run gets a fresh data directory with a generated source (`largeSource`, policies of the real
 * catalogue) written straight into the log and projected before the clock starts. The clock runs
 * from the service call the `cloneOrganization` mutation makes (`CloneService.requestClone`) until
 * the clone stream's `CloneCompleted` is in the log and every projection has reached the head of
 * the log after it. 1,000 and 10,000 items: median of 3 runs after a discarded warm-up run of
 * each; 100,000 items (skipped by `--quick`): one run, its peak RSS sampled every 20 ms.
 */

const RSS_SAMPLE_INTERVAL_MS = 20;

interface CloneRun {
  ms: number;
  /** CPU time of this process meanwhile: steadier than wall time when other work shares the cores. */
  cpuMs: number;
  requestTimedOut: boolean;
  peakRssMb: number;
  rssBeforeMb: number;
  events: number;
}

function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

async function timeClone(itemCount: number): Promise<CloneRun> {
  const world = await openBenchWorld();
  try {
    const { runtime } = world;
    const source = await world.seedSource(itemCount);
    const before = await runtime.store.headPosition();
    const rssBeforeMb = rssMb();
    let peakRssMb = rssBeforeMb;
    const sampler = setInterval(() => {
      peakRssMb = Math.max(peakRssMb, rssMb());
    }, RSS_SAMPLE_INTERVAL_MS);
    const startedAt = performance.now();
    const cpuAtStart = process.cpuUsage();
    let ms: number;
    let cpuMs: number;
    let head: bigint;
    let requestTimedOut: boolean;
    try {
      ({ head, requestTimedOut } = await cloneToCompletion(world, source));
      ms = performance.now() - startedAt;
      const cpu = process.cpuUsage(cpuAtStart);
      cpuMs = (cpu.user + cpu.system) / 1000;
    } finally {
      clearInterval(sampler);
    }
    peakRssMb = Math.max(peakRssMb, rssMb());
    return { ms, cpuMs, requestTimedOut, peakRssMb, rssBeforeMb, events: Number(head - (before ?? 0n)) };
  } finally {
    await world.close();
  }
}

async function timeClones(itemCount: number, runs: number): Promise<CloneRun[]> {
  const samples: CloneRun[] = [];
  for (let run = 0; run < runs; run++) samples.push(await timeClone(itemCount));
  return samples;
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const medianMs = (samples: readonly CloneRun[]) => median(samples.map((sample) => sample.ms));

export async function runCloneBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  const runs = 3;
  await timeClone(1_000);
  await timeClone(10_000);
  const oneThousand = await timeClones(1_000, runs);
  const tenThousand = await timeClones(10_000, runs);
  const timed = [...oneThousand, ...tenThousand];
  const results: Record<string, number> = {
    clone_1k_ms: round(medianMs(oneThousand), 1),
    clone_10k_ms: round(medianMs(tenThousand), 1),
    clone_10k_items_per_s: round(10_000 / (medianMs(tenThousand) / 1000)),
    clone_10k_cpu_ms: round(median(tenThousand.map((run) => run.cpuMs)), 1),
    clone_10k_events_written: tenThousand[0]!.events,
  };
  if (!opts.quick) {
    const hundredThousand = await timeClone(100_000);
    timed.push(hundredThousand);
    Object.assign(results, {
      clone_100k_ms: round(hundredThousand.ms, 1),
      clone_100k_peak_rss_mb: round(hundredThousand.peakRssMb, 1),
      clone_100k_rss_before_mb: round(hundredThousand.rssBeforeMb, 1),
      // Linear growth is 10: ten times the items in ten times the time.
      clone_growth_ratio_100k_vs_10k: round(hundredThousand.ms / medianMs(tenThousand), 2),
      clone_100k_events_written: hundredThousand.events,
    });
  }
  return {
    ...results,
    // Timed requests whose own wait for the read models (5 s) ran out while the clone went on.
    clone_request_projection_timeouts: timed.filter((run) => run.requestTimedOut).length,
    runs_per_size: runs,
  };
}
