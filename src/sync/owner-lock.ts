import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Another live process owns the queue. */
export class QueueLockedError extends Error {
  constructor(
    message: string,
    readonly owner: LockOwner,
  ) {
    super(message);
    this.name = 'QueueLockedError';
  }
}

/** Who holds the queue lock, as written in the lock file. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held lock; `release()` removes the lock file if it is still ours. */
export interface OwnerLock {
  release(): Promise<void>;
  /** Synchronous release for `process.on('exit')`. */
  releaseSync(): void;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string') {
      return value as LockOwner;
    }
  } catch {
    // A half-written or foreign lock file counts as stale.
  }
  return undefined;
}

/** True when `pid` is a running reelterm (or node) process; a reused pid of another program does not count. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|reelterm/.test(cmdline);
  } catch {
    return true;
  }
}

/**
 * Takes the single-owner lock on the queue: a file holding our pid, created with O_EXCL.
 * A lock left by a dead process (crash, kill -9) is taken over at once; a live owner
 * makes this throw `QueueLockedError` naming it.
 */
export async function acquireOwnerLock(lockPath: string): Promise<OwnerLock> {
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const mine = JSON.stringify(me);
  for (let tries = 0; tries < 5; tries++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(mine);
      await handle.close();
      const releaseSync = () => {
        try {
          if (readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      };
      return {
        release: async () => {
          const current = await readFile(lockPath, 'utf8').catch(() => '');
          if (current === mine) await unlink(lockPath).catch(() => undefined);
        },
        releaseSync,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = await readFile(lockPath, 'utf8').catch(() => '');
    const owner = parseOwner(text);
    if (owner && owner.host === me.host && (owner.pid === me.pid || isAlive(owner.pid))) {
      throw new QueueLockedError(
        `Another reelterm (pid ${owner.pid}, started ${owner.startedAt}) is using the sync queue. ` +
          'Quit it first; `reelterm --pending` shows the queue meanwhile.',
        owner,
      );
    }
    if (owner && owner.host !== me.host) {
      throw new QueueLockedError(
        `reelterm on ${owner.host} (pid ${owner.pid}) holds the sync queue ${lockPath}. ` +
          'If it is not running any more, delete that lock file.',
        owner,
      );
    }
    // Stale: move it aside under a unique name (only one contender wins the rename), then retry.
    const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
    try {
      await rename(lockPath, aside);
      const moved = await readFile(aside, 'utf8').catch(() => '');
      if (moved === text) {
        await unlink(aside).catch(() => undefined);
      } else {
        // We moved a lock somebody created after our read: put it back.
        await rename(aside, lockPath).catch(() => undefined);
      }
    } catch {
      // Someone else moved it first.
    }
  }
  throw new Error(`Could not take the sync queue lock ${lockPath}`);
}
