import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { startNotFound, startWebPage } from '../helpers/other-servers.js';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { freePort, Terminal } from '../helpers/terminal.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }] });

const PROMPT = 'Server address (e.g. https://jellyfin.example.com or http://192.168.1.10:8096): ';

/** `reelterm login` at a terminal (tmux), with nothing configured; it prints its exit code when done. */
async function loginAtTerminal(home: string): Promise<Terminal> {
  return Terminal.start(`${process.execPath} ${BIN} login; echo "[exit $?]"`, { REELTERM_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The screen with the lines tmux wrapped at its 110 columns joined again. */
function unwrapped(screen: string): string {
  return screen.split('\n').reduce((text, line, i, lines) => text + (i > 0 && (lines[i - 1] ?? '').length >= 110 ? '' : i > 0 ? '\n' : '') + line, '');
}

/** Waits until the terminal has shown the question `times` times (tmux drops the trailing space). */
async function asked(term: Terminal, question: string, times = 1): Promise<string> {
  return term.waitFor(new RegExp(`(${escape(question.trimEnd())}[\\s\\S]*?){${times}}`));
}

const signIns = () => server().journal.filter((entry) => entry.path === '/Users/AuthenticateByName').length;

describe('reelterm login at a terminal', () => {
  it('asks again for an address that cannot work and for a wrong password, then signs in', async () => {
    // Given reelterm login at a terminal, showing an example address
    const home = await tempDir();
    const term = await loginAtTerminal(home);
    await asked(term, PROMPT);

    // When the user presses enter without an address, then mistypes one
    await term.keys('Enter');
    await term.waitFor(/^Enter the server's address, e\.g\. https:\/\/jellyfin\.example\.com or http:\/\/192\.168\.1\.10:8096\.$/m);
    await term.keys('http//jf.local:8096', 'Enter');
    // Then each is refused at once, saying what is wrong, and the address is asked again
    await term.waitFor(/^"http\/\/jf\.local:8096" is not a server address: it should start with http:\/\/ or https:\/\//m);
    const screen = await asked(term, PROMPT, 3);
    expect(screen).not.toContain('User name');

    // When they paste the web UI's address, and give a wrong password
    await term.keys(`${server().url}/web/index.html#/home.html`, 'Enter');
    await asked(term, 'User name:');
    await term.keys('ann', 'Enter');
    await asked(term, 'Password for ann:');
    await term.keys('wrong', 'Enter');
    // Then they are told, and asked for the user name again (enter keeps it: Jellyfin does not say which was wrong), then the password
    await term.waitFor(new RegExp(`^Sign-in failed: ${escape(server().url)}: Wrong user name or password\\. Try again \\(2 tries left\\)\\.$`, 'm'));
    await asked(term, 'User name [ann]:');
    await term.keys('Enter');
    await asked(term, 'Password for ann:', 2);

    // When the right one follows
    await term.keys('correct horse', 'Enter');
    // Then they are signed in to the server behind the web UI address
    const done = await term.waitFor(/\[exit \d+\]/);
    expect(done).toContain(`Signed in to ${server().url} as ann.`);
    expect(done).toContain('[exit 0]');
    expect(done).not.toContain('correct horse');
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ server: server().url, userName: 'ann' });
  });

  it('lets a mistyped user name be corrected on the next try, without starting over', async () => {
    const home = await tempDir();
    const term = await loginAtTerminal(home);
    await asked(term, PROMPT);
    await term.keys(server().url, 'Enter');
    await asked(term, 'User name:');
    // Given the user mistypes their name, with the right password
    await term.keys('anne', 'Enter');
    await asked(term, 'Password for anne:');
    await term.keys('correct horse', 'Enter');
    await term.waitFor(/Try again \(2 tries left\)\./);
    // When they correct the name at the next try
    await asked(term, 'User name [anne]:');
    await term.keys('ann', 'Enter');
    await asked(term, 'Password for ann:');
    await term.keys('correct horse', 'Enter');
    // Then they are signed in as the right user
    const done = await term.waitFor(/\[exit \d+\]/);
    expect(done).toContain(`Signed in to ${server().url} as ann.`);
  });

  it('gives up after three wrong passwords, storing nothing', async () => {
    const home = await tempDir();
    const before = signIns();
    const term = await loginAtTerminal(home);
    await asked(term, PROMPT);
    await term.keys(server().url, 'Enter');
    await asked(term, 'User name:');
    await term.keys('ann', 'Enter');
    for (const [i, left] of ['2 tries', '1 try'].entries()) {
      await asked(term, 'Password for ann:', i + 1);
      await term.keys('wrong', 'Enter');
      await term.waitFor(new RegExp(`Try again \\(${left} left\\)\\.`));
      await asked(term, 'User name [ann]:', i + 1);
      await term.keys('Enter');
    }
    await asked(term, 'Password for ann:', 3);
    await term.keys('wrong', 'Enter');
    const screen = unwrapped(await term.waitFor(/\[exit \d+\]/));
    expect(screen).toMatch(new RegExp(`^Sign-in failed: ${escape(server().url)}: Wrong user name or password\\n\\[exit 1\\]$`, 'm'));
    expect(signIns() - before).toBe(3);
    expect(await readFile(join(home, 'config', 'credentials.json'), 'utf8').catch(() => '')).not.toContain('token');
  });

  it('says what answered at an address that is not Jellyfin, before asking for a user name', async () => {
    const page = await startWebPage();
    const other = await startNotFound();
    const closed = `http://127.0.0.1:${await freePort()}`;
    const term = await loginAtTerminal(await tempDir());
    await asked(term, PROMPT);
    await term.keys(page.url, 'Enter');
    await term.waitFor(new RegExp(`^${escape(page.url)} answered with a web page, not Jellyfin: this is not a Jellyfin server`, 'm'));
    await term.keys(`${other.url}/web/index.html`, 'Enter');
    await term.waitFor(new RegExp(`^${escape(other.url)} answered 404 \\(not found\\), not Jellyfin`, 'm'));
    await term.keys(closed, 'Enter');
    const screen = unwrapped(await term.waitFor(/\[exit \d+\]/));
    expect(screen).toContain(`${page.url} answered with a web page, not Jellyfin: this is not a Jellyfin server (Jellyfin listens on port 8096 unless it was changed).`);
    expect(screen).toMatch(new RegExp(`^Sign-in failed: Nothing answers at ${escape(closed)} \\(connection refused\\): is Jellyfin running there, and is the port right\\?\\n\\[exit 1\\]$`, 'm'));
    expect(screen).not.toContain('User name');
    expect(screen).not.toContain('404 (no longer exists');
  });
});
