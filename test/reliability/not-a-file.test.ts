import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, readdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// An independent review's attacks on reading what is not a file where reelterm keeps one
// (src/files.ts and its callers), through the built `reelterm`; each failed on the first version
// of that code. A link at the queue to a folder, a pipe or a device elsewhere was renamed
// (reelterm's "keep it aside") and replaced by a queue file; `credentials.json` linked to a
// folder had the folder chmod-ed 0600; a socket failed every start with ENXIO; a loop of links or
// a 3 GiB file broke `--pending`'s promise (exit 1, JSON with --json).

const posix = process.platform !== 'win32';
const root = process.getuid?.() === 0;

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', ['-m', '600', path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path}: ${made.stderr.toString()}`);
}

/** A unix socket bound at `path`, kept listening until the test ends. */
async function socketAt(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
  return server;
}

describe.skipIf(!posix)('something that is not a file, reached through a symlink', () => {
  it('a start never renames a folder the queue link points to (outside reelterm) nor puts a queue file in its place', async () => {
    const home = await tempDir();
    const documents = join(home, 'documents');
    await mkdir(documents);
    await writeFile(join(documents, 'thesis.txt'), 'years of work');
    await mkdir(join(home, 'data', 'demo'), { recursive: true });
    await symlink(documents, join(home, 'data', 'demo', 'queue.json'));
    const result = await runCli(['sync', '--demo'], { home, timeoutMs: 20_000 });
    expect(result.code).not.toBeNull();
    // Today: "It was kept as <home>/documents.corrupt-<time>", and <home>/documents is a queue file.
    expect(lstatSync(documents).isDirectory()).toBe(true);
    expect(readFileSync(join(documents, 'thesis.txt'), 'utf8')).toBe('years of work');
    expect((await readdir(home)).filter((name) => name.startsWith('documents.corrupt-'))).toEqual([]);
  });

  it('a start never renames a named pipe the queue link points to, outside reelterm', async () => {
    const home = await tempDir();
    const elsewhere = join(home, 'elsewhere');
    await mkdir(elsewhere);
    mkfifo(join(elsewhere, 'pipe'));
    await mkdir(join(home, 'data', 'demo'), { recursive: true });
    await symlink(join(elsewhere, 'pipe'), join(home, 'data', 'demo', 'queue.json'));
    const result = await runCli(['sync', '--demo'], { home, timeoutMs: 20_000 });
    expect(result.code).not.toBeNull();
    expect(lstatSync(join(elsewhere, 'pipe')).isFIFO()).toBe(true);
    expect(await readdir(elsewhere)).toEqual(['pipe']);
  });

  it.skipIf(!root)('a start never renames a device node the queue link points to (as /dev/zero would be, run as root)', async (context) => {
    const home = await tempDir();
    const devices = join(home, 'devices');
    await mkdir(devices);
    const zero = join(devices, 'zero');
    // (a copy of /dev/zero: the real one would be renamed by this test; a container may forbid mknod)
    if (spawnSync('mknod', [zero, 'c', '1', '5']).status !== 0) context.skip('mknod is not allowed here');
    await mkdir(join(home, 'data', 'demo'), { recursive: true });
    await symlink(zero, join(home, 'data', 'demo', 'queue.json'));
    const result = await runCli(['sync', '--demo'], { home, timeoutMs: 20_000 });
    expect(result.code).not.toBeNull();
    expect(lstatSync(zero).isCharacterDevice()).toBe(true);
    expect(await readdir(devices)).toEqual(['zero']);
  });

  it('credentials.json linked to a folder: the folder keeps its mode (it is not "made private" through the link)', async () => {
    const home = await tempDir();
    const folder = join(home, 'shared');
    await mkdir(folder, { mode: 0o755 });
    await mkdir(join(home, 'config'), { recursive: true });
    await symlink(folder, join(home, 'config', 'credentials.json'));
    const before = statSync(folder).mode & 0o777;
    const result = await runCli(['logout'], { home, timeoutMs: 20_000 });
    expect(result.code).not.toBeNull();
    // Today: chmod 0600 through the link (the folder can no longer be entered), and
    // "credentials.json was readable by other users; it is now private (0600)".
    expect(statSync(folder).mode & 0o777).toBe(before);
    expect(result.stderr).not.toContain('it is now private');
  });
});

describe.skipIf(!posix)('a socket where the queue belongs', () => {
  it('`--pending` says it is a socket and exits 1, as text and as JSON', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data'), { recursive: true });
    const queue = join(home, 'data', 'queue.json');
    const server = await socketAt(queue);
    try {
      const plain = await runCli(['--pending'], { home, timeoutMs: 15_000 });
      // Today: exit 2, "reelterm: ENXIO: no such device or address, open '…/queue.json'".
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain(`The sync queue ${queue} cannot be read: it is a socket, not a file`);
      const json = await runCli(['--pending', '--json'], { home, timeoutMs: 15_000 });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ file: queue, error: expect.stringContaining('it is a socket, not a file') });
    } finally {
      server.close();
    }
  });

  it('a start moves it aside as it does a named pipe, instead of failing at every start with ENXIO', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data', 'demo'), { recursive: true });
    const server = await socketAt(join(home, 'data', 'demo', 'queue.json'));
    try {
      const result = await runCli(['sync', '--demo'], { home, timeoutMs: 20_000 });
      expect(result.stderr).not.toContain('ENXIO');
      expect(result).toMatchObject({ code: 0, stdout: 'Nothing pending.\n' });
      expect(result.stderr).toMatch(/The sync queue could not be read \(it is a socket, not a file\)/);
    } finally {
      server.close();
    }
  });
});

describe.skipIf(!posix)('`--pending` on a queue it cannot read keeps its promise (exit 1, JSON with --json)', () => {
  it('a symlink loop at the queue', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data'), { recursive: true });
    const queue = join(home, 'data', 'queue.json');
    await symlink('queue.json', queue);
    const json = await runCli(['--pending', '--json'], { home, timeoutMs: 15_000 });
    // Today: exit 2, nothing on stdout, "reelterm: ELOOP: too many symbolic links encountered".
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ file: queue, error: expect.any(String) });
  });

  it('a 3 GiB (sparse) queue file: a clear message, not Node\'s "out of range" from an int32 overflow', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data'), { recursive: true });
    const queue = join(home, 'data', 'queue.json');
    const handle = await open(queue, 'w', 0o600);
    await handle.truncate(3 * 1024 ** 3);
    await handle.close();
    const result = await runCli(['--pending'], { home, timeoutMs: 20_000 });
    // Today: exit 2, 'reelterm: The value of "length" is out of range. It must be >= 0. Received -1073741824'.
    expect(result.stderr).not.toMatch(/out of range/);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The sync queue ${queue} cannot be read`);
  });
});

describe.skipIf(!posix)('a file where reelterm keeps a folder', () => {
  it('says which path is in the way and what to do, not "EEXIST: file already exists, mkdir"', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'config'), 'not a folder');
    const result = await runCli(['sync', '--demo'], { home, timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`reelterm: ${join(home, 'config')} cannot be used: reelterm keeps a folder there (or on its way), and something that is not a folder is in the way. Move it away and run reelterm again.\n`);
    expect(readFileSync(join(home, 'config'), 'utf8')).toBe('not a folder');
  });
});
