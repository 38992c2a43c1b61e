import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { loadContext } from '../../src/commands/context.js';
import { signIn } from '../../src/commands/login.js';
import { resolvePaths } from '../../src/config/paths.js';
import { SignInScreen } from '../../src/tui/components/SignInScreen.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { startWebPage } from '../helpers/other-servers.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 's3cret-pw' }] });

async function typeText(stdin: { write: (s: string) => void }, text: string) {
  for (const char of text) stdin.write(char);
  await frame();
}

async function press(stdin: { write: (s: string) => void }, key: string) {
  stdin.write(key);
  await frame();
}

/** The screen as one line of words (Ink wraps long messages at its 100 columns), rows in order. */
function screenOf(lastFrame: () => string | undefined): string {
  return plain(lastFrame()).replace(/\s+/g, ' ');
}

describe('SignInScreen: the server address', () => {
  it('names a malformed address on its row when it is typed, and sends nothing', async () => {
    const submit = vi.fn(async () => undefined);
    const { lastFrame, stdin, unmount } = render(<SignInScreen defaults={{}} onSubmit={submit} onCancel={() => undefined} />);
    await frame();
    // When the user types an address with the scheme mistyped and presses enter
    await typeText(stdin, 'http//jf.local:8096');
    await press(stdin, '\r');
    // Then its row says what is wrong with an example, and the cursor stays on it
    await vi.waitFor(() =>
      expect(screenOf(lastFrame)).toContain(
        '› Server http//jf.local:8096 "http//jf.local:8096" is not a server address: it should start with http:// or https:// (e.g. https://jellyfin.example.com or http://192.168.1.10:8096). User',
      ),
    );
    // When they fix it
    for (let i = 0; i < 'http//jf.local:8096'.length; i += 1) stdin.write('\x7f');
    await typeText(stdin, 'jf.local:8096');
    // Then the message goes, and enter moves on
    await vi.waitFor(() => expect(screenOf(lastFrame)).toContain('› Server jf.local:8096 User'));
    await press(stdin, '\r');
    await vi.waitFor(() => expect(plain(lastFrame())).toContain('› User'));
    expect(submit).not.toHaveBeenCalled();
    unmount();
  });

  it('puts the cursor on an empty server row instead of signing in', async () => {
    const submit = vi.fn(async () => undefined);
    const { lastFrame, stdin, unmount } = render(<SignInScreen defaults={{ user: 'ann' }} onSubmit={submit} onCancel={() => undefined} />);
    await frame();
    await press(stdin, '\t');
    await press(stdin, '\t');
    await typeText(stdin, 'pw');
    await press(stdin, '\r');
    await vi.waitFor(() => expect(screenOf(lastFrame)).toContain("› Server Enter the server's address, e.g. https://jellyfin.example.com or http://192.168.1.10:8096. User ann Password ••"));
    expect(submit).not.toHaveBeenCalled();
    unmount();
  });

  it('says on the server row what answered instead of Jellyfin, then puts a wrong password back on the password row', async () => {
    // Given a fresh installation and the form signing in for real
    const page = await startWebPage();
    const context = await loadContext(resolvePaths({ REELTERM_HOME: await tempDir() }));
    const submit = (form: { server: string; user: string; password: string }) => signIn(context, form).then((result) => ('error' in result ? result : undefined));
    const { lastFrame, stdin, unmount } = render(<SignInScreen defaults={{}} onSubmit={submit} onCancel={() => undefined} />);
    await frame();

    // When the user signs in at an address where a web page answers
    await typeText(stdin, page.url);
    await press(stdin, '\r');
    await typeText(stdin, 'ann');
    await press(stdin, '\r');
    await typeText(stdin, 's3cret-pw');
    await press(stdin, '\r');
    // Then the server row says so, the cursor is on it, the password waits, and it never reached that server
    await vi.waitFor(() => expect(screenOf(lastFrame)).toContain(`› Server ${page.url} Sign-in failed: ${page.url} answered with a web page, not Jellyfin: this is not a Jellyfin server`));
    expect(screenOf(lastFrame)).toContain('Password •••••••••');
    expect(page.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /System/Info/Public']);

    // When they paste the web UI address of their server instead, and mistype the password
    for (let i = 0; i < page.url.length; i += 1) stdin.write('\x7f');
    await typeText(stdin, `${server().url}/web/#/home.html`);
    await press(stdin, '\r');
    await press(stdin, '\r');
    for (let i = 0; i < 9; i += 1) stdin.write('\x7f');
    await typeText(stdin, 'wrong');
    await press(stdin, '\r');
    // Then the password row says so, emptied, with the cursor on it
    await vi.waitFor(() => expect(screenOf(lastFrame)).toContain(`› Password Sign-in failed: ${server().url}: Wrong user name or password`));
    expect(screenOf(lastFrame)).not.toContain('answered with a web page');
    expect(plain(lastFrame())).not.toContain('•');

    // When the right password follows, they are signed in to the server behind the web UI address
    await typeText(stdin, 's3cret-pw');
    await press(stdin, '\r');
    await vi.waitFor(() => expect(context.credentials.get()).toMatchObject({ server: server().url, userName: 'ann' }));
    unmount();
  });
});
