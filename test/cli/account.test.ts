import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/sync/index.js';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { demoClient, useDemoServer } from '../helpers/demo-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually, within } from '../helpers/wait.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }, { name: 'bob', password: 'hunter2' }] });

async function login(home: string, user = 'ann', password = 'correct horse') {
  return runCli(['login', '--server', server().url, '--user', user], { home, env: { REELTERM_PASSWORD: password } });
}

async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

/** Queues updates as a reelterm that could not reach the server would have left them. */
async function leaveQueued(home: string, updates: Array<{ itemId: string; kind: 'played' | 'unplayed' }>) {
  const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
  const { outbox } = await openOutbox({ queueFile: join(home, 'data', 'queue.json'), lockFile: join(home, 'data', 'queue.lock'), deliver: { send: refused, probe: refused } });
  for (const update of updates) await outbox.enqueue(update);
  await outbox.close();
}

describe('reelterm login', () => {
  it('signs in, keeps the token in a private file, and never logs the token or password', async () => {
    const home = await tempDir();
    const result = await login(home);
    expect(result).toMatchObject({ code: 0, stdout: `Signed in to ${server().url} as ann.\n` });
    const file = join(home, 'config', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ server: server().url, userName: 'ann', token: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const logText = await readText(join(home, 'state', 'reelterm.log'));
    expect(logText).toContain('signed in');
    expect(logText).not.toContain(saved.token);
    expect(logText).not.toContain('correct horse');
  });

  it('keeps the server\'s own id with the sign-in, and stamps queued updates with it and the kind of server', async () => {
    const home = await tempDir();
    await login(home);
    const { Id } = (await (await fetch(`${server().url}/System/Info/Public`)).json()) as { Id: string };
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ serverId: Id });
    // Given an update left in the queue by a reelterm from before accounts were kept, and the server away
    await leaveQueued(home, [{ itemId: server().library.first('Movie').id, kind: 'played' }]);
    await server().faults.offline();
    try {
      // When reelterm sync takes the queue
      await runCli(['sync', '--timeout', '1'], { home });
    } finally {
      await server().faults.online();
    }
    // Then the update is the signed-in account's: the kind of server, the server's id and the user
    const queue = JSON.parse(await readFile(join(home, 'data', 'queue.json'), 'utf8')) as { ops: Array<{ account?: object }> };
    expect(queue.ops[0]?.account).toMatchObject({ kind: 'jellyfin', serverId: Id, userName: 'ann' });
  });

  it('says "Wrong user name or password" and stores nothing for a bad password', async () => {
    const home = await tempDir();
    const result = await login(home, 'ann', 'wrong');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Wrong user name or password');
    expect(await readText(join(home, 'config', 'credentials.json'))).not.toContain('token');
  });

  it('explains what to pass when there is no terminal to ask on', async () => {
    const home = await tempDir();
    const result = await runCli(['login'], { home });
    expect(result).toMatchObject({ code: 1, stderr: 'No terminal to ask on: pass --server and --user, and set REELTERM_PASSWORD.\n' });
  });

  it('says what is wrong with a server that answers HTML', async () => {
    const home = await tempDir();
    server().faults.malformed(1, 'html');
    const result = await login(home);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Sign-in failed: .*(HTML|not a Jellyfin)/i);
  });

  it('syncs the previous account\'s updates before switching to another account', async () => {
    // Given ann signed in and left an update queued
    const home = await tempDir();
    await login(home);
    const film = server().library.first('Movie', (m) => server().userData('ann', m.id).Played !== true);
    await leaveQueued(home, [{ itemId: film.id, kind: 'played' }]);
    // When bob signs in on the same installation
    const result = await login(home, 'bob', 'hunter2');
    // Then ann's update landed on ann's account first, and bob is signed in
    expect(result).toMatchObject({ code: 0, stdout: `Signed in to ${server().url} as bob.\n` });
    expect(server().userData('ann', film.id)).toMatchObject({ Played: true });
    expect(server().userData('bob', film.id)).toMatchObject({ Played: false });
  });

  it('switches accounts even when the previous account\'s updates cannot land, keeping them for that account', async () => {
    // Given ann signed in and left an update queued, and the server refuses ann's token
    const home = await tempDir();
    await login(home);
    const film = server().library.first('Movie', (m) => server().userData('ann', m.id).Played !== true && server().userData('bob', m.id).Played !== true);
    await leaveQueued(home, [{ itemId: film.id, kind: 'played' }]);
    server().faults.expireTokens();
    // When bob signs in on the same installation
    const result = await login(home, 'bob', 'hunter2');
    // Then bob is signed in, and ann's update stays queued for ann (not delivered to bob)
    expect(result).toMatchObject({ code: 0, stdout: `Signed in to ${server().url} as bob.\n1 update of ann on ${server().url} is kept in the queue: it syncs when ann signs in again.\n` });
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ userName: 'bob' });
    expect((await runCli(['sync'], { home })).code).toBe(0);
    expect(server().userData('bob', film.id)).toMatchObject({ Played: false });
    expect(JSON.parse(await readFile(join(home, 'data', 'queue.json'), 'utf8')).ops).toEqual([expect.objectContaining({ itemId: film.id, account: expect.objectContaining({ userName: 'ann' }) })]);
  });

  it('refuses to switch while updates whose account was never recorded wait and nobody can claim them', async () => {
    // Given a queue from before accounts were recorded, and ann (its last user) signed out
    const home = await tempDir();
    await login(home);
    const film = server().library.first('Movie');
    await leaveQueued(home, [{ itemId: film.id, kind: 'played' }]);
    const credentials = join(home, 'config', 'credentials.json');
    const { server: url, userName } = JSON.parse(await readFile(credentials, 'utf8'));
    await writeFile(credentials, JSON.stringify({ server: url, userName }));
    // When bob signs in
    const result = await login(home, 'bob', 'hunter2');
    // Then it is refused: nothing says whose the update is, and it must not land on bob's account
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('1 update of ann');
    expect(JSON.parse(await readFile(credentials, 'utf8'))).toEqual({ server: url, userName: 'ann' });
  });
});

describe('reelterm sync', () => {
  it('delivers what an earlier run left queued and exits 0', async () => {
    const home = await tempDir();
    await login(home);
    const film = server().library.first('Movie', (m) => server().userData('ann', m.id).Played !== true);
    await leaveQueued(home, [{ itemId: film.id, kind: 'played' }]);
    const result = await runCli(['sync'], { home });
    expect(result).toMatchObject({ code: 0, stdout: `Synced 1 update to ${server().url}.\n` });
    expect(server().userData('ann', film.id)).toMatchObject({ Played: true });
    expect((await runCli(['--pending'], { home })).stdout).toBe('Nothing pending.\n');
  });

  it('exits 1 with the reason and keeps the queue while the server is down', async () => {
    const home = await tempDir();
    await login(home);
    await leaveQueued(home, [{ itemId: server().library.first('Movie').id, kind: 'played' }]);
    await server().faults.offline();
    const result = await runCli(['sync', '--timeout', '5'], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^1 update still queued \(Cannot reach .*\)\.\n$/);
    expect((await runCli(['--pending'], { home })).stdout).toContain('1 pending update');
  });

  it('says to sign in, and keeps the queue, when nobody is signed in', async () => {
    const home = await tempDir();
    await leaveQueued(home, [{ itemId: 'x', kind: 'played' }]);
    const result = await runCli(['sync'], { home });
    expect(result).toMatchObject({ code: 1, stderr: 'Not signed in: run `reelterm login` (or `reelterm login --plex`); 1 queued update is kept.\n' });
  });
});

describe('reelterm logout', () => {
  it('revokes the token on the server and forgets it', async () => {
    const home = await tempDir();
    await login(home);
    const { token, userId } = JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'));
    const result = await runCli(['logout'], { home });
    expect(result).toMatchObject({ code: 0, stdout: `Signed out of ${server().url}.\n` });
    const saved = JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'));
    expect(saved).toEqual({ kind: 'jellyfin', server: server().url, userName: 'ann' });
    await expect(demoClient(server(), { token, userId }).me()).rejects.toMatchObject({ kind: 'auth' });
  });
});

describe('Ctrl+C during a sync', () => {
  it('aborts the request, keeps the update queued, and exits within about a second', async () => {
    // Given a queued update and a server that accepts the connection but never answers
    const home = await tempDir();
    await login(home);
    await leaveQueued(home, [{ itemId: server().library.first('Movie').id, kind: 'played' }]);
    server().faults.stall();
    const child = spawn(process.execPath, [BIN, 'sync', '--timeout', '60'], { env: { ...process.env, REELTERM_HOME: home }, stdio: 'ignore' });
    await eventually(() => expect(server().journal.some((entry) => entry.path.startsWith('/UserPlayedItems/'))).toBe(true));
    // When the user presses Ctrl+C
    child.kill('SIGINT');
    // Then it exits with 130 (its shutdown is bounded at 1.5 s; 20 s is far below the 60 s sync it would otherwise wait out),
    const code = await within(new Promise<number | null>((resolve) => child.once('exit', resolve)), 20_000, 'reelterm sync to exit on Ctrl+C');
    expect(code).toBe(130);
    // and the update is still queued
    await server().faults.clear();
    expect((await runCli(['--pending'], { home })).stdout).toContain('1 pending update');
  });
});
