import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }] });

/** Starts `reelterm login --quick-connect` and collects what it says as it goes. */
function startQuickConnect(home: string, args: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'login', '--quick-connect', '--server', server().url, ...args], {
    env: { ...process.env, NO_COLOR: '1', REELTERM_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output, exited };
}

describe('reelterm login --quick-connect', () => {
  it('shows a code, waits for approval from another app, then stores the sign-in privately', async () => {
    // Given the command is waiting with its code on screen
    const home = await tempDir();
    const run = startQuickConnect(home);
    const code = await eventually(() => {
      const found = /Quick Connect code: (\d{6})/.exec(run.output.stderr)?.[1];
      expect(found).toBeDefined();
      return found!;
    }, 10_000);
    expect(run.output.stderr).toContain('Settings → Quick Connect');

    // When ann approves the code in another app
    expect(server().approveQuickConnect(code, 'ann')).toBe(true);

    // Then it signs in as ann, and the token is in the 0600 file only
    expect(await run.exited).toBe(0);
    expect(run.output.stdout).toBe(`Signed in to ${server().url} as ann.\n`);
    const file = join(home, 'config', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ userName: 'ann', token: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const log = await readFile(join(home, 'state', 'reelterm.log'), 'utf8');
    expect(log).not.toContain(saved.token);
    // and the token works
    const me = await fetch(`${server().url}/Users/Me`, { headers: { authorization: `MediaBrowser Token="${saved.token}"` } });
    expect(me.status).toBe(200);
  });

  it('gives up after --timeout with a clear message when nobody approves, storing nothing', async () => {
    const home = await tempDir();
    const result = await runCli(['login', '--quick-connect', '--server', server().url, '--timeout', '1'], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Quick Connect code: \d{6}/);
    expect(result.stderr).toMatch(/Code \d{6} was not approved within 1 s\. Run it again for a new code\./);
    await expect(stat(join(home, 'config', 'credentials.json'))).rejects.toThrow();
  });

  it('says so when the server has Quick Connect turned off', async () => {
    const off = await startDemoServer({ adminPort: false, quickConnect: false });
    try {
      const home = await tempDir();
      const result = await runCli(['login', '--quick-connect', '--server', off.url], { home });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Quick Connect is turned off on this server');
    } finally {
      await off.close();
    }
  });
});
