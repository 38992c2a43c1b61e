import { describe, expect, it } from 'vitest';
import { Terminal } from '../helpers/terminal.js';

// The terminal the end-to-end tests drive a person's way (test/helpers/terminal.ts). On tmux's
// one default server, a terminal opened as another test worker closed the last session failed
// with "server exited unexpectedly" (about 1 in 10 under two workers): CI lost a run to it.
describe('the tests’ tmux terminals', () => {
  it('open while others close, every time (each on a tmux server of its own)', async () => {
    // Given two workers' worth of terminals opening and closing at once
    const openAndClose = async (): Promise<number> => {
      let opened = 0;
      for (let i = 0; i < 20; i++) {
        const terminal = await Terminal.start('echo ready', {});
        await terminal.waitFor(/ready/, 10_000);
        opened += 1;
        await terminal.kill();
      }
      return opened;
    };
    // When they run side by side, then every one of them opened and showed its command
    expect(await Promise.all([openAndClose(), openAndClose()])).toEqual([20, 20]);
  });
});
