import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// `reelterm login --plex` as a user runs it, against the demo Plex server's two halves: plex.tv
// (REELTERM_PLEX_TV_URL points there, so nothing reaches the internet) and the server itself.

const demo = usePlexDemo();

/** Runs `reelterm login --plex …` without a terminal; `onLine` sees each line it writes to stderr as it comes. */
function login(args: string[], home: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void = () => undefined) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'login', '--plex', ...args], { env: { ...process.env, NO_COLOR: '1', REELTERM_HOME: home, REELTERM_PLEX_TV_URL: demo().plexTvUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) onLine(line);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const saved = async (home: string) => JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8')) as Record<string, unknown>;
const codeIn = (line: string) => /enter the code (\w+)/.exec(line)?.[1];

describe('reelterm login --plex', () => {
  it('shows a code for plex.tv/link, waits for it, and signs in to the chosen server with its own token', async () => {
    const home = await tempDir();
    const codes: string[] = [];
    const result = await login(['--server', 'reelterm demo', '--debug'], home, {}, (line) => {
      const code = codeIn(line);
      if (code === undefined) return;
      codes.push(code);
      // The user enters it at plex.tv/link a moment later
      setTimeout(() => demo().linkPin(code), 300);
    });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(codes).toHaveLength(1);
    expect(result.stderr).toContain('https://plex.tv/link');
    // The local connection is refused; the remote one answers and is kept
    expect(await saved(home)).toMatchObject({ kind: 'plex', server: demo().url, serverId: demo().machineIdentifier, token: demo().owner.serverToken, userName: demo().owner.username });
    expect(result.stdout).toContain(`Signed in to ${demo().url} as ${demo().owner.username}`);
    // The account's own token is never stored, and no token is printed
    expect(JSON.stringify(await saved(home))).not.toContain(demo().owner.authToken);
    expect(result.stdout + result.stderr).not.toContain(demo().owner.serverToken);
    // nor written to the log
    const log = await readFile(join(home, 'state', 'reelterm.log'), 'utf8');
    expect(log).toContain('plex request');
    expect(log).not.toContain(demo().owner.serverToken);
    expect(log).not.toContain(demo().owner.authToken);
  }, 90_000);

  it('offers a new code when one expires before it is entered', async () => {
    const home = await tempDir();
    const codes: string[] = [];
    const result = await login(['--server', 'reelterm demo'], home, {}, (line) => {
      const code = codeIn(line);
      if (code === undefined) return;
      codes.push(code);
      // The first code is left until plex.tv forgets it (its clock moves past the 15 minutes); the second is entered
      if (codes.length === 1) demo().plexTvFaults.clock(16 * 60_000);
      else setTimeout(() => demo().linkPin(code), 300);
    });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(codes).toHaveLength(2);
    expect(codes[1]).not.toBe(codes[0]);
    expect(await saved(home)).toMatchObject({ kind: 'plex', token: demo().owner.serverToken });
  }, 90_000);

  it('names the servers there are when --server names none of them, and stores nothing', async () => {
    const home = await tempDir();
    const result = await login(['--server', 'Nope'], home, {}, (line) => {
      const code = codeIn(line);
      if (code !== undefined) setTimeout(() => demo().linkPin(code), 300);
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No server named "Nope"');
    expect(result.stderr).toContain('reelterm demo');
    await expect(saved(home)).rejects.toThrow();
  }, 90_000);

  it('lists the account’s servers with the connection that answers for each, and asks for --server without a terminal', async () => {
    const home = await tempDir();
    const result = await login([], home, {}, (line) => {
      const code = codeIn(line);
      if (code !== undefined) setTimeout(() => demo().linkPin(code), 300);
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`1. reelterm demo (yours) · answers at ${demo().url}`);
    expect(result.stderr).toMatch(/2\. Friend's Plex \(shared with you\) · no connection answers now/);
    expect(result.stderr).toContain('pass --server NAME');
    await expect(saved(home)).rejects.toThrow();
  }, 90_000);

  it('signs in with a token from REELTERM_PLEX_TOKEN to a server address, and refuses one on the command line', async () => {
    const home = await tempDir();
    const ok = await login(['--server', demo().url, '--token'], home, { REELTERM_PLEX_TOKEN: demo().owner.serverToken });
    expect(ok, ok.stderr).toMatchObject({ code: 0 });
    expect(await saved(home)).toMatchObject({ kind: 'plex', server: demo().url, serverId: demo().machineIdentifier, token: demo().owner.serverToken });

    const wrong = await login(['--server', demo().url, '--token'], await tempDir(), { REELTERM_PLEX_TOKEN: 'not-a-token' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('does not take that token');

    const visible = await runCli(['login', '--plex', '--server', demo().url, '--token', demo().owner.serverToken], { home: await tempDir() });
    expect(visible.code).not.toBe(0);
    expect(visible.stderr).toContain('visible to every user of this machine');
  }, 90_000);

  it('signs out by forgetting the token, and says Plex cannot revoke it and where to remove the device', async () => {
    const home = await tempDir();
    expect((await login(['--server', demo().url, '--token'], home, { REELTERM_PLEX_TOKEN: demo().owner.serverToken })).code).toBe(0);
    const result = await runCli(['logout'], { home, env: { REELTERM_PLEX_TV_URL: demo().plexTvUrl } });
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: `Signed out of ${demo().url}.\n` });
    expect(result.stderr).toContain('Plex has no way for an app to revoke its token');
    expect(result.stderr).toContain('Authorized Devices');
    const after = await saved(home);
    expect(after.token).toBeUndefined();
    expect(after).toMatchObject({ kind: 'plex', server: demo().url });
  }, 60_000);
});
