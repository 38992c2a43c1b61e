import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireOwnerLock, QueueLockedError } from '../../src/sync/owner-lock.js';
import { tempDir } from '../helpers/temp-home.js';

describe('single owner of the queue', () => {
  it('refuses a second owner with a message naming the first', async () => {
    const dir = await tempDir();
    const lockFile = join(dir, 'queue.lock');
    // Given another live process holds the lock
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    await writeFile(lockFile, JSON.stringify({ pid: other.pid, host: (await import('node:os')).hostname(), startedAt: '2026-11-25T10:00:00Z' }));
    try {
      // When we try to own the queue
      const attempt = acquireOwnerLock(lockFile);
      // Then we are told who owns it and what to do
      await expect(attempt).rejects.toThrow(QueueLockedError);
      await expect(acquireOwnerLock(lockFile)).rejects.toThrow(`Another reelterm (pid ${other.pid}`);
      await expect(acquireOwnerLock(lockFile)).rejects.toThrow(/reelterm --pending/);
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await tempDir();
    const lockFile = join(dir, 'queue.lock');
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(lockFile, JSON.stringify({ pid: dead.pid, host: (await import('node:os')).hostname(), startedAt: '2026-11-25T10:00:00Z' }));
    const lock = await acquireOwnerLock(lockFile);
    await expect(acquireOwnerLock(lockFile)).rejects.toThrow(`pid ${process.pid}`);
    await lock.release();
  });

  it('lets the next owner in after release', async () => {
    const dir = await tempDir();
    const lockFile = join(dir, 'queue.lock');
    const first = await acquireOwnerLock(lockFile);
    await first.release();
    const second = await acquireOwnerLock(lockFile);
    await second.release();
  });
});
