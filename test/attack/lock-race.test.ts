import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/**
 * A slow disk (or a writer preempted by the scheduler) between creating the lock file and
 * writing its owner into it: only the lock file's first write is slowed, by a few ms. Every
 * other file system call is the real one.
 */
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = (async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    if (String(args[0]).endsWith('.lock') && args[1] === 'wx') {
      const writeFile = handle.writeFile.bind(handle);
      handle.writeFile = (async (...rest: Parameters<typeof writeFile>) => {
        await new Promise((resolve) => setTimeout(resolve, 15));
        return writeFile(...rest);
      }) as typeof handle.writeFile;
    }
    return handle;
  }) as typeof real.open;
  return { ...real, open, default: { ...real, open } };
});
import { acquireOwnerLock, QueueLockedError } from '../../src/sync/owner-lock.js';
import { tempDir } from '../helpers/temp-home.js';

/**
 * Attacks on item 10 (the owner lock).
 */
describe('the owner lock under attack', () => {
  /**
   * `acquireOwnerLock` creates the lock file (O_EXCL) and writes its owner into it in a second
   * step. A contender that reads the file between the two sees it empty, takes an empty lock for
   * a crashed writer's, moves it aside and takes the lock itself, while the first goes on
   * believing it holds it. Two reelterms (a TUI and `reelterm sync`, started together by a login
   * script or a double click) then both own queue.json: each writes its own copy over the
   * other's, so a stop or a mark one of them wrote is silently overwritten by the other and lost,
   * and both deliver the same updates.
   * (Two contenders in one process: the same code path and the same file system calls as two
   * processes; the slowed first write, above, stands for the scheduler or a slow disk.)
   */
  it('never lets two contenders both take the lock', async () => {
    let bothWon = 0;
    for (let round = 0; round < 40; round++) {
      const dir = await tempDir();
      const lockFile = join(dir, 'queue.lock');
      const results = await Promise.allSettled([acquireOwnerLock(lockFile), acquireOwnerLock(lockFile)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(QueueLockedError);
      if (won.length === 2) bothWon += 1;
      for (const r of won) await r.value.release();
    }
    expect(bothWon, `both contenders took the lock in ${bothWon} of 40 rounds`).toBe(0);
  });

  // Held (kept: no other test covers a lock file that is garbage, empty or a directory).
  it.each([
    ['garbage', async (p: string) => writeFile(p, '\x00\xff not json')],
    ['empty (a writer killed between create and write)', async (p: string) => writeFile(p, '')],
    ['a directory', async (p: string) => mkdir(p)],
    ['JSON with a pid that is not a number', async (p: string) => writeFile(p, JSON.stringify({ pid: '1', host: 'x', startedAt: 'y' }))],
  ])('takes over a lock file that is %s', async (_name, make) => {
    const dir = await tempDir();
    const lockFile = join(dir, 'queue.lock');
    await make(lockFile);
    const lock = await acquireOwnerLock(lockFile);
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});
