/** The clone's progress on stderr: redrawn in place on a terminal, one line per new percentage elsewhere. */
import { describe, expect, it } from 'vitest';
import { progressDisplay } from '../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  const target = { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { target, written };
}

describe('the progress display', () => {
  it('on a terminal, redraws one bar with carriage returns and ends its line once', () => {
    const { target, written } = stream(true);
    const progress = progressDisplay(target, 'cloning');

    progress.update(0, 40);
    progress.update(10, 40);
    progress.update(40, 40);
    progress.finish();
    progress.finish();

    expect(written).toEqual([
      `\rcloning [${'-'.repeat(30)}]   0% 0/40`,
      `\rcloning [${'#'.repeat(8)}${'-'.repeat(22)}]  25% 10/40`,
      `\rcloning [${'#'.repeat(30)}] 100% 40/40`,
      '\n',
    ]);
  });

  it('elsewhere, writes a plain line each time the percentage changes', () => {
    const { target, written } = stream(false);
    const progress = progressDisplay(target, 'cloning');

    progress.update(1, 300);
    progress.update(2, 300);
    progress.update(150, 300);
    progress.update(150, 300);
    progress.update(300, 300);
    progress.finish();

    expect(written).toEqual([
      'cloning: 0% (1/300 items)\n',
      'cloning: 50% (150/300 items)\n',
      'cloning: 100% (300/300 items)\n',
    ]);
  });

  it('counts an empty clone as done', () => {
    const { target, written } = stream(false);

    progressDisplay(target, 'cloning').update(0, 0);

    expect(written).toEqual(['cloning: 100% (0/0 items)\n']);
  });
});
