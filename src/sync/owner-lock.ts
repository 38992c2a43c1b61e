import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { readFileBytes, readFileBytesSync } from '../files.js';
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
  /**
   * The owner's process start time (Linux: field 22 of `/proc/PID/stat`, clock ticks since
   * boot). With `pid` it names one process for good: a reused pid has another start time.
   * Absent where /proc cannot be read, and in lock files of older reelterms.
   */
  startTime?: string;
  /** `/proc/sys/kernel/random/boot_id` when the lock was taken: start times restart at boot. */
  bootId?: string;
}

/** A held lock; `release()` removes the lock file if it is still ours. */
export interface OwnerLock {
  release(): Promise<void>;
  /** Synchronous release for `process.on('exit')`. */
  releaseSync(): void;
}

/** A lock file's text; empty when it cannot be read or is not a file at all. */
function readText(path: string): Promise<string> {
  return readFileBytes(path).then(
    (bytes) => bytes.toString('utf8'),
    () => '',
  );
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        startedAt: value.startedAt,
        ...(typeof value.startTime === 'string' ? { startTime: value.startTime } : {}),
        ...(typeof value.bootId === 'string' ? { bootId: value.bootId } : {}),
      };
    }
  } catch {
    // A half-written or foreign lock file counts as stale.
  }
  return undefined;
}

/**
 * The start time of process `pid` (field 22, `starttime`, of `/proc/PID/stat`), or undefined
 * when it cannot be read (no such process, no /proc: not Linux). The second field, the
 * command name, may hold spaces and parentheses, so the fields are counted after the last `)`.
 */
function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = stat.lastIndexOf(')');
  if (close === -1) return undefined;
  // After the `)`: field 3 (state) first, so field 22 is at index 19.
  const value = stat.slice(close + 1).trim().split(/\s+/)[22 - 3];
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

/** This boot's id, or undefined where the kernel does not offer one. */
function bootId(): string | undefined {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (possibly another user's). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The check for a lock without a start time (older reelterm, or no /proc): true when `pid` is
 * a running reelterm (or node) process; a reused pid of another program does not count.
 */
function looksAlive(pid: number): boolean {
  if (!pidExists(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|reelterm/.test(cmdline);
  } catch {
    return true;
  }
}

/**
 * Whether the lock's owner (on this host) still runs. With a recorded start time, the pid must
 * be alive and still have that start time (and boot id), so a pid reused by another process, or
 * our own pid after a restart as PID 1 in a container, is stale. Without one, the old check.
 */
function ownerIsLive(owner: LockOwner, lockPath: string): boolean {
  // Our own pid in a lock this process does not hold: an earlier life of this pid (PID 1 in a container).
  const legacy = () => (owner.pid === process.pid ? heldHere.has(lockPath) : looksAlive(owner.pid));
  if (owner.startTime === undefined) return legacy();
  if (owner.pid !== process.pid && !pidExists(owner.pid)) return false;
  const startTime = processStartTime(owner.pid);
  if (startTime === undefined) {
    // /proc unreadable here (not Linux, a restricted /proc), or the process just went: judge as before.
    return legacy();
  }
  if (startTime !== owner.startTime) return false;
  const boot = bootId();
  if (owner.bootId !== undefined && boot !== undefined && owner.bootId !== boot) return false;
  return true;
}

/**
 * Creates `path` holding `text`, or fails with EEXIST: the file appears whole or not at all (a
 * temp file hard-linked into place), so a contender never reads an empty lock and takes it
 * for a crashed writer's.
 */
async function createWhole(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  // (no fsync: after a crash the lock is stale anyway, and start-up is not kept waiting on the disk)
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw error;
    // A file system without hard links: create it exclusively, then fill it (a short window).
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The lock files this process holds now. */
const heldHere = new Set<string>();

/**
 * Takes the single-owner lock on the queue: a file holding our pid (and, on Linux, our
 * process start time and the boot id), created with O_EXCL. A lock left by a dead process
 * (crash, kill -9) is taken over at once, also when its pid now belongs to another process;
 * a live owner makes this throw `QueueLockedError` naming it.
 */
export async function acquireOwnerLock(lockPath: string): Promise<OwnerLock> {
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  const startTime = processStartTime(process.pid);
  const boot = bootId();
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(boot !== undefined ? { bootId: boot } : {}),
  };
  const mine = JSON.stringify(me);
  for (let tries = 0; tries < 5; tries++) {
    try {
      await createWhole(lockPath, mine);
      heldHere.add(lockPath);
      const releaseSync = () => {
        heldHere.delete(lockPath);
        try {
          if (readFileBytesSync(lockPath).toString('utf8') === mine) unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      };
      return {
        // (the same calls made at once: a small read and an unlink, the last steps before the
        // exit; sent to libuv's threads they were five hand-overs, each waking the event loop)
        release: async () => releaseSync(),
        releaseSync,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // (a named pipe put there is read as nothing, a lock nobody holds, and moved aside below)
    const text = await readText(lockPath);
    const owner = parseOwner(text);
    if (owner && owner.host === me.host && ownerIsLive(owner, lockPath)) {
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
      const moved = await readText(aside);
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
