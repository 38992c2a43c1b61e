import { describe, expect, it } from 'vitest';
import { buildProgram, plainStart } from '../../src/cli/main.js';
import { resolvePaths } from '../../src/config/paths.js';
import { closeLog } from '../../src/log.js';
import { tempDir } from '../helpers/temp-home.js';

/** Words a command line is made of here: the plain start's flags and what sits next to them. */
const WORDS = ['--demo', '--debug', '--plex', '--demo-version', '12.0', '--pending', '--json', '--insecure', '--help', '-h', '-V', 'help', 'sync', '--', '--demo=1', '--dem', 'x'];

/** Every command line of up to three of `WORDS` (repeats included). */
function commandLines(): string[][] {
  const lines: string[][] = [[]];
  for (let length = 1; length <= 3; length++) {
    for (const line of lines.filter((l) => l.length === length - 1)) for (const word of WORDS) lines.push([...line, word]);
  }
  return lines;
}

describe('a plain start of the TUI (`reelterm`, `--demo`, `--debug`) skips commander', () => {
  it('takes exactly the command lines that only start the TUI, each read as commander reads it', async () => {
    const taken = commandLines().filter((line) => plainStart(line) !== undefined);
    // (the plain start's own lines, in either order; anything else, a repeat included, is commander's)
    expect(taken.map((line) => line.join(' ')).sort()).toEqual(['', '--debug', '--debug --demo', '--demo', '--demo --debug']);
    const paths = resolvePaths({ REELTERM_HOME: await tempDir() });
    for (const line of taken) {
      const program = await buildProgram(paths);
      let read: Record<string, unknown> | undefined;
      // The root command's action starts the TUI: here it notes what commander read instead.
      program.action((opts: Record<string, unknown>) => {
        expect(program.args).toEqual([]);
        read = { ...opts };
      });
      await program.parseAsync(['node', 'reelterm', ...line]);
      expect(plainStart(line), line.join(' ')).toEqual(read);
    }
    await closeLog();
  });
});
