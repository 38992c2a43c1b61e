import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// Something that is not a file where reelterm keeps one (a named pipe, a folder), through the
// built `reelterm`. A plain read of a named pipe waits until something writes into it: before,
// `reelterm --pending` (a status bar runs it) and every start hung there for good, and SIGTERM
// could not end them (reelterm's own handler never got to run). Now: a clear message at once,
// and nothing deleted.
const server = useDemoServer({ users: [{ name: 'ann', password: 'pw' }] });

const pipes = process.platform !== 'win32' && spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', ['-m', '600', path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path}: ${made.stderr.toString()}`);
}

async function signedInHome(): Promise<string> {
  const home = await tempDir();
  const login = await runCli(['login', '--server', server().url, '--user', 'ann'], { home, env: { REELTERM_PASSWORD: 'pw' } });
  expect(login.code).toBe(0);
  return home;
}

describe.skipIf(!pipes)('a named pipe where reelterm keeps a file', () => {
  it('`--pending` says the queue is a named pipe and exits 1 at once, as text and as JSON, and leaves it there', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data'), { recursive: true, mode: 0o700 });
    const queue = join(home, 'data', 'queue.json');
    mkfifo(queue);
    const plain = await runCli(['--pending'], { home, timeoutMs: 15_000 });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(`The sync queue ${queue} cannot be read: it is a named pipe, not a file. Nothing was changed`);
    const json = await runCli(['--pending', '--json'], { home, timeoutMs: 15_000 });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ file: queue, error: expect.stringContaining('it is a named pipe, not a file') });
    expect(lstatSync(queue).isFIFO()).toBe(true);
  });

  it('`--pending` names a folder where the queue belongs', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data', 'queue.json'), { recursive: true });
    const result = await runCli(['--pending'], { home, timeoutMs: 15_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/queue\.json cannot be read: it is a folder, not a file/);
  });

  it('`sync` moves pipes at the queue, its lock and the settings aside, says so, and delivers what is queued after', async () => {
    const home = await signedInHome();
    await mkdir(join(home, 'data'), { recursive: true, mode: 0o700 });
    mkfifo(join(home, 'data', 'queue.json'));
    mkfifo(join(home, 'data', 'queue.lock'));
    // (login wrote the settings, with the device id: a pipe takes their place)
    await rm(join(home, 'config', 'config.json'));
    mkfifo(join(home, 'config', 'config.json'));
    const result = await runCli(['sync', '--timeout', '5'], { home, timeoutMs: 20_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/config\.json could not be read \(it is a named pipe, not a file\)\. It was kept as .*config\.json\.corrupt-/);
    expect(result.stderr).toMatch(/The sync queue could not be read \(it is a named pipe, not a file\)\. It was kept as .*queue\.json\.corrupt-.*; starting with an empty queue\./);
    const data = await readdir(join(home, 'data'));
    expect(data.filter((name) => name.startsWith('queue.json.corrupt-'))).toHaveLength(1);
    // (the pipe at the lock was taken for a lock nobody holds: moved aside and gone, the lock released)
    expect(data).not.toContain('queue.lock');
    expect((await readdir(join(home, 'config'))).some((name) => name.startsWith('config.json.corrupt-'))).toBe(true);
    // The sign-in survived, and the queue works again: a fresh file, listed as empty.
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ userName: 'ann' });
    const pending = await runCli(['--pending'], { home, timeoutMs: 15_000 });
    expect(pending).toMatchObject({ code: 0, stdout: 'Nothing pending.\n' });
  });

  it('a named pipe at the log file: commands still end (the log is skipped), and the pipe stays', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'state'), { recursive: true, mode: 0o700 });
    const logFile = join(home, 'state', 'reelterm.log');
    mkfifo(logFile);
    // (every command's exit waits for its log to be written out: before, this one never ended)
    const result = await runCli(['sync', '--demo', '--debug'], { home, timeoutMs: 15_000 });
    expect(result).toMatchObject({ code: 0, stdout: 'Nothing pending.\n' });
    expect(lstatSync(logFile).isFIFO()).toBe(true);
  });
});
