/**
 * The clone's progress on stderr: a bar redrawn in place on a terminal, a plain line per new
 * percentage otherwise (a log file or CI output should not fill with carriage returns).
 */
const BAR_WIDTH = 30;

export interface ProgressDisplay {
  update(done: number, total: number): void;
  /** Ends the bar's line; idempotent. */
  finish(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream, label: string): ProgressDisplay {
  let lastPercent = -1;
  let drawn = false;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (stream.isTTY) {
        const filled = Math.round((percent / 100) * BAR_WIDTH);
        const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
        stream.write(`\r${label} [${bar}] ${String(percent).padStart(3)}% ${done}/${total}`);
        drawn = true;
      } else if (percent !== lastPercent) {
        stream.write(`${label}: ${percent}% (${done}/${total} items)\n`);
      }
      lastPercent = percent;
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
