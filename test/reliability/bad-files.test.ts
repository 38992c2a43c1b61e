import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// Bad files as a user meets them, through the built `reelterm`: a clear message, and nothing deleted.
const server = useDemoServer({ users: [{ name: 'ann', password: 'pw' }] });

async function signedInHome(): Promise<string> {
  const home = await tempDir();
  const login = await runCli(['login', '--server', server().url, '--user', 'ann'], { home, env: { REELTERM_PASSWORD: 'pw' } });
  expect(login.code).toBe(0);
  return home;
}

describe('bad files', () => {
  it('a corrupt queue is kept aside, the user is told, and sync goes on with an empty queue', async () => {
    const home = await signedInHome();
    await mkdir(join(home, 'data'), { recursive: true });
    await writeFile(join(home, 'data', 'queue.json'), '{"version":1,"ops":[{"id":');
    const result = await runCli(['sync', '--timeout', '5'], { home });
    expect(result.stderr).toMatch(/The sync queue could not be read \(not valid JSON.*\)\. It was kept as .*queue\.json\.corrupt-.*; starting with an empty queue\./);
    const kept = (await readdir(join(home, 'data'))).find((name) => name.startsWith('queue.json.corrupt-'))!;
    expect(await readFile(join(home, 'data', kept), 'utf8')).toBe('{"version":1,"ops":[{"id":');
    expect(result.code).toBe(0);
  });

  it('a queue from a newer reelterm is left untouched, and sync says why it stops', async () => {
    const home = await signedInHome();
    await mkdir(join(home, 'data'), { recursive: true });
    const future = JSON.stringify({ version: 99, seq: 1, ops: [{ id: 'x' }], deadLetters: [] });
    await writeFile(join(home, 'data', 'queue.json'), future);
    const result = await runCli(['sync'], { home });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/written by a newer reelterm \(format 99\)/);
    expect(await readFile(join(home, 'data', 'queue.json'), 'utf8')).toBe(future);
    const pending = await runCli(['--pending'], { home });
    expect(pending.code).toBe(1);
    expect(pending.stderr).toMatch(/newer reelterm/);
  });

  it('a corrupt settings file is kept aside and named; the sign-in survives', async () => {
    const home = await signedInHome();
    await writeFile(join(home, 'config', 'config.json'), '{ not json');
    const result = await runCli(['sync', '--timeout', '5'], { home });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/config\.json could not be read.*kept as .*config\.json\.corrupt-/s);
    expect((await readdir(join(home, 'config'))).some((name) => name.startsWith('config.json.corrupt-'))).toBe(true);
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ userName: 'ann' });
  });

  it('an invalid setting is named by key, its default used, and the file is not rewritten', async () => {
    const home = await signedInHome();
    const text = JSON.stringify({ deviceId: 'abc', skipSegments: 'always', progressIntervalSeconds: 'often' });
    await writeFile(join(home, 'config', 'config.json'), text);
    const result = await runCli(['sync', '--timeout', '5'], { home });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"skipSegments" must be "ask", "auto" or "off"; using "ask".');
    expect(result.stderr).toContain('"progressIntervalSeconds" must be a number of seconds between 1 and 600; using 10.');
    expect(await readFile(join(home, 'config', 'config.json'), 'utf8')).toBe(text);
  });

  it('a read-only data folder: a clear message naming it, the queue untouched, and --pending still reads it', async (context) => {
    const home = await signedInHome();
    const data = join(home, 'data');
    await mkdir(data, { recursive: true });
    // (root ignores permissions, so a read-only mount it is; skipped where mounting is not allowed)
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', data], { stdio: 'ignore' }).status !== 0) return context.skip();
    try {
      // Given an update queued, and then the folder turned read-only
      const queue = JSON.stringify({ version: 1, seq: 1, ops: [{ id: 'op-1', itemId: 'item-1', kind: 'played', payload: {}, createdAt: new Date().toISOString(), attempts: 0, nextAttemptAt: null, lastError: null, seq: 1, title: 'Kept Film' }], deadLetters: [] });
      await writeFile(join(data, 'queue.json'), queue);
      expect(spawnSync('mount', ['-o', 'remount,ro', data]).status).toBe(0);
      const result = await runCli(['sync', '--timeout', '5'], { home });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`Cannot write in ${data} (it is on a read-only file system). reelterm keeps your watch updates there`);
      expect(await readFile(join(data, 'queue.json'), 'utf8')).toBe(queue);
      const pending = await runCli(['--pending'], { home });
      expect(pending.code).toBe(0);
      expect(pending.stdout).toContain('Kept Film');
    } finally {
      spawnSync('umount', [data], { stdio: 'ignore' });
    }
  });
});
