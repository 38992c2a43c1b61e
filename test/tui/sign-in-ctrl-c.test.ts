import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { Terminal } from '../helpers/terminal.js';

// The first start, nothing configured, shows the sign-in form. Ctrl+C there is a shell's
// interrupt: reelterm ends with 130, the terminal back as it was. It used to exit 1 with
// "Not signed in.", as if the form had been cancelled with esc: the form resolved before the
// SIGINT it raised was handled, and the teardown then exited with the command's code.
describe('Ctrl+C on the sign-in form', () => {
  it('ends reelterm with 130 and gives the terminal back', async () => {
    const home = await mkdtemp(join(tmpdir(), 'reelterm-signin-ctrl-c-'));
    const term = await Terminal.start(`${process.execPath} ${BIN}; echo "exit=$?"`, { REELTERM_HOME: home, NO_COLOR: '1' });
    await term.waitFor(/Sign in to your Jellyfin server/);
    await term.keys('C-c');
    const screen = await term.waitFor(/exit=\d+/);
    expect(screen).toMatch(/exit=130/);
    expect(screen).not.toMatch(/Not signed in/);
    // (the form is gone: the shell's screen is back)
    expect(screen).not.toMatch(/Sign in to your Jellyfin server/);
  }, 60_000);
});
