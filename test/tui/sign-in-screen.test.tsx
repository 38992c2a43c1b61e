import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { loadContext } from '../../src/commands/context.js';
import { quickConnectSignIn, signIn } from '../../src/commands/login.js';
import { resolvePaths } from '../../src/config/paths.js';
import { SignInScreen } from '../../src/tui/components/SignInScreen.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 's3cret-pw' }] });

async function typeText(stdin: { write: (s: string) => void }, text: string) {
  for (const char of text) stdin.write(char);
  await frame();
}

describe('SignInScreen', () => {
  it('signs in with what the user types, never showing the password, and says when it is wrong', async () => {
    // Given a fresh installation
    const context = await loadContext(resolvePaths({ REELTERM_HOME: await tempDir() }));
    const submit = vi.fn((form: { server: string; user: string; password: string }) => signIn(context, form).then((r) => ('error' in r ? r.error : undefined)));
    const { lastFrame, stdin, unmount } = render(<SignInScreen defaults={{}} onSubmit={submit} onCancel={() => undefined} />);
    await frame();
    await vi.waitFor(() => expect(plain(lastFrame())).toMatch(/› Server +e\.g\. https:\/\/jellyfin\.example\.com or http:\/\/192\.168\.1\.10:8096/));
    // When the user types the server, the user and a wrong password
    await typeText(stdin, server().url);
    stdin.write('\t');
    await typeText(stdin, 'ann');
    stdin.write('\r');
    await frame();
    await typeText(stdin, 'wrong');
    // (the frame with it comes when Ink draws next: waited for, on a busy machine too)
    await vi.waitFor(() => expect(plain(lastFrame())).toContain('› Password  •••••'));
    stdin.write('\r');
    // Then the form says so, clears the password, and stores nothing
    await vi.waitFor(() => expect(plain(lastFrame())).toContain('Wrong user name or password'));
    expect(context.credentials.get()).toBeUndefined();
    // When the right password follows
    await typeText(stdin, 's3cret-pw');
    expect(lastFrame()).not.toContain('s3cret-pw');
    stdin.write('\r');
    // Then the sign-in is stored
    await vi.waitFor(() => expect(context.credentials.get()).toMatchObject({ server: server().url, userName: 'ann' }));
    expect(submit).toHaveBeenCalledTimes(2);
    unmount();
  });

  it('starts at the password when server and user are known, and cancels on esc', async () => {
    const onCancel = vi.fn();
    const { lastFrame, stdin, unmount } = render(<SignInScreen defaults={{ server: 'http://jf.local:8096', user: 'ann' }} onSubmit={async () => undefined} onCancel={onCancel} />);
    await frame();
    const screen = plain(lastFrame());
    expect(screen).toContain('  Server    http://jf.local:8096');
    expect(screen).toContain('› Password');
    stdin.write('\x1b');
    await frame(120);
    expect(onCancel).toHaveBeenCalled();
    unmount();
  });

  it('signs in with Quick Connect: shows the code, waits for approval, and can be stopped with esc', async () => {
    // Given a fresh installation and the server's address typed in
    const context = await loadContext(resolvePaths({ REELTERM_HOME: await tempDir() }));
    const quick = (address: string, onCode: (code: string) => void, signal: AbortSignal) =>
      quickConnectSignIn(context, address, { onCode, signal, pollMs: 50 }).then((r) => ('error' in r ? r.error : undefined));
    const { lastFrame, stdin, unmount } = render(<SignInScreen defaults={{ server: server().url }} onSubmit={async () => 'unused'} onCancel={() => undefined} onQuickConnect={quick} />);
    await frame();
    // When the user moves to the Quick Connect row and presses enter
    stdin.write('\t');
    await frame();
    stdin.write('\t');
    await frame();
    await vi.waitFor(() => expect(plain(lastFrame())).toContain('› Or sign in with Quick Connect (no password)'));
    stdin.write('\r');
    // Then the code shows, and esc stops waiting without storing anything
    await vi.waitFor(() => expect(plain(lastFrame())).toMatch(/Quick Connect code: \d{6}/));
    stdin.write('\x1b');
    await vi.waitFor(() => expect(plain(lastFrame())).toContain('Quick Connect cancelled; nothing was stored.'));
    expect(context.credentials.get()).toBeUndefined();
    // When it is tried again and approved in another app
    stdin.write('\r');
    const code = await vi.waitFor(() => {
      const found = /Quick Connect code: (\d{6})/.exec(plain(lastFrame()))?.[1];
      if (found === undefined) throw new Error('no code yet');
      return found;
    });
    expect(server().approveQuickConnect(code, 'ann')).toBe(true);
    // Then the sign-in is stored
    await vi.waitFor(() => expect(context.credentials.get()).toMatchObject({ server: server().url, userName: 'ann' }));
    unmount();
  });
});
