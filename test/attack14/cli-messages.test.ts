import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

describe('attack14: what the command line says', () => {
  // DEFECT: `reelterm help nope` (a mistyped command after `help`) exits 2 and dumps the whole
  // usage on stderr without a word about `nope`. README: "Exit code 2 means reelterm could not run
  // at all (a bad flag or an unknown command …); the message says why, and a mistyped flag or
  // command also names the `--help` to read" — as `reelterm nope` does ("unknown command 'nope'").
  it('says that `nope` is not a command on `reelterm help nope`', async () => {
    const home = await tempDir();
    const result = await runCli(['help', 'nope'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'nope'|nope.*(not a|unknown)/i);
  });

  // DEFECT: `--timeout 0` is refused with a false reason: "--timeout must be a number of seconds,
  // not "0"" — 0 is a number of seconds; what is wrong is that it must be more than 0.
  // Issue 14: "every message true".
  it('says why `sync --timeout 0` is refused without calling 0 not a number', async () => {
    const home = await tempDir();
    const result = await runCli(['sync', '--timeout', '0'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('must be a number of seconds, not "0"');
    expect(result.stderr).toMatch(/more than 0|greater than 0|above 0|at least|positive/i);
  });
});
