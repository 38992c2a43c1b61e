import { afterEach, describe, expect, it } from 'vitest';
import { demoClient, useDemoServer } from '../helpers/demo-server.js';
import { login, savedCredentials } from '../helpers/accounts.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { Gate } from './gate.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }] });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Whether the demo server still takes `token` (asked directly, not through the gate). */
async function stillValid(token: string, userId: string): Promise<boolean> {
  const client = demoClient(server(), { token, userId });
  return client.me().then(
    () => true,
    () => false,
  );
}

describe('logout behind a gate that answers 401 itself', () => {
  /**
   * A Jellyfin behind an SSO gate (Authelia, oauth2-proxy, a corporate portal) whose session
   * expired: the gate answers every request with its own 401 *login page* (HTML). Jellyfin's own
   * 401 is an empty challenge. `logout` takes the gate's page for "the server had already ended
   * this sign-in", forgets the token and exits 0, while the token is still valid on Jellyfin
   * and nobody can revoke it from here any more: exactly what README promises logout never does
   * without `--forget` ("If the server cannot revoke the token … the token is kept").
   * The user believes this device is signed out; anyone holding the token still is not.
   */
  it('keeps the token (exit 1) when the 401 is a login page, not Jellyfin', async () => {
    const gate = await Gate.start(server().url);
    cleanups.push(() => gate.close());
    const home = await tempDir();
    expect((await login(gate.url, home, 'ann', 'correct horse')).code).toBe(0);
    const before = await savedCredentials(home);
    gate.answer = (req) =>
      req.url?.startsWith('/Sessions/Logout')
        ? { status: 401, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Sign in</title><form action="/sso/login">…</form>' }
        : undefined;

    const result = await runCli(['logout'], { home });

    const revoked = !(await stillValid(before.token!, before.userId!));
    const kept = (await savedCredentials(home)).token === before.token;
    // Either the token is revoked on the server, or it is kept here so it can still be revoked.
    expect({ revoked, kept, code: result.code, stdout: result.stdout }).toMatchObject(revoked ? { revoked: true } : { kept: true, code: 1 });
  });
});
