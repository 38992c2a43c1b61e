import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { freePort, Terminal } from '../helpers/terminal.js';

// Issue 14, items 5 and 19: quitting `reelterm --demo` with `q` or Ctrl+C says the same thing:
// the demo server's addresses, and how many updates wait, naming the demo's own commands.

/** `reelterm --demo` in tmux with one watched mark queued while its server is offline. */
async function demoWithOneQueued(syncWaitSeconds = 1): Promise<{ term: Terminal; port: number }> {
  const home = await tempDir();
  await mkdir(join(home, 'config'), { recursive: true });
  await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ syncWaitSeconds }));
  const port = await freePort();
  const term = await Terminal.start(`${process.execPath} ${BIN} --demo; echo "EXIT=$?"`, {
    REELTERM_HOME: home,
    REELTERM_DEMO_PORT: String(port),
    NO_COLOR: '1',
    TERM: 'xterm-256color',
  });
  await term.waitFor(/Libraries/);
  await term.keys('Enter');
  await term.waitFor(/Movies · 1\/\d+/);
  // The switch printed for the user, on the demo server's own port
  const offline = await fetch(`http://127.0.0.1:${port}/__demo/faults`, { method: 'POST', body: '{"fault":"offline","forMs":120000}' });
  expect(offline.status).toBe(200);
  await term.keys('w');
  await term.waitFor(/⚠ Offline · 1 pending/);
  return { term, port };
}

const CLOSING = '1 update will sync next time you start `reelterm --demo`, or run `reelterm sync --demo`.';

describe('leaving reelterm --demo with updates queued', () => {
  it.each([
    ['q', 'q', 0],
    ['Ctrl+C', 'C-c', 130],
  ])('%s prints the demo addresses and what stays queued', async (_name, key, code) => {
    // Given a demo whose server went offline after a mark
    const { term, port } = await demoWithOneQueued();
    // When the user quits
    await term.keys(key);
    const screen = await term.waitFor(/EXIT=\d+/, 15_000);
    // Then the demo's addresses and the same closing line are left on the terminal
    expect(screen).toContain(`Demo server: http://127.0.0.1:${port}, Jellyfin 10.11.11 rules`);
    expect(screen).toContain(CLOSING);
    expect(screen).toContain(`EXIT=${code}`);
  }, 90_000);

  it('Ctrl+C while q waits for the sync says it once', async () => {
    // Given a demo whose server went offline after a mark, and a quit that waits up to 20 s
    const { term } = await demoWithOneQueued(20);
    await term.keys('q');
    await term.waitFor(/Syncing/, 10_000);
    // When the user gives up waiting with Ctrl+C
    await term.keys('C-c');
    const screen = await term.waitFor(/EXIT=\d+/, 15_000);
    // Then the addresses and the closing line are there once, not twice
    expect(screen.split(CLOSING).length - 1, screen).toBe(1);
    expect(screen.split('Demo server: ').length - 1, screen).toBe(1);
  }, 90_000);
});
