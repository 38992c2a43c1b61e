import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';
import type { Deliver } from '../../src/sync/deliver.js';
import type { OpInput } from '../../src/sync/op.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { freePort } from '../helpers/terminal.js';
import { eventually } from '../helpers/wait.js';

// Issue 14 ("The first hour as a new user"), items 5, 7, 9 and 13: what demo mode tells the user
// to run must work on the demo's queue, and the demo server can run, and fail, in plain words.

const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
const gone = () => Promise.reject(new ApiError('The item is gone (404)', { kind: 'permanent', status: 404 }));

/** The demo user and a film of the demo library, as every demo server generates them. */
async function demoFilm() {
  const server = await startDemoServer({ adminPort: false });
  try {
    const film = server.library.first('Movie');
    return { film, account: { server: 'the demo server', userId: server.users[0]!.id, userName: 'demo' } };
  } finally {
    await server.close();
  }
}

/** Leaves updates in the demo's queue as a `reelterm --demo` whose server went away would have. */
async function leaveInDemoQueue(home: string, updates: (film: { id: string; name: string }) => OpInput[], deliver: Deliver = { send: refused, probe: refused }) {
  const { film, account } = await demoFilm();
  const dir = join(home, 'data', 'demo');
  await mkdir(dir, { recursive: true });
  const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver, account });
  for (const update of updates(film)) await outbox.enqueue(update);
  // Until the engine has tried: offline (kept) or, with `deliver`, failed for good.
  await eventually(() => expect(outbox.status().state === 'offline' || outbox.deadLetters().length > 0).toBe(true));
  await outbox.close();
}

describe('demo mode names the demo form of every command', () => {
  it('sync --demo delivers the demo queue to a demo server, and --pending --demo then shows nothing', async () => {
    // Given a demo run left one update queued
    const home = await tempDir();
    await leaveInDemoQueue(home, (f) => [{ itemId: f.id, kind: 'played', title: f.name }]);
    expect((await runCli(['--pending', '--demo'], { home })).stdout).toMatch(/^1 pending update for demo on the demo server:/);
    // When the user runs what the demo told them to
    const synced = await runCli(['sync', '--demo'], { home, timeoutMs: 60_000 });
    // Then the demo's update is delivered, and the real queue was never touched
    expect(synced, synced.stderr).toMatchObject({ code: 0, stdout: 'Synced 1 update to a demo server started for this sync.\n' });
    expect((await runCli(['--pending', '--demo'], { home })).stdout).toBe('Nothing pending.\n');
    expect(JSON.parse(await readFile(join(home, 'data', 'demo', 'queue.json'), 'utf8')).ops).toEqual([]);
  }, 90_000);

  it('--pending --demo and sync --demo point at the demo commands for failed updates', async () => {
    const home = await tempDir();
    await leaveInDemoQueue(home, (f) => [{ itemId: f.id, kind: 'played', title: f.name }], { send: gone, probe: () => Promise.resolve() });
    const pending = await runCli(['--pending', '--demo'], { home });
    expect(pending.stdout).toContain('1 failed for demo on the demo server (not retried by itself; retry it with `reelterm sync --retry-failed --demo`, or review it with S in `reelterm --demo`):');
    const sync = await runCli(['sync', '--demo'], { home, timeoutMs: 60_000 });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain('Retry it with `reelterm sync --retry-failed --demo` (`reelterm --pending --demo` lists it).');
  }, 90_000);

  it('refuses login --demo and logout --demo with the reason, exit 2', async () => {
    const home = await tempDir();
    const login = await runCli(['login', '--demo'], { home });
    expect(login).toMatchObject({ code: 2, stdout: '' });
    expect(login.stderr).toBe('reelterm: the demo signs in by itself (`reelterm --demo`). To try `reelterm login`, run `reelterm demo-server` and sign in to the address it prints.\n');
    expect(await runCli(['logout', '--demo'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('nothing to sign out of') });
  });
});

describe('the demo server in plain words', () => {
  it('says REELTERM_DEMO_PORT must be a port, not "NaN"', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo'], { home, env: { REELTERM_DEMO_PORT: 'abc' } });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('reelterm: REELTERM_DEMO_PORT must be a port number from 1 to 65535 (or 0 for a free one), not "abc".\n');
  });

  it('says a port is in use and how to choose another, with Node\'s detail in the log', async () => {
    // Given something already listens on the port
    const home = await tempDir();
    const taken = await startDemoServer({ adminPort: false });
    onTestFinished(() => taken.close());
    // When the demo server is asked for it, on its own and inside reelterm --demo
    const alone = await runCli(['demo-server', '--port', String(taken.port)], { home });
    const embedded = await runCli(['--demo'], { home, env: { REELTERM_DEMO_PORT: String(taken.port) } });
    // Then each says so in a sentence, and the log keeps what Node said
    expect(alone).toMatchObject({ code: 2, stderr: `reelterm: Port ${taken.port} is already in use: choose another with --port.\n` });
    expect(embedded).toMatchObject({ code: 2, stderr: `reelterm: Port ${taken.port} is already in use: choose another with REELTERM_DEMO_PORT (or leave it unset for a free port).\n` });
    expect(await readFile(join(home, 'state', 'reelterm.log'), 'utf8')).toContain('EADDRINUSE');
  });
});

describe('reelterm demo-server', () => {
  it('serves until Ctrl+C, with the address, account and switches on one port; login works against it', async () => {
    // Given `reelterm demo-server` on a free port
    const home = await tempDir();
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'demo-server', '--port', String(port), '--version', '12.0'], { env: { ...process.env, REELTERM_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually(() => expect(stdout).toContain('Ctrl+C stops it'), 20_000);
    // Then it says where it listens, who to sign in as, and where the switches are
    const url = `http://127.0.0.1:${port}`;
    expect(stdout).toBe(
      `Demo server: ${url}, Jellyfin 12.0.0 rules (user "demo", password "demo")\n` +
        `Fault switches: curl -d '{"fault":"offline","forMs":30000}' ${url}/__demo/faults   (30 s offline; {"fault":"clear"} ends any fault)\n` +
        `Another device: curl -d '{"action":"markPlayed","item":"<item name>"}' ${url}/__demo/device\n` +
        `Sign in to it: reelterm login --server ${url} --user demo   (password "demo")\n` +
        'Ctrl+C stops it; it keeps nothing it was sent.\n',
    );
    // And `reelterm login` signs in to it
    const login = await runCli(['login', '--server', url, '--user', 'demo'], { home, env: { REELTERM_PASSWORD: 'demo' }, timeoutMs: 60_000 });
    expect(login.code, login.stderr).toBe(0);
    // And the switches answer on the printed address
    const switched = await fetch(`${url}/__demo/faults`, { method: 'POST', body: '{"fault":"status","code":503,"includePing":true}' });
    expect(switched.status).toBe(200);
    expect((await fetch(`${url}/System/Ping`)).status).toBe(503);
    // When the user presses Ctrl+C
    child.kill('SIGINT');
    // Then it stops, as reelterm does on Ctrl+C
    expect(await exited).toBe(130);
    await expect(fetch(`${url}/System/Ping`)).rejects.toThrow();
  }, 90_000);

  it('refuses a port that is not a number', async () => {
    const home = await tempDir();
    expect(await runCli(['demo-server', '--port', 'eighty'], { home })).toMatchObject({
      code: 2,
      stderr: 'reelterm: --port must be a port number from 1 to 65535 (or 0 for a free one), not "eighty".\n',
    });
  });
});
