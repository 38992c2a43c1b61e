import type { Deliver } from './deliver.js';
import { acquireOwnerLock } from './owner-lock.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { dirname } from 'node:path';
import { openQueueFile, QueueFileError } from './queue-file.js';

export { Outbox, QueueWriteError, type OpHandle, type SettleResult } from './outbox.js';
export type { Deliver } from './deliver.js';
export type { SyncStatus, SyncState } from './status.js';
export type { Op, OpKind, OpInput, OpPayload, DeadLetter, Outcome } from './op.js';
export { QueueLockedError } from './owner-lock.js';
export { QueueFileError, readQueueFile } from './queue-file.js';

const UNWRITABLE: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a file stands where a folder should be',
};

/** A clear message for a queue folder reelterm cannot write; other errors pass through. */
function unwritableFolder(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why = code === undefined ? undefined : UNWRITABLE[code];
  if (why === undefined) return error;
  return new QueueFileError(
    `Cannot write in ${dirname(file)} (${why}). reelterm keeps your watch updates there: make it writable, or point REELTERM_HOME (or XDG_DATA_HOME) somewhere that is. Nothing was changed.`,
  );
}

/** Where the queue lives and how to reach the server. */
export interface OpenOutboxOptions extends Omit<OutboxOptions, 'db' | 'onClose'> {
  queueFile: string;
  lockFile: string;
  deliver: Deliver;
}

/**
 * Takes ownership of the queue (lock), opens (or repairs) the queue file and starts the
 * engine, which drains at once whatever an earlier run left. `notices` are messages for
 * the user, such as a corrupt queue moved aside. Throws `QueueLockedError` when another
 * reelterm owns the queue, `QueueFileError` when the file is from a newer version.
 */
export async function openOutbox(options: OpenOutboxOptions): Promise<{ outbox: Outbox; notices: string[] }> {
  const { queueFile, lockFile, ...tuning } = options;
  const lock = await acquireOwnerLock(lockFile).catch((error: unknown) => {
    throw unwritableFolder(error, lockFile);
  });
  const release = () => lock.releaseSync();
  process.once('exit', release);
  try {
    const { db, notices } = await openQueueFile(queueFile);
    const outbox = new Outbox({
      ...tuning,
      db,
      onClose: async () => {
        process.removeListener('exit', release);
        await lock.release();
      },
    });
    outbox.retryNow();
    return { outbox, notices };
  } catch (error) {
    process.removeListener('exit', release);
    await lock.release();
    throw error;
  }
}
