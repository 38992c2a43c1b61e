import type { Low } from 'lowdb';
import { DEFAULT_BACKOFF } from './backoff.js';
import { systemClock, type Clock } from './clock.js';
import { readFailure, type Deliver } from './deliver.js';
import { InFlight } from './in-flight.js';
import { isBatched, type DeadLetter, type Op, type OpInput, type Outcome, type QueueData } from './op.js';
import { Outcomes } from './outcomes.js';
import type { OpHandle, OutboxOptions, SettleResult } from './outbox-types.js';
import { QueueWriteError } from './outbox-types.js';
import { ProgressCadence } from './progress-cadence.js';
import { QueueState } from './queue-state.js';
import { QueueWriter } from './queue-writer.js';
import { RetrySchedule } from './retry-schedule.js';
import { SettleWaiters } from './settle-waiters.js';
import { StatusFeed, summarize, type SyncStatus } from './status.js';

/** How many of the next ops (one per item) the deliverer hears of, to read their items together. */
const LOOKAHEAD = 200;
/**
 * How long the deliverer's memory of the ops it was told of in `upcoming` is trusted: told
 * again after that (an op too fresh to be a replay when first told of may be one by now).
 */
const HINTS_FRESH_MS = 10_000;
/**
 * As deliveries end, the deliverer hears of the ops coming within reach every this many sends
 * (the look ahead slides by one op a send: walking it at every send cost more than the sends).
 */
const HINT_EVERY = 20;

/** A playing item's progress on its regular cadence: not a pause or a seek (urgent), not a stop. */
function isRegularProgress(op: Op): boolean {
  return op.kind === 'progress' && op.payload.urgent !== true;
}

export type { OpHandle, OutboxOptions, SettleResult } from './outbox-types.js';
export { QueueWriteError } from './outbox-types.js';

/**
 * The outbox: a crash-safe queue of watch-state updates with coalescing, per-item order,
 * exponential backoff, an offline mode that only probes, and completion tracking.
 * One instance per process owns the queue file (see `openOutbox`).
 */
export class Outbox {
  private readonly db: Low<QueueData>;
  private readonly deliver: Deliver;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly onClose: (() => Promise<void>) | undefined;

  private readonly inFlight: InFlight;
  /** The queue's ops and dead letters, and the rules that change them (coalescing, requeueing). */
  private readonly queue: QueueState;
  /** The queue file's writes, and what the file holds. */
  private readonly writer: QueueWriter;
  /**
   * Ops chosen to go next but waiting for the write that makes them safe to send. Like ops in
   * flight, a newer update queues behind them instead of replacing them: otherwise a tick a
   * second (or a burst of them) would keep the file one step behind for ever.
   */
  private readonly heldForWrite = new Set<string>();
  /** Items whose regular progress is held for a write: on its way on schedule, as are the ticks queued behind it. */
  private readonly progressHeldForWrite = new Set<string>();
  private readonly outcomes = new Outcomes();
  private readonly settledListeners = new Set<(op: Op, outcome: Outcome) => void>();
  /** When each playing item's progress may go next. */
  private readonly cadence: ProgressCadence;
  private readonly settleWaiters: SettleWaiters;
  /** Backoff waits after a failure, and offline mode with its probes. */
  private readonly schedule: RetrySchedule;
  private readonly feed = new StatusFeed(() => this.computeStatus());
  /** Ops the deliverer was told of in `upcoming` since `hintedAt`: each is told of once, not at every pump. */
  private readonly hinted = new Set<string>();
  private hintedAt = -Infinity;
  /** Sends since the deliverer last heard of what comes next. */
  private launchesSinceHint = Infinity;

  private lastSyncedAt: number | null = null;
  private readonly seqAtOpen: number;
  private authPaused = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: OutboxOptions) {
    this.db = options.db;
    this.deliver = options.deliver;
    this.clock = options.clock ?? systemClock;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.onClose = options.onClose;
    this.inFlight = new InFlight(this.clock, this.deliver, {
      delivered: (op, outcome, sentAt) => this.onDelivered(op, outcome, sentAt),
      expired: (op) => this.onExpired(op),
      superseded: (op, server) => this.onSuperseded(op, server),
      failed: (op, error) => this.onFailed(op, error),
      nextRequest: () => this.emit(),
    });
    this.queue = new QueueState(this.db, options.account, this.deliver, this.clock);
    // Ops up to here were queued by an earlier run: the playbacks they report are over.
    this.seqAtOpen = this.data.seq;
    const adopted = this.queue.adoptUnowned();
    // (the adopted ops are the file's: the same updates, the account only added)
    // After each write, ops held back until the file caught up (or the disk gave up) may go now.
    this.writer = new QueueWriter(this.db, this.clock, options.flushIntervalMs ?? 5000, () => this.drain());
    this.cadence = new ProgressCadence(this.clock, options.progressIntervalMs ?? 10_000, () => this.drain());
    this.settleWaiters = new SettleWaiters(this.clock, (itemId) => this.queue.matching(itemId), () => this.pump());
    const hooks = { resume: () => this.drain(), changed: () => this.emit() };
    this.schedule = new RetrySchedule(this.clock, options.random ?? Math.random, options.backoff ?? DEFAULT_BACKOFF, this.deliver, hooks);
    if (adopted > 0) this.writer.writeSoon();
  }

  private get data(): QueueData {
    return this.db.data;
  }

  /**
   * Queues an update. `stopped`, `played` and `unplayed` are on disk before this resolves;
   * `progress` and `started` are coalesced in memory and written at the next flush (see `persisted`).
   * Rejects with `QueueWriteError` when the disk refuses the write; the op stays queued in memory.
   */
  async enqueue(input: OpInput): Promise<OpHandle> {
    if (this.closed) throw new Error('The sync queue is closed');
    const { op, replaced } = this.queue.add(input, (id) => this.isTaken(id));
    const outcome = this.outcomes.of(op.id, replaced.map((r) => r.id));
    const critical = !isBatched(op.kind);
    const persisted = critical ? this.writer.requestWrite() : this.writer.scheduleFlush();
    persisted.catch(() => undefined);
    this.drain();
    if (critical) {
      try {
        await persisted;
      } catch (error) {
        throw new QueueWriteError(
          `Could not save the sync queue (${(error as Error).message}); the update is kept in memory and retried`,
          { cause: error },
        );
      }
    }
    return { id: op.id, persisted, outcome };
  }

  /** An op in flight, or held for its write: a newer update queues behind it instead of replacing it. */
  private isTaken(opId: string): boolean {
    return this.inFlight.has(opId) || this.heldForWrite.has(opId);
  }

  /** Changes how often progress of a playing item goes out (the settings screen). */
  setProgressInterval(ms: number): void {
    this.cadence.intervalMs = ms;
  }

  /** The current status snapshot; the same object until something in it changes. */
  status(): SyncStatus {
    return this.feed.current();
  }

  private computeStatus(): SyncStatus {
    const counts = this.queue.counts();
    let live = 0;
    for (const op of counts.progress) if (this.isHeldProgress(op)) live += 1;
    return summarize({
      mine: counts.mine,
      total: counts.total,
      live,
      deadLetters: counts.deadLetters,
      expired: counts.expired,
      superseded: counts.superseded,
      authPaused: this.authPaused,
      schedule: this.schedule.facts(),
      inFlight: this.inFlight.size,
      waitingSince: this.inFlight.oldestSince(),
      notice: this.deliver.notice?.() ?? null,
      lastSyncedAt: this.lastSyncedAt,
    });
  }

  /**
   * A playing item's progress waiting for its 10-second slot: it is on its way on schedule, so
   * the footer stays "✓ Synced" during playback instead of spinning "Syncing…" for a whole film.
   */
  private isHeldProgress(op: Op): boolean {
    if (this.inFlight.has(op.id) || this.settleWaiters.any) return false;
    // (waiting for its slot, or for the write that lets it go)
    return this.cadence.held(op) || (isRegularProgress(op) && this.progressHeldForWrite.has(op.itemId));
  }

  /**
   * Whether `op`, which the queue file is behind on, waits for the batched write already due
   * rather than forcing one: a playing item's regular progress. Its slot and the flush every few
   * seconds would otherwise each make a write (one more per report); the write-first rule holds
   * all the same, the report only leaves with the flush. A pause or a seek (urgent), anything
   * someone waits on (leaving the player, quitting) and every other kind write at once.
   */
  private waitsForFlush(op: Op): boolean {
    return isRegularProgress(op) && !this.settleWaiters.any && this.writer.flushDue;
  }

  /**
   * How the engine sees one update: `other`, another account's (kept until it signs in);
   * `live`, a playing item's progress waiting for its regular slot; `pending` otherwise.
   */
  opState(op: Op): 'pending' | 'live' | 'other' {
    if (!this.queue.isMine(op)) return 'other';
    return this.isHeldProgress(op) ? 'live' : 'pending';
  }

  /**
   * Calls `listener` as each op ends: delivered, kept aside (dead letter), or superseded. Unlike
   * an op's own `outcome`, it hears of an op sent again from the dead letters too.
   */
  onSettled(listener: (op: Op, outcome: Outcome) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Calls `listener` with every new status; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void {
    return this.feed.subscribe(listener);
  }

  /** Queued ops in delivery order (copies). */
  pendingOps(): Op[] {
    return this.data.ops.map((op) => ({ ...op, payload: { ...op.payload } }));
  }

  /** Ops the engine gave up on (copies). */
  deadLetters(): DeadLetter[] {
    return this.data.deadLetters.map((d) => ({ ...d, op: { ...d.op } }));
  }

  /**
   * Force retry: cancels any backoff wait and makes one attempt now (a probe when
   * offline). Pressing it again while that attempt is under way does nothing more.
   */
  retryNow(): void {
    if (this.closed || this.authPaused) return;
    this.cadence.forget();
    if (this.schedule.offline) {
      this.schedule.probeNow();
    } else {
      this.schedule.cancelRetry();
      this.pump();
    }
    this.emit();
  }

  /**
   * The server just answered a request of someone else's (a list, a search) properly: it is
   * reachable, so offline mode ends and the queue drains at once.
   */
  serverReachable(): void {
    if (this.closed || !this.schedule.offline) return;
    this.schedule.endOffline();
  }

  /** After a new sign-in: lift the auth pause and drain. */
  resumeAfterSignIn(): void {
    if (this.closed) return;
    this.authPaused = false;
    this.schedule.resetFailures();
    this.schedule.cancelRetry();
    this.drain();
  }

  /**
   * Puts a dead letter back in the queue (the user asked: it is delivered whatever its age),
   * unless a newer op for the same item and kind is queued.
   */
  async retryDeadLetter(opId: string): Promise<boolean> {
    const back = this.queue.requeueDeadLetter(opId);
    await this.writer.requestWrite();
    this.drain();
    return back;
  }

  /** Puts every dead letter of this account back in the queue (`reelterm sync --retry-failed`); resolves with how many went back. */
  async retryDeadLetters(): Promise<number> {
    let back = 0;
    for (const dead of [...this.data.deadLetters]) if (this.queue.requeueDeadLetter(dead.op.id)) back += 1;
    await this.writer.requestWrite();
    this.drain();
    return back;
  }

  /** Drops a queued op for good (the user chose to); an op in flight cannot be dropped. */
  async discardPending(opId: string): Promise<boolean> {
    if (this.inFlight.has(opId) || !this.queue.discard(opId)) return false;
    this.resolveOutcome(opId, 'discarded');
    await this.writer.requestWrite();
    this.settleWaiters.check(this.authPaused);
    this.emit();
    return true;
  }

  /** Removes a dead letter for good (the user chose to). */
  async discardDeadLetter(opId: string): Promise<boolean> {
    if (!this.queue.discardDeadLetter(opId)) return false;
    await this.writer.requestWrite();
    this.emit();
    return true;
  }

  /**
   * Waits until nothing for `itemId` (or nothing at all) is queued, or `timeoutMs` passes.
   * While it waits, queued progress is sent without waiting for the cadence. Returns at once
   * when signed out, since nothing can land until the user signs in.
   */
  settle(options: { itemId?: string; timeoutMs: number }): Promise<SettleResult> {
    const { itemId, timeoutMs } = options;
    if (this.queue.matching(itemId) === 0) return Promise.resolve({ settled: true, pending: 0 });
    if (this.closed) return Promise.resolve({ settled: false, pending: this.queue.matching(itemId), reason: 'closed' });
    if (this.authPaused) return Promise.resolve({ settled: false, pending: this.queue.matching(itemId), reason: 'auth' });
    return this.settleWaiters.wait(itemId, timeoutMs);
  }

  /**
   * Stops the engine: aborts requests in flight (their ops stay queued), writes the
   * queue, and releases the owner lock. Safe to call twice.
   */
  close(): Promise<void> {
    // Every caller waits for the one close: a second one (the teardown on Ctrl+C while the
    // quit closes) must not end the process in the middle of the final write.
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.closed = true;
    this.schedule.stop();
    this.cadence.stop();
    this.writer.stop();
    await this.inFlight.abortAll();
    this.settleWaiters.closeAll();
    try {
      await this.writer.requestWrite();
    } finally {
      await this.onClose?.();
    }
  }

  /**
   * Starts every delivery that may start now. The only place deliveries begin, so two drains
   * never overlap. `afterDelivery`: called as a delivery ended (the next ops slid in by one).
   */
  private pump(afterDelivery = false): void {
    this.heldForWrite.clear();
    this.progressHeldForWrite.clear();
    if (this.closed || this.authPaused || this.schedule.waiting) return;
    const now = this.clock.now();
    const seen = new Set<string>();
    let progressDue = Infinity;
    let needsWrite = false;
    let launched = false;
    for (const op of this.data.ops) {
      if (this.inFlight.size >= this.concurrency) break;
      if (seen.has(op.itemId) || !this.queue.isMine(op)) continue;
      seen.add(op.itemId);
      if (this.inFlight.busy(op.itemId)) continue;
      const slot = this.settleWaiters.any ? undefined : this.cadence.nextSlot(op, now);
      if (slot !== undefined) {
        progressDue = Math.min(progressDue, slot);
        continue;
      }
      if (!this.writer.safeToSend(op)) {
        this.heldForWrite.add(op.id);
        if (isRegularProgress(op)) this.progressHeldForWrite.add(op.itemId);
        if (!this.writer.safeOnceLanded(op) && !this.waitsForFlush(op)) needsWrite = true;
        continue;
      }
      this.inFlight.launch(op, now, op.seq <= this.seqAtOpen);
      this.launchesSinceHint += 1;
      launched = true;
    }
    if (launched && (!afterDelivery || this.launchesSinceHint >= HINT_EVERY)) this.hintUpcoming(now);
    // The write's completion pumps again, and the ops held back go out then.
    if (needsWrite) this.writer.writeSoon();
    this.cadence.wakeAt(progressDue, now);
  }

  /** Tells the deliverer of the ops that came within reach of the next sends since it last heard. */
  private hintUpcoming(now: number): void {
    if (this.deliver.upcoming === undefined) return;
    this.launchesSinceHint = 0;
    if (now - this.hintedAt >= HINTS_FRESH_MS || now < this.hintedAt) {
      this.hinted.clear();
      this.hintedAt = now;
    }
    const next = this.lookahead().filter((op) => !this.hinted.has(op.id));
    if (next.length === 0) return;
    for (const op of next) this.hinted.add(op.id);
    this.deliver.upcoming(next);
  }

  /** The next ops to go, one per item (the deliverer may read their items together). */
  private lookahead(): Op[] {
    const next: Op[] = [];
    const items = new Set<string>();
    for (const op of this.data.ops) {
      if (next.length >= LOOKAHEAD) break;
      if (items.has(op.itemId) || !this.queue.isMine(op)) continue;
      items.add(op.itemId);
      if (!this.inFlight.busy(op.itemId)) next.push(op);
    }
    return next;
  }

  private onExpired(op: Op): void {
    this.toDeadLetters(op, 'expired', 'Not sent: older than 30 days (by the server\'s clock); retry it to send it anyway');
    this.afterChange();
  }

  /** Someone else changed the item on the server since reelterm saw it: kept aside, with both states, for the user to send anyway or drop. */
  private onSuperseded(op: Op, server: NonNullable<DeadLetter['server']>): void {
    this.queue.refreshBasis(op);
    this.schedule.resetFailures();
    this.toDeadLetters(op, 'superseded', 'Not sent: changed on the server by another device or app since; retry it to overwrite', server);
    this.afterChange();
  }

  private onDelivered(op: Op, outcome: 'delivered' | 'superseded', sentAt: number): void {
    this.queue.refreshBasis(op);
    this.queue.remove(op);
    if (op.kind === 'progress' || op.kind === 'stopped') this.cadence.sent(op.itemId, sentAt);
    this.schedule.resetFailures();
    this.lastSyncedAt = this.clock.now();
    this.resolveOutcome(op.id, outcome, op);
    this.afterChange();
  }

  private onFailed(failed: Op, error: unknown): void {
    let op = failed;
    const failure = readFailure(error);
    if (failure.mayHaveLanded) failed.unsure = true;
    if (this.closed) return;
    const now = this.clock.now();
    this.queue.refreshBasis(failed);
    // A newer update for the same thing, queued while this one was in flight, is the one to retry.
    if (failure.kind !== 'permanent') op = this.foldIntoNewer(op) ?? op;
    if (failure.kind === 'auth') {
      this.authPaused = true;
      this.schedule.noteError(failure.message);
    } else if (failure.kind === 'permanent') {
      op.attempts += 1;
      this.toDeadLetters(op, 'permanent', failure.message);
    } else {
      op.attempts += 1;
      op.lastError = failure.message;
      op.nextAttemptAt = new Date(this.schedule.failed(failure, now)).toISOString();
      this.writer.scheduleFlush();
    }
    this.afterChange();
  }

  /** Drops a failed op that a newer queued one replaces; its waiters follow the newer op. */
  private foldIntoNewer(op: Op): Op | undefined {
    const newer = this.queue.foldIntoNewer(op, (id) => this.isTaken(id));
    if (newer !== undefined) this.outcomes.move(op.id, newer.id);
    return newer;
  }

  private afterChange(): void {
    this.writer.scheduleFlush();
    this.pump(true);
    this.settleWaiters.check(this.authPaused);
    this.emit();
  }

  private toDeadLetters(op: Op, reason: DeadLetter['reason'], error: string, server?: DeadLetter['server']): void {
    this.queue.toDeadLetters(op, reason, error, server);
    this.resolveOutcome(op.id, reason === 'superseded' ? 'superseded' : 'dead-lettered', op);
    this.writer.writeSoon();
  }

  private resolveOutcome(opId: string, outcome: Outcome, op?: Op): void {
    this.outcomes.resolve(opId, outcome);
    if (op !== undefined) for (const listener of this.settledListeners) listener(op, outcome);
  }

  /** Starts what may start now, and tells the status listeners. */
  private drain(): void {
    this.pump();
    this.emit();
  }

  private emit(): void {
    this.feed.emit();
  }
}
