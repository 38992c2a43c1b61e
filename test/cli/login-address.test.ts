import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { startBasePathProxy, startNotFound, startWebPage } from '../helpers/other-servers.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { freePort } from '../helpers/terminal.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }] });

const EXAMPLE = 'e.g. https://jellyfin.example.com or http://192.168.1.10:8096';

/** `reelterm login` as a script runs it: flags, the password from the environment, no terminal. */
function login(home: string, address: string, password = 'correct horse') {
  return runCli(['login', '--server', address, '--user', 'ann'], { home, env: { REELTERM_PASSWORD: password } });
}

async function saved(home: string): Promise<{ server?: string; token?: string }> {
  return JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8').catch(() => '{}')) as { server?: string; token?: string };
}

const signIns = () => server().journal.filter((entry) => entry.path === '/Users/AuthenticateByName').length;

describe('reelterm login: the server address', () => {
  it.each(['/web/index.html', '/web/#/home.html', '/web/index.html#!/home.html'])('signs in to the server behind a pasted web UI address (%s)', async (page) => {
    const home = await tempDir();
    const result = await login(home, `${server().url}${page}`);
    expect(result).toMatchObject({ code: 0, stdout: `Signed in to ${server().url} as ann.\n` });
    expect(await saved(home)).toMatchObject({ server: server().url });
  });

  it('keeps the base path of a server that lives under one', async () => {
    const proxy = await startBasePathProxy(server().url, '/jellyfin');
    const home = await tempDir();
    const result = await login(home, `${proxy.url}/jellyfin/web/index.html#/home.html`);
    expect(result).toMatchObject({ code: 0, stdout: `Signed in to ${proxy.url}/jellyfin as ann.\n` });
    expect(await saved(home)).toMatchObject({ server: `${proxy.url}/jellyfin` });
  });

  it('says a web page is not a Jellyfin server, and never sends it the password', async () => {
    const page = await startWebPage();
    const home = await tempDir();
    const result = await login(home, page.url);
    expect(result).toMatchObject({
      code: 1,
      stderr: `Sign-in failed: ${page.url} answered with a web page, not Jellyfin: this is not a Jellyfin server (Jellyfin listens on port 8096 unless it was changed).\n`,
    });
    expect(page.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /System/Info/Public']);
    expect(await saved(home)).toEqual({});
  });

  it('says something answering 404 everywhere is not a Jellyfin server, not that an item is gone', async () => {
    const other = await startNotFound();
    const result = await login(await tempDir(), `${other.url}/web/index.html`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Sign-in failed: ${other.url} answered 404 (not found), not Jellyfin: this is not a Jellyfin server (Jellyfin listens on port 8096 unless it was changed), or not its base address.\n`,
    );
  });

  it('says plainly when nothing answers at the address', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await login(await tempDir(), url);
    expect(result).toMatchObject({ code: 1, stderr: `Sign-in failed: Nothing answers at ${url} (connection refused): is Jellyfin running there, and is the port right?\n` });
  });

  it('says plainly when the host name does not exist', async () => {
    const result = await login(await tempDir(), 'http://reelterm-test.invalid:8096');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Sign-in failed: (There is no host named reelterm-test\.invalid: check the address|Could not look up reelterm-test\.invalid)/);
  });

  it('checks the address of a Quick Connect sign-in too', async () => {
    const page = await startWebPage();
    const result = await runCli(['login', '--quick-connect', '--server', page.url], { home: await tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${page.url} answered with a web page, not Jellyfin`);
    expect(result.stderr).not.toContain('Quick Connect code');
  });

  it.each([
    ['http//jf.local:8096', `"http//jf.local:8096" is not a server address: it should start with http:// or https:// (${EXAMPLE}).`],
    ['jelly fin:8096', `"jelly fin:8096" is not a server address: it has a space in it (${EXAMPLE}).`],
  ])('refuses the address %j before anything else is asked, with an example', async (address, message) => {
    // No --user and no password: the address is what is refused, not the missing terminal.
    const result = await runCli(['login', '--server', address], { home: await tempDir() });
    expect(result).toMatchObject({ code: 1, stderr: `${message}\n` });
  });

  it('tries a wrong password once when there is no terminal to ask again on', async () => {
    const before = signIns();
    const result = await login(await tempDir(), server().url, 'wrong');
    expect(result).toMatchObject({ code: 1, stderr: `Sign-in failed: ${server().url}: Wrong user name or password\n` });
    expect(signIns() - before).toBe(1);
  });
});
