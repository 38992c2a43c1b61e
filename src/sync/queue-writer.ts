import type { Low } from 'lowdb';
import type { Clock, TimerHandle } from './clock.js';
import { isBatched, type Op, type OpAccount, type QueueData } from './op.js';

/**
 * What a queue file holds, as the write-first rule needs it: the ids of its ops, and per account
 * and item the lowest seq among them (what a crash would replay first). Kept small: there is one
 * per write, for queues of thousands (keyed by the ops' own strings, no key made per op).
 */
export interface FileIndex {
  ids: Set<string>;
  /** Per account (`accountKey`), per item id, the lowest seq. */
  oldest: Map<string, Map<string, number>>;
}

interface PendingFlush {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): PendingFlush {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Keys of the account objects seen (ops of one account share one object, or a few). */
const accountKeys = new WeakMap<OpAccount, string>();

/**
 * Whose updates an op is, as delivery order and the write-first rule see it: the whole account
 * (the same user id on another kind of server, or on another server, is someone else).
 */
export function accountKey(account: OpAccount | undefined): string {
  if (account === undefined) return '';
  let key = accountKeys.get(account);
  if (key === undefined) {
    key = `${account.kind ?? ''}\n${account.serverId ?? ''}\n${account.userId}`;
    accountKeys.set(account, key);
  }
  return key;
}

/** Which ops a queue holds, and per account and item the lowest seq. */
export function indexByItem(ops: readonly Op[]): FileIndex {
  const index: FileIndex = { ids: new Set(), oldest: new Map() };
  for (const op of ops) {
    index.ids.add(op.id);
    const key = accountKey(op.account);
    let items = index.oldest.get(key);
    if (items === undefined) index.oldest.set(key, (items = new Map()));
    const oldest = items.get(op.itemId);
    if (oldest === undefined || op.seq < oldest) items.set(op.itemId, op.seq);
  }
  return index;
}

/** Whether `file` holds nothing of the op's item (and account) older than the op. */
function holdsNothingOlder(file: FileIndex, op: Op): boolean {
  const oldest = file.oldest.get(accountKey(op.account))?.get(op.itemId);
  return oldest === undefined || oldest >= op.seq;
}

/**
 * The queue file's writes: the whole queue at once (lowdb writes atomically), one write at a
 * time, concurrent callers sharing the next; batched changes wait up to `flushIntervalMs`. It
 * knows what the file holds (`onDisk`) and what a write under way may yet put there (`landing`),
 * for the rule that nothing is sent before the file holds what came before it.
 */
export class QueueWriter {
  /** The ops in the queue file as last written (what a restart would send). */
  onDisk: FileIndex;
  /** The same for a write under way: it may yet put an op back in the file that is gone from memory. */
  landing: FileIndex | undefined;
  /** The last write failed (disk full, read-only): ops go out unwritten rather than not at all. */
  failing = false;
  private flushTimer: TimerHandle | null = null;
  private pendingFlush: PendingFlush | null = null;
  private writing: Promise<void> | null = null;
  private queuedWrite: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Low<QueueData>,
    private readonly clock: Clock,
    private readonly flushIntervalMs: number,
    /** After every write, done or failed: ops held back until the file caught up may go. */
    private readonly afterWrite: () => void,
  ) {
    this.onDisk = indexByItem(db.data.ops);
  }

  /** Whether a batched write is due (its timer runs): what changed since the last write is on its way to the file. */
  get flushDue(): boolean {
    return this.flushTimer !== null;
  }

  /** Batches a non-critical change: one write at most every `flushIntervalMs`; resolves once written. */
  scheduleFlush(): Promise<void> {
    if (this.pendingFlush === null) this.pendingFlush = deferred();
    if (this.flushTimer === null && !this.stopped) {
      this.flushTimer = this.clock.setTimeout(() => {
        this.flushTimer = null;
        this.writeSoon();
      }, this.flushIntervalMs);
    }
    return this.pendingFlush.promise;
  }

  /**
   * Writes the queue now, and should the disk refuse, again at the next flush: for callers that
   * do not wait on the write (a failed write is in `failing`, never an unhandled rejection).
   */
  writeSoon(): void {
    this.requestWrite().catch(() => {
      this.scheduleFlush();
    });
  }

  /**
   * Writes the whole queue now (after any write under way); concurrent callers share one write.
   * With no write under way it begins before this returns, in the caller's turn of the event
   * loop: a stop queued as the user quits is in the file's hands (its fsync running) before
   * the screen the quit changes is drawn, not after.
   */
  requestWrite(): Promise<void> {
    if (this.queuedWrite !== null) return this.queuedWrite;
    if (this.writing === null) {
      // (begun now, the write holds the queue as it is: a change after this takes the next one)
      const now = this.writeNow();
      now.catch(() => undefined);
      return now;
    }
    const next = this.writing.catch(() => undefined).then(() => this.writeNow());
    this.queuedWrite = next;
    next.catch(() => undefined);
    return next;
  }

  /** One write of the queue as it is now. */
  private writeNow(): Promise<void> {
    this.queuedWrite = null;
    const flush = this.pendingFlush;
    this.pendingFlush = null;
    this.cancelFlush();
    const written = indexByItem(this.db.data.ops);
    this.landing = written;
    const write = this.db.write();
    this.writing = write;
    const done = (async () => {
      try {
        await write;
        this.onDisk = written;
        this.failing = false;
        flush?.resolve();
      } catch (error) {
        this.failing = true;
        flush?.reject(error);
        throw error;
      } finally {
        this.landing = undefined;
        if (this.writing === write) this.writing = null;
        if (!this.stopped) this.afterWrite();
      }
    })();
    return done;
  }

  /**
   * Write first, then send: an op goes out only when the queue file holds nothing older for its
   * item than the op itself, so a crash can never replay an update older than one the server
   * already has (a seek sent live while the file still held the position before it). A stop or
   * a mark must be in the file itself; live progress may go out before its flush when the file
   * holds nothing for the item. When the disk refuses writes, the server is the only safe place
   * left, so ops go out anyway.
   */
  safeToSend(op: Op): boolean {
    if (this.failing) return true;
    // The op is the item's oldest queued one: anything of the item with a lower seq in the file
    // (or in a write under way) is already gone, sent or replaced. Newer ones may stay there.
    return holdsNothingOlder(this.onDisk, op) && (this.landing === undefined || holdsNothingOlder(this.landing, op)) && (isBatched(op.kind) || this.onDisk.ids.has(op.id));
  }

  /**
   * Whether `op`, not safe to send yet, will be once the write under way lands (the file then
   * holds what that write took): the write's end pumps again, so asking for another write (of
   * the ticks that came since) would only add one.
   */
  safeOnceLanded(op: Op): boolean {
    const landing = this.landing;
    return landing !== undefined && holdsNothingOlder(landing, op) && (isBatched(op.kind) || landing.ids.has(op.id));
  }

  /** No more batched writes, nor calls after a write; `requestWrite` still writes (the last one on close). */
  stop(): void {
    this.stopped = true;
    this.cancelFlush();
  }

  private cancelFlush(): void {
    if (this.flushTimer !== null) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }
}
