import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// Issue 14, item 6 and the cosmetic ones: exit 2 when reelterm cannot run at all, as the README
// says; a mistake gets its error and one line pointing at the help, not the whole help.

describe('when reelterm cannot run at all', () => {
  it.each([
    [['--bogus'], "error: unknown option '--bogus'\nRun `reelterm --help` to see the commands and options.\n"],
    [['sync', '--bogus'], "error: unknown option '--bogus'\nRun `reelterm sync --help` to see its options.\n"],
    [['frobnicate'], "error: unknown command 'frobnicate'\nRun `reelterm --help` to see the commands and options.\n"],
    [['synk'], "error: unknown command 'synk'\n(Did you mean sync?)\nRun `reelterm --help` to see the commands and options.\n"],
    [['help', 'lgoin'], "error: unknown command 'lgoin'\n(Did you mean login?)\nRun `reelterm --help` to see the commands and options.\n"],
    [['--demo-version'], "error: option '--demo-version <version>' argument missing\nRun `reelterm --help` to see the commands and options.\n"],
  ])('reelterm %j exits 2 with the error and where to look', async (args, stderr) => {
    const result = await runCli(args, { home: await tempDir() });
    expect(result).toEqual({ code: 2, stdout: '', stderr });
  });

  it('exits 2 without a terminal when nobody is signed in, saying what to do', async () => {
    const result = await runCli([], { home: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Not signed in, and no terminal to sign in on: run `reelterm login` (it reads REELTERM_PASSWORD in scripts), or try `reelterm --demo` in a terminal.\n');
  });
});

describe('reelterm help', () => {
  it('prints what --help prints, and exits 0', async () => {
    const home = await tempDir();
    const [help, flag] = await Promise.all([runCli(['help'], { home }), runCli(['--help'], { home })]);
    expect(help).toEqual({ code: 0, stdout: flag.stdout, stderr: '' });
    expect(flag.stdout).toMatch(/^Usage: reelterm \[options\] \[command\]/);
    expect(flag.stdout).toMatch(/demo-server \[options\]\s+run the demo server on its own/);
  });

  it('lists every command and every flag, one line each, within 80 columns', async () => {
    const home = await tempDir();
    const { stdout } = await runCli(['--help'], { home });
    const lines = stdout.split('\n');
    expect(lines.filter((line) => line.length > 80), stdout).toEqual([]);
    // Every flag of every command, as each command's own help names it, is on a line of its own
    for (const command of ['sync', 'login', 'logout', 'demo-server']) {
      expect(stdout).toMatch(new RegExp(`^  reelterm ${command}( \\[options\\])? +\\S`, 'm'));
      const own = (await runCli([command, '--help'], { home })).stdout;
      const flags = [...own.matchAll(/^  ((?:-\w, )?--[\w-]+(?: <\w+>)?)/gm)].map((match) => match[1]!).filter((flag) => !['-h, --help', '--insecure', '--debug'].includes(flag));
      expect(flags.length, command).toBeGreaterThan(0);
      for (const flag of flags) expect(stdout, `${command} ${flag}`).toMatch(new RegExp(`^    ${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\S`, 'm'));
    }
    for (const flag of ['--demo', '--demo-version <version>', '--pending', '--json', '--insecure', '--mpv-path <path>', '--debug', '-V, --version']) {
      expect(stdout, flag).toContain(`    ${flag} `);
    }
  });

  it('help sync prints the help of sync', async () => {
    const home = await tempDir();
    const [help, flag] = await Promise.all([runCli(['help', 'sync'], { home }), runCli(['sync', '--help'], { home })]);
    expect(help).toEqual({ code: 0, stdout: flag.stdout, stderr: '' });
    expect(flag.stdout).toMatch(/--demo\s+deliver the demo's queue/);
  });
});
