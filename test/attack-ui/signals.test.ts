import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { reeltermWith, Terminal } from '../helpers/terminal.js';
import { eventually } from '../helpers/wait.js';

describe('Ctrl+C on the sign-in form', () => {
  /**
   * With nobody signed in, `reelterm` shows its sign-in form. Ctrl+C there ends the program
   * with exit status 0 and no word: Ink's own Ctrl+C handling unmounts the form, the promise
   * the command waits on never settles, and Node simply runs out of work. The teardown
   * (`shutdown()`) never runs, and a script or a shell `&&` chain takes the interrupt for
   * success ("reelterm && echo signed in" says it signed in). Every other way out of the
   * form says "Not signed in." and exits 1; a signal exits 130.
   */
  it('does not exit 0 when the user interrupts the sign-in', async () => {
    const home = await tempDir();
    const term = await Terminal.start(`${process.execPath} ${BIN}; echo "EXIT=$?"`, { REELTERM_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' });
    await term.waitFor(/Sign in to your Jellyfin server/);
    await term.keys('C-c');
    const screen = await term.waitFor(/EXIT=\d+/);
    expect(/EXIT=(\d+)/.exec(screen)![1]).not.toBe('0');
  });
});

describe('SIGHUP while the sign-in form shows', () => {
  it('exits 129 and gives the terminal back as it was', async () => {
    const home = await tempDir();
    const term = await Terminal.start(`${process.execPath} ${BIN}; echo "EXIT=$? tty: $(stty -a | grep -o -- '-\\?icanon') $(stty -a | grep -o -- ' -\\?echo ')"`, {
      REELTERM_HOME: home,
      NO_COLOR: '1',
      TERM: 'xterm-256color',
    });
    await term.waitFor(/Sign in to your Jellyfin server/);
    await term.keys('a', 'n', 'n');
    const pid = await eventually(async () => {
      const found = await reeltermWith(home);
      if (found === undefined) throw new Error('no reelterm yet');
      return found;
    });
    process.kill(pid, 'SIGHUP');
    const screen = await term.waitFor(/EXIT=\d+ tty/);
    expect(screen).toMatch(/EXIT=129 tty: icanon +echo/);
  });
});

describe('Ctrl+C while the sign-in form is signing in', () => {
  const server = useDemoServer({ users: [{ name: 'ann', password: 'pw' }] });
  /**
   * On a slow server the user gives up and presses Ctrl+C while "signing in" runs. The form is
   * gone at once, but the sign-in carries on: it stores the token, and then the whole TUI opens,
   * seconds after the user asked to quit (or, when the sign-in fails, the process just ends
   * with status 0). Ctrl+C must end reelterm, not be overruled by a request already in flight.
   */
  it('does not open the TUI after the user pressed Ctrl+C', async () => {
    const home = await tempDir();
    server().faults.latency(2_000);
    const term = await Terminal.start(`${process.execPath} ${BIN}; echo "EXIT=$?"`, { REELTERM_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' });
    await term.waitFor(/Sign in to your Jellyfin server/);
    await term.keys(server().url, 'Enter', 'ann', 'Enter', 'pw', 'Enter', 'C-c');
    const screen = await term.waitFor(/EXIT=\d+|Libraries|Continue watching|Next up/, 20_000);
    expect(screen).toMatch(/EXIT=(?:1|130)\b/);
  });
});
