import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
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

  // Linux: a lock records its owner's process start time and the boot id, so a pid that now
  // belongs to another process (pids wrap) or our own pid after a restart (PID 1 in a
  // container) is recognised as stale, and the real owner still is not.
  describe.skipIf(process.platform !== 'linux')('telling the owner from a reused pid', () => {
    /** Field 22 of /proc/PID/stat, counted after the last `)` (the command name may hold both). */
    const startTimeOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(/\s+/)[19]!;
    const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const otherStartTime = (real: string) => String(BigInt(real) + 123_456n);

    /** A running child, killed after the test; resolves once it has exec'd (its /proc entry names it). */
    async function running(command: string, args: string[], comm: string): Promise<ChildProcess & { pid: number }> {
      const child = spawn(command, args, { stdio: 'ignore' });
      onTestFinished(() => {
        child.kill('SIGKILL');
      });
      for (let tries = 0; ; tries++) {
        if (tries > 500) throw new Error(`${command} did not start`);
        const stat = (() => {
          try {
            return readFileSync(`/proc/${child.pid}/stat`, 'utf8');
          } catch {
            return '';
          }
        })();
        if (stat.includes(`(${comm.slice(0, 15)})`)) return child as ChildProcess & { pid: number };
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    it('takes over a lock whose pid now belongs to another live node process', async () => {
      const dir = await tempDir();
      const lockFile = join(dir, 'queue.lock');
      // Given the lock names a pid that is now another node program (started after the lock was taken)
      const other = await running(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], 'node');
      await writeFile(
        lockFile,
        JSON.stringify({ pid: other.pid, host: hostname(), startedAt: '2026-11-25T10:00:00Z', startTime: otherStartTime(startTimeOf(other.pid)), bootId: bootId() }),
      );
      // When we take the queue
      const lock = await acquireOwnerLock(lockFile);
      // Then it is ours, and the lock now names us with our own start time
      const written = JSON.parse(await readFile(lockFile, 'utf8'));
      expect(written).toMatchObject({ pid: process.pid, startTime: startTimeOf(process.pid), bootId: bootId() });
      await lock.release();
    });

    it('takes over a lock with its pid and start time from an earlier boot', async () => {
      const dir = await tempDir();
      const lockFile = join(dir, 'queue.lock');
      const other = await running(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], 'node');
      await writeFile(
        lockFile,
        JSON.stringify({ pid: other.pid, host: hostname(), startedAt: '2026-11-25T10:00:00Z', startTime: startTimeOf(other.pid), bootId: '00000000-0000-4000-8000-000000000000' }),
      );
      const lock = await acquireOwnerLock(lockFile);
      expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(process.pid);
      await lock.release();
    });

    it('takes over a lock naming our own pid with another start time (restarted as PID 1 after kill -9)', async () => {
      const dir = await tempDir();
      const lockFile = join(dir, 'queue.lock');
      // Given a lock left by an earlier process that had our pid
      await writeFile(
        lockFile,
        JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-25T10:00:00Z', startTime: otherStartTime(startTimeOf(process.pid)), bootId: bootId() }),
      );
      // When we take the queue, it is ours
      const lock = await acquireOwnerLock(lockFile);
      expect(JSON.parse(await readFile(lockFile, 'utf8')).startTime).toBe(startTimeOf(process.pid));
      // and as long as we hold it, it is held (by this very process)
      await expect(acquireOwnerLock(lockFile)).rejects.toThrow(`pid ${process.pid}`);
      await lock.release();
    });

    it('takes over a lock of an older reelterm (no start time) naming our own pid, which this process does not hold', async () => {
      const dir = await tempDir();
      const lockFile = join(dir, 'queue.lock');
      // Given a lock in the old format left by an earlier life of our pid (PID 1 in a container)
      await writeFile(lockFile, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-25T10:00:00Z' }));
      // Then we take it, and hold it
      const lock = await acquireOwnerLock(lockFile);
      await expect(acquireOwnerLock(lockFile)).rejects.toThrow(`pid ${process.pid}`);
      await lock.release();
    });

    it('still refuses while the process the lock names runs with its real start time, whatever its name', async () => {
      // (A folder name without "reelterm" in it, so the program's path does not look like reelterm.)
      const dir = await tempDir('rt-lock-');
      const lockFile = join(dir, 'queue.lock');
      // Given the owner is a live process whose command name holds spaces and parentheses
      // (a reelterm started under another name: no "node" or "reelterm" in it)
      const weird = join(dir, 'rt) 1 2 (x');
      await symlink('/bin/sleep', weird);
      const owner = await running(weird, ['30'], 'rt) 1 2 (x');
      await writeFile(
        lockFile,
        JSON.stringify({ pid: owner.pid, host: hostname(), startedAt: '2026-11-25T10:00:00Z', startTime: startTimeOf(owner.pid), bootId: bootId() }),
      );
      // When we try to take the queue, we are told who has it
      await expect(acquireOwnerLock(lockFile)).rejects.toThrow(QueueLockedError);
      await expect(acquireOwnerLock(lockFile)).rejects.toThrow(`Another reelterm (pid ${owner.pid}, started 2026-11-25T10:00:00Z)`);
      // and once it has exited, the lock is taken over
      owner.kill('SIGKILL');
      await new Promise((resolve) => owner.once('exit', resolve));
      const lock = await acquireOwnerLock(lockFile);
      await lock.release();
    });
  });
});
