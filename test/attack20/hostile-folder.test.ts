import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox, QueueWriteError } from '../../src/sync/index.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { tempDir } from '../helpers/temp-home.js';

// The data folder as a hostile machine leaves it mid-session: removed, a file in its place,
// turned read-only, filled up. Real conditions only (root is not stopped by chmod, so the
// read-only and full cases use a small tmpfs, and are skipped where none can be mounted).
const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
const unreachable = { send: refused, probe: refused };

async function itemsIn(file: string): Promise<string[] | string> {
  const read = await readQueueFile(file);
  return read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : read.status;
}

/** A data folder of its own in a temp dir, and an outbox on its queue. */
async function outboxInFreshFolder() {
  const data = join(await tempDir(), 'data');
  await mkdir(data);
  const queueFile = join(data, 'queue.json');
  const { outbox } = await openOutbox({ queueFile, lockFile: join(data, 'queue.lock'), deliver: unreachable });
  return { data, queueFile, outbox };
}

const temps = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));

let disk: string | undefined;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'reelterm-attack20-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' }).status === 0) disk = dir;
  else console.warn('tmpfs cases skipped: cannot mount a small tmpfs here');
});
afterAll(() => {
  if (disk) spawnSync('umount', [disk], { stdio: 'ignore' });
  if (disk) rmSync(disk, { recursive: true, force: true });
});

describe('the data folder under attack', () => {
  it('removed while reelterm runs: the next stop makes it again, and the file holds every update', async () => {
    const { data, queueFile, outbox } = await outboxInFreshFolder();
    try {
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
      await rm(data, { recursive: true });
      await outbox.enqueue({ itemId: 'b', kind: 'stopped', payload: { positionTicks: 2 } });
      expect(await itemsIn(queueFile)).toEqual(['a', 'b']);
      expect((await stat(data)).mode & 0o777).toBe(0o700);
    } finally {
      await outbox.close();
    }
    expect(await itemsIn(queueFile)).toEqual(['a', 'b']);
  });

  it('a file where the folder was: the stop is refused, kept in memory, and written whole when the folder is back', async () => {
    const { data, queueFile, outbox } = await outboxInFreshFolder();
    try {
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
      await rm(data, { recursive: true });
      await writeFile(data, 'not a folder');
      // Three stops in one turn of the event loop, the disk refusing each
      const failures = await Promise.all(
        ['b', 'c', 'd'].map((itemId, at) => outbox.enqueue({ itemId, kind: 'stopped', payload: { positionTicks: at } }).catch((error: unknown) => error)),
      );
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(QueueWriteError);
        expect((failure as Error).message).toMatch(/ENOTDIR/);
      }
      expect(outbox.pendingOps().map((op) => op.itemId)).toEqual(['a', 'b', 'c', 'd']);
      await rm(data);
    } finally {
      await outbox.close();
    }
    expect(await itemsIn(queueFile)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('turned read-only mid-session: the old file stays whole, and the stop lands once it is writable again', async (context) => {
    if (!disk) return context.skip();
    const data = join(disk, 'ro');
    mkdirSync(data, { recursive: true });
    const queueFile = join(data, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(data, 'queue.lock'), deliver: unreachable });
    try {
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', title: 'Före', payload: { positionTicks: 1 } });
      const before = await readFile(queueFile, 'utf8');
      expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
      const failure = await outbox.enqueue({ itemId: 'b', kind: 'stopped', title: 'Under', payload: { positionTicks: 2 } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QueueWriteError);
      expect((failure as Error).message).toMatch(/EROFS/);
      expect(await readFile(queueFile, 'utf8')).toBe(before);
      expect(spawnSync('mount', ['-o', 'remount,rw', disk]).status).toBe(0);
      await outbox.close();
      expect(await itemsIn(queueFile)).toEqual(['a', 'b']);
      expect(await temps(data)).toEqual([]);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', disk], { stdio: 'ignore' });
      await outbox.close();
      rmSync(data, { recursive: true, force: true });
    }
  });

  for (const size of ['small', 'large'] as const) {
    it(`filled up half-way through a ${size} write: the old file stays whole, no temp file is left, the update lands later`, async (context) => {
      if (!disk) return context.skip();
      const data = join(disk, `full-${size}`);
      mkdirSync(data, { recursive: true });
      const queueFile = join(data, 'queue.json');
      const filler = join(disk, 'filler');
      const { outbox } = await openOutbox({ queueFile, lockFile: join(data, 'queue.lock'), deliver: unreachable });
      try {
        // A queue of about 60 KB, or of about 300 K chars (past the small write's limit), of non-ASCII titles
        const title = size === 'small' ? 'Ünïcode ✓ 映画 '.repeat(20) : '映画のタイトル🎬'.repeat(300);
        for (let at = 0; at < 100; at++) void outbox.enqueue({ itemId: `i${at}`, kind: 'played', title }).catch(() => undefined);
        await outbox.enqueue({ itemId: 'a', kind: 'stopped', title, payload: { positionTicks: 1 } });
        const before = await readFile(queueFile, 'utf8');
        expect(before.length > 256 * 1024).toBe(size === 'large');
        // The disk fills up, leaving room for a little of the next write only
        const free = Number(spawnSync('df', ['-B1', '--output=avail', disk], { encoding: 'utf8' }).stdout.trim().split('\n').at(-1));
        await writeFile(filler, Buffer.alloc(Math.max(0, free - 16 * 1024))).catch(() => undefined);
        const failure = await outbox.enqueue({ itemId: 'b', kind: 'stopped', title, payload: { positionTicks: 2 } }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(QueueWriteError);
        expect((failure as Error).message).toMatch(/ENOSPC/);
        expect(await readFile(queueFile, 'utf8')).toBe(before);
        expect(await temps(data)).toEqual([]);
        rmSync(filler, { force: true });
        await outbox.close();
        const items = await itemsIn(queueFile);
        expect(Array.isArray(items) ? items.slice(-2) : items).toEqual(['a', 'b']);
        expect(items).toHaveLength(102);
      } finally {
        rmSync(filler, { force: true });
        await outbox.close();
        rmSync(data, { recursive: true, force: true });
      }
    });
  }
});
