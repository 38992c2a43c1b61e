import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { freePort, playFirstEpisode, Terminal } from '../helpers/terminal.js';
import { eventually } from '../helpers/wait.js';

const PASSWORD = 'hunter2-do-not-leak';

describe('REELTERM_PASSWORD and what mpv can read', () => {
  /**
   * README: "REELTERM_PASSWORD is used only to sign in: it is removed from the environment mpv
   * starts with", and the code says mpv "and whatever it runs: scripts, hooks" must never see it.
   * It is removed only from the copy handed to mpv. reelterm itself keeps it (the TUI never needs
   * it), and mpv runs as the same user as its parent: any mpv script, hook or program it starts
   * reads it from /proc/$PPID/environ (deleting it from process.env does not change that file).
   * A user who exports REELTERM_PASSWORD for scripted logins hands the password to every mpv
   * script they install.
   *
   * Known and not fixed: a process cannot change its own initial environment from inside Node
   * (/proc/self/environ is fixed at exec), and re-executing reelterm without it would cost the
   * start-up time users notice. README tells users to give REELTERM_PASSWORD to `reelterm
   * login` alone, never export it. Kept (skipped) as the proof of the limit.
   */
  it.skip('is not readable by mpv through its parent reelterm', async () => {
    const home = await tempDir();
    const leaked = join(home, 'parent-environ');
    const mpv = join(home, 'mpv-reading-parent');
    await writeFile(mpv, ['#!/bin/sh', `tr '\\0' '\\n' < /proc/$PPID/environ > '${leaked}'`, 'exec mpv "$@"', ''].join('\n'));
    await chmod(mpv, 0o755);
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'], syncWaitSeconds: 1 }));
    const term = await Terminal.start(`${process.execPath} ${BIN} --demo --mpv-path ${mpv}`, {
      REELTERM_HOME: home,
      REELTERM_DEMO_PORT: String(await freePort()),
      REELTERM_PASSWORD: PASSWORD,
      NO_COLOR: '1',
      TERM: 'xterm-256color',
    });
    await playFirstEpisode(term);
    const seen = await eventually(() => readFile(leaked, 'utf8'));
    await term.keys('q');
    expect(seen).toContain('REELTERM_HOME=');
    expect(seen).not.toContain(PASSWORD);
  }, 60_000);
});
