import { lstat, mkdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { AtomicTextFile } from '../../src/sync/atomic-json-file.js';
import { openOutbox, QueueWriteError } from '../../src/sync/index.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { tempDir } from '../helpers/temp-home.js';

// The queue path as a hostile user leaves it: links, chains of links, links that dangle or
// loop, links changed while reelterm runs. Real files and links in a temp folder.
const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
const unreachable = { send: refused, probe: refused };

async function itemsIn(file: string): Promise<string[] | string> {
  const read = await readQueueFile(file);
  return read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : read.status;
}

describe('a symlinked queue path', () => {
  it('writes through a chain of links into another folder, and the links stay links', async () => {
    const dir = await tempDir();
    const elsewhere = join(dir, 'dotfiles', 'reelterm');
    await mkdir(elsewhere, { recursive: true });
    await mkdir(join(dir, 'data'));
    const queueFile = join(dir, 'data', 'queue.json');
    // queue.json -> hop1 -> ../dotfiles/reelterm/hop2 -> queue.real.json
    await symlink('hop1', queueFile);
    await symlink('../dotfiles/reelterm/hop2', join(dir, 'data', 'hop1'));
    await symlink('queue.real.json', join(elsewhere, 'hop2'));
    const real = join(elsewhere, 'queue.real.json');

    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'data', 'queue.lock'), deliver: unreachable });
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', title: 'Ａ', payload: { positionTicks: 1 } });
    await outbox.enqueue({ itemId: 'b', kind: 'played', title: '🎬' });
    await outbox.close();

    expect((await lstat(queueFile)).isSymbolicLink()).toBe(true);
    expect((await lstat(join(dir, 'data', 'hop1'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(elsewhere, 'hop2'))).isSymbolicLink()).toBe(true);
    expect(await itemsIn(real)).toEqual(['a', 'b']);
    expect((await stat(real)).mode & 0o777).toBe(0o600);

    // The next run reads what this one wrote
    const again = await openOutbox({ queueFile, lockFile: join(dir, 'data', 'queue.lock'), deliver: unreachable });
    expect(again.outbox.pendingOps().map((op) => op.itemId)).toEqual(['a', 'b']);
    await again.outbox.close();
  });

  it('creates the folder a dangling link points to, and keeps the link', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    const queueFile = join(dir, 'data', 'queue.json');
    await symlink(join(dir, 'not-yet', 'deeper', 'queue.json'), queueFile);
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'data', 'queue.lock'), deliver: unreachable });
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
    await outbox.close();
    expect(await readlink(queueFile)).toBe(join(dir, 'not-yet', 'deeper', 'queue.json'));
    expect(await itemsIn(join(dir, 'not-yet', 'deeper', 'queue.json'))).toEqual(['a']);
  });

  it('follows the link as it is at each write: one pointed elsewhere mid-session gets the whole queue', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'A'));
    await mkdir(join(dir, 'B'));
    const queueFile = join(dir, 'data', 'queue.json');
    await symlink(join(dir, 'A', 'queue.json'), queueFile);
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'data', 'queue.lock'), deliver: unreachable });
    try {
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
      const inA = await readFile(join(dir, 'A', 'queue.json'), 'utf8');
      // The user's dotfile manager repoints the link, at a copy of the same text (the write must not be skipped
      // for B holding what A holds: it must hold the new stop too)
      await rm(queueFile);
      await writeFile(join(dir, 'B', 'queue.json'), inA, { mode: 0o600 });
      await symlink(join(dir, 'B', 'queue.json'), queueFile);
      await outbox.enqueue({ itemId: 'b', kind: 'stopped', payload: { positionTicks: 2 } });
      expect(await itemsIn(join(dir, 'B', 'queue.json'))).toEqual(['a', 'b']);
      expect(await readFile(join(dir, 'A', 'queue.json'), 'utf8')).toBe(inA);
      // Closing with nothing new leaves B as it is (the same text), still behind the link
      const before = await stat(join(dir, 'B', 'queue.json'));
      await outbox.close();
      expect((await stat(join(dir, 'B', 'queue.json'))).ino).toBe(before.ino);
      expect((await lstat(queueFile)).isSymbolicLink()).toBe(true);
    } finally {
      await outbox.close();
    }
  });

  it('a link that loops refuses the stop with a clear error; the stop is kept and written once the link is mended', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    const queueFile = join(dir, 'data', 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'data', 'queue.lock'), deliver: unreachable });
    try {
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
      await rm(queueFile);
      await symlink('loop2', queueFile);
      await symlink('queue.json', join(dir, 'data', 'loop2'));
      const failure = await outbox.enqueue({ itemId: 'b', kind: 'stopped', payload: { positionTicks: 2 } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QueueWriteError);
      expect((failure as Error).message).toMatch(/ELOOP|Too many levels/);
      // The user mends it: the link now points to a file of its own
      await rm(join(dir, 'data', 'loop2'));
      await rm(queueFile);
      await outbox.close();
      expect(await itemsIn(queueFile)).toEqual(['a', 'b']);
    } finally {
      await outbox.close();
    }
  });

  it('reads back what it wrote when the path goes through a link and then ".."', async () => {
    // The kernel resolves "link/.." to the folder above the link's target, and so does `read`;
    // the write must replace that file, not one named by the path's text ("a/queue.json").
    const dir = await tempDir();
    await mkdir(join(dir, 'a'));
    await mkdir(join(dir, 'other', 'sub'), { recursive: true });
    await symlink('../other/sub', join(dir, 'a', 'link'));
    const queueFile = `${dir}/a/link/../queue.json`;
    const lockFile = join(dir, 'queue.lock');

    // A queue there already (an earlier run, given the plain path): the next run's stop must land in it
    const first = await openOutbox({ queueFile: join(dir, 'other', 'queue.json'), lockFile, deliver: unreachable });
    await first.outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
    await first.outbox.close();
    const second = await openOutbox({ queueFile, lockFile, deliver: unreachable });
    expect(second.outbox.pendingOps().map((op) => op.itemId)).toEqual(['a']);
    await second.outbox.enqueue({ itemId: 'b', kind: 'stopped', payload: { positionTicks: 2 } });
    await second.outbox.close();
    const third = await openOutbox({ queueFile, lockFile, deliver: unreachable });
    expect(third.outbox.pendingOps().map((op) => op.itemId)).toEqual(['a', 'b']);
    await third.outbox.close();
    expect(await itemsIn(join(dir, 'other', 'queue.json'))).toEqual(['a', 'b']);
    await expect(stat(join(dir, 'a', 'queue.json'))).rejects.toMatchObject({ code: 'ENOENT' });

    // The same through a link whose own text goes through a link and "..", to a file not there yet
    await symlink('link/../elsewhere.json', join(dir, 'a', 'queue2.json'));
    const file = new AtomicTextFile(join(dir, 'a', 'queue2.json'));
    await file.write('{"ops":[]}');
    expect(await file.read()).toBe('{"ops":[]}');
    expect(await readFile(join(dir, 'other', 'elsewhere.json'), 'utf8')).toBe('{"ops":[]}');
  });
});
