import { Console } from 'node:console';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { untilShown } from '../helpers/wait.js';

const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';

/** A terminal for `runSignIn`: keys in, everything written kept in order. */
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: 80,
    rows: 24,
    write: (chunk: string) => {
      written.push(chunk);
      return true;
    },
  });
  return {
    io: { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream },
    type: (keys: string) => stdin.write(keys),
    output: () => written.join(''),
  };
}

/** What stays on the user's main screen: everything written outside the alternate screen. */
function mainScreen(output: string): string {
  return output.replace(/\x1b\[\?1049h[\s\S]*?(\x1b\[\?1049l|$)/g, '');
}

describe('the first sign-in form', () => {
  let runSignIn: typeof import('../../src/tui/run.js').runSignIn;
  // Ink patches the console as it does in a terminal; vitest's console has no `Console` of its own.
  // And Ink draws only its last frame where `CI` is set (CI runs this suite so): reelterm drops
  // that guess before it loads the TUI (`loadTui`), and so does this test.
  beforeAll(async () => {
    if (typeof console.Console !== 'function') Object.assign(console, { Console });
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    ({ runSignIn } = await import('../../src/tui/run.js'));
  });

  it.each([
    ['signing in', 'demo\r', true],
    ['cancelling with esc', '\x1b', false],
  ])('leaves nothing on the terminal after %s', async (_, keys, signedIn) => {
    const terminal = fakeTerminal();
    const done = runSignIn({ server: 'http://jf.example', user: 'demo' }, async (form) => (form.password === 'demo' ? undefined : 'Wrong password'), terminal.io);
    // (the first frame of a cold Ink on a busy machine can take a while)
    await untilShown(terminal.output, '› Password', 30_000);
    // When the user signs in (or leaves)
    terminal.type(keys);
    // Then the form was drawn only on the alternate screen, which is left: the shell sees none of it
    expect(await done).toBe(signedIn);
    const output = terminal.output();
    expect(output.startsWith(ENTER_ALT)).toBe(true);
    expect(output).toContain(LEAVE_ALT);
    expect(output).toContain('Sign in to your Jellyfin server');
    expect(mainScreen(output)).not.toMatch(/Sign in|Password|Server/);
  });
});
