import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { freePort, reeltermWith, Terminal } from '../helpers/terminal.js';


describe('attack14 round 2: keys typed while reelterm starts', () => {
  // DEFECT: `j enter` typed while `reelterm --demo` is still starting (a slow machine, ssh, or
  // typing on right after the command) moves to Shows but does not open it: the terminal is still
  // in cooked mode, which turns enter into "\n", and parseKey (src/tui/keypress.ts) reads "\n" as
  // Ctrl+J, not enter. README: keys typed ahead "are taken in order, each by the screen it leads to".
  it('opens Shows on `j enter` typed before home is drawn', async () => {
    const home = await mkdtemp(join(tmpdir(), 'reelterm-r2-'));
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'], syncWaitSeconds: 2 }));
    const [port, adminPort] = [await freePort(), await freePort()];
    const term = await Terminal.start(
      `${process.execPath} ${BIN} --demo`,
      { REELTERM_HOME: home, REELTERM_DEMO_PORT: String(port), REELTERM_DEMO_ADMIN_PORT: String(adminPort), NO_COLOR: '1', TERM: 'xterm-256color' },
      { columns: 80, rows: 24 },
    );
    onTestFinished(async () => {
      await term.kill();
      for (let i = 0; i < 50 && (await reeltermWith(home)) !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
      await rm(home, { recursive: true, force: true, maxRetries: 5 });
    });
    // When j and enter are typed at once, before reelterm has drawn anything
    await term.keys('j', 'Enter');
    expect(await term.screen()).not.toContain('Libraries');
    // Then Shows opens
    const screen = await term.waitFor(/Shows · 1\/\d+/, 8000).catch(async () => term.screen());
    expect(screen, screen).toMatch(/Home › Shows/);
  }, 60_000);
});
