import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { fault, freePort, Terminal } from '../helpers/terminal.js';

// Found while attacking a3b1fc6 (q while mpv starts gives up at once). Since then the start
// launches mpv and waits for the item's details on its own, with nothing yet waiting on the
// launch: when mpv fails before a slow server has answered (not installed, a wrong mpvPath), the
// launch's failure was an unhandled rejection, and reelterm died with a stack trace in place of
// "Cannot play: mpv is not installed". A mpvPath that does not exist stands for a missing mpv.

describe('playing with mpv missing while the server is slow', () => {
  it('says mpv is not installed and goes on, instead of dying with a stack trace', async () => {
    // Given reelterm --demo with an mpv that is not there, on the details screen of a film
    const home = await tempDir();
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvPath: join(home, 'no-such-mpv'), syncWaitSeconds: 1 }));
    const [port, adminPort] = [await freePort(), await freePort()];
    const term = await Terminal.start(`${process.execPath} ${BIN} --demo; echo "EXIT=$?"`, { REELTERM_HOME: home, REELTERM_DEMO_PORT: String(port), REELTERM_DEMO_ADMIN_PORT: String(adminPort), NO_COLOR: '1', TERM: 'xterm-256color' });
    await term.waitFor(/Libraries/, 20_000);
    await term.keys('Enter');
    await term.waitFor(/Movies · 1\/\d+/);
    await term.keys('Enter');
    await term.waitFor(/enter play/);

    // When the server answers slowly (more slowly than mpv takes to fail) and the user plays
    await fault(adminPort, { fault: 'latency', ms: 5000 });
    await term.keys('Enter');

    // Then the screen says why, and reelterm is still there to quit normally
    const screen = await term.waitFor(/Cannot play|EXIT=\d+/, 40_000);
    expect(screen).toContain('Cannot play: mpv is not installed');
    expect(screen).not.toMatch(/EXIT=|Node\.js v|at _?MpvProcess/);
    await fault(adminPort, { fault: 'clear' });
    await term.keys('q');
    expect(await term.waitFor(/EXIT=\d+/, 20_000)).toContain('EXIT=0');
  }, 90_000);
});
