import { randomUUID } from 'node:crypto';
import type { Low } from 'lowdb';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { readFailure, type Deliver } from './deliver.js';
import { coalesceKey, isBatched, sameAccount, type DeadLetter, type Op, type OpAccount, type OpInput, type Outcome, type QueueData, type SeenState } from './op.js';
import { newestSeen } from './seen.js';
import { Outcomes } from './outcomes.js';
import { itemKey, QueueWriter } from './queue-writer.js';
import type { OpHandle, OutboxOptions, SettleResult } from './outbox-types.js';
import { QueueWriteError } from './outbox-types.js';
import { summarize, type SyncStatus } from './status.js';

export type { OpHandle, OutboxOptions, SettleResult } from './outbox-types.js';
export { QueueWriteError } from './outbox-types.js';

interface SettleWaiter {
  itemId: string | undefined;
  finish: (settled: boolean, reason?: SettleResult['reason']) => void;
}

/** Node runs a longer timer after 1 ms; no wait of the engine's is ever that long anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The outbox: a crash-safe queue of watch-state updates with coalescing, per-item order,
 * exponential backoff, an offline mode that only probes, and completion tracking.
 * One instance per process owns the queue file (see `openOutbox`).
 */
export class Outbox {
  private readonly db: Low<QueueData>;
  private readonly deliver: Deliver;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly flushIntervalMs: number;
  private progressIntervalMs: number;
  private readonly concurrency: number;
  private readonly account: OpAccount | undefined;
  private readonly onClose: (() => Promise<void>) | undefined;

  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void>; since: number }>();
  /** The queue file's writes, and what the file holds. */
  private readonly writer: QueueWriter;
  /**
   * Ops chosen to go next but waiting for the write that makes them safe to send. Like ops in
   * flight, a newer update queues behind them instead of replacing them: otherwise a tick a
   * second (or a burst of them) would keep the file one step behind for ever.
   */
  private readonly heldForWrite = new Set<string>();
  private readonly busyItems = new Set<string>();
  private readonly outcomes = new Outcomes();
  private readonly settledListeners = new Set<(op: Op, outcome: Outcome) => void>();
  private readonly lastProgressSentAt = new Map<string, number>();
  private readonly settleWaiters = new Set<SettleWaiter>();
  private readonly listeners = new Set<(status: SyncStatus) => void>();

  private failureStreak = 0;
  private lastError: string | null = null;
  private lastSyncedAt: number | null = null;
  private offline = false;
  private authPaused = false;
  private retryAt: number | null = null;
  private retryTimer: TimerHandle | null = null;
  private probeTimer: TimerHandle | null = null;
  private probeController: AbortController | null = null;
  private probeAtValue: number | null = null;
  /** The probe under way was asked for by the user (`r`): its failure does not lengthen the backoff. */
  private probeIsManual = false;
  /** The offline state came from a certificate the system does not trust. */
  private untrusted = false;
  private progressTimer: TimerHandle | null = null;
  private progressDueAt = Infinity;
  private closed = false;
  private snapshot: SyncStatus | undefined;
  private snapshotKey = '';

  constructor(options: OutboxOptions) {
    this.db = options.db;
    this.deliver = options.deliver;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.flushIntervalMs = options.flushIntervalMs ?? 5000;
    this.progressIntervalMs = options.progressIntervalMs ?? 10_000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.account = options.account;
    this.onClose = options.onClose;
    let adopted = 0;
    if (this.account !== undefined) {
      for (const op of this.data.ops) {
        if (op.account !== undefined) continue;
        op.account = this.account;
        adopted += 1;
      }
    }
    // (the adopted ops are the file's: the same updates, the account only added)
    this.writer = new QueueWriter(this.db, this.clock, this.flushIntervalMs, () => {
      // Ops held back until the file caught up (or the disk gave up) may go now.
      this.pump();
      this.emit();
    });
    if (adopted > 0) this.writeSoon();
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
    const now = this.clock.now();
    const op: Op = {
      id: randomUUID(),
      itemId: input.itemId,
      kind: input.kind,
      payload: { ...input.payload },
      createdAt: new Date(input.at?.getTime() ?? now).toISOString(),
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      seq: ++this.data.seq,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(this.account !== undefined ? { account: this.account } : {}),
      ...this.serverOffset(),
    };
    // What the server had as far as this account knows: a replay after a crash compares with it.
    const earlier = this.data.ops.filter((queued) => queued.itemId === op.itemId && sameAccount(queued.account, op.account)).map((queued) => queued.basis);
    const basis = newestSeen(this.deliver.seen?.(op.itemId), input.seen, ...earlier);
    if (basis !== undefined) op.basis = basis;
    const replaced = this.data.ops.filter((queued) => this.replaces(op, queued));
    // A replaced update that failed before may have reached the server all the same.
    for (const r of replaced) if (r.unsure === true) this.setBasis(op, this.withDoubt(op.basis, r, now));
    if (replaced.length > 0) {
      const gone = new Set(replaced.map((r) => r.id));
      this.data.ops = this.data.ops.filter((queued) => !gone.has(queued.id));
      if (op.kind === 'progress' && replaced.some((r) => r.kind === 'progress' && r.payload.urgent)) {
        op.payload.urgent = true;
      }
      // The failures of what it replaces are its own: --pending and the footer keep counting.
      for (const r of replaced) {
        if (r.attempts > op.attempts) {
          op.attempts = r.attempts;
          op.lastError = r.lastError;
          op.nextAttemptAt = r.nextAttemptAt;
        }
      }
    }
    this.data.ops.push(op);

    const outcome = this.outcomes.of(op.id, replaced.map((r) => r.id));
    const critical = !isBatched(op.kind);
    const persisted = critical ? this.requestWrite() : this.scheduleFlush();
    persisted.catch(() => undefined);
    this.pump();
    this.emit();
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

  /**
   * The server's clock as known now (or, while it cannot be reached, as last measured, kept in
   * the queue file): each op is placed on it when made.
   */
  private serverOffset(): { serverOffsetMs?: number } {
    const measured = this.deliver.clockOffsetMs?.();
    if (measured !== undefined) this.data.serverOffsetMs = measured;
    return this.data.serverOffsetMs === undefined ? {} : { serverOffsetMs: this.data.serverOffsetMs };
  }

  /** A new op replaces a queued one of the same (item, kind) unless that one is in flight; a stop absorbs progress. */
  private replaces(op: Op, queued: Op): boolean {
    if (queued.itemId !== op.itemId || this.inFlight.has(queued.id) || this.heldForWrite.has(queued.id) || !sameAccount(queued.account, op.account)) return false;
    if (coalesceKey(queued.kind) === coalesceKey(op.kind)) return true;
    return op.kind === 'stopped' && queued.kind === 'progress';
  }

  /** Changes how often progress of a playing item goes out (the settings screen). */
  setProgressInterval(ms: number): void {
    this.progressIntervalMs = ms;
  }

  /** The current status snapshot; the same object until something in it changes. */
  status(): SyncStatus {
    const fresh = this.computeStatus();
    const key = JSON.stringify(fresh);
    if (key !== this.snapshotKey) {
      this.snapshot = fresh;
      this.snapshotKey = key;
    }
    return this.snapshot!;
  }

  private computeStatus(): SyncStatus {
    return summarize({
      ops: this.data.ops,
      deadLetters: this.data.deadLetters,
      mine: (op: Op) => this.isMine(op),
      held: (op: Op) => this.isHeldProgress(op),
      authPaused: this.authPaused,
      offline: this.offline,
      untrusted: this.untrusted,
      retryAt: this.retryAt,
      probeAt: this.probeAtValue,
      inFlightSince: [...this.inFlight.values()].map((flight) => flight.since),
      failureStreak: this.failureStreak,
      lastError: this.lastError,
      notice: this.deliver.notice?.() ?? null,
      lastSyncedAt: this.lastSyncedAt,
    });
  }

  /** Whether the op belongs to the signed-in account (the only one this engine can deliver). */
  private isMine(op: Op): boolean {
    return this.account === undefined || sameAccount(op.account, this.account);
  }

  /**
   * A playing item's progress waiting for its 10-second slot: it is on its way on schedule, so
   * the footer stays "✓ Synced" during playback instead of spinning "Syncing…" for a whole film.
   */
  private isHeldProgress(op: Op): boolean {
    if (op.kind !== 'progress' || op.payload.urgent || this.inFlight.has(op.id) || this.settleWaiters.size > 0) return false;
    const last = this.lastProgressSentAt.get(op.itemId);
    return last !== undefined && this.clock.now() - last < this.progressIntervalMs;
  }

  /**
   * How the engine sees one update: `other`, another account's (kept until it signs in);
   * `live`, a playing item's progress waiting for its regular slot; `pending` otherwise.
   */
  opState(op: Op): 'pending' | 'live' | 'other' {
    if (!this.isMine(op)) return 'other';
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
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    this.lastProgressSentAt.clear();
    if (this.offline) {
      // A probe now, on top of the schedule: if it fails, the next one stays where it was.
      if (this.probeController === null) {
        this.probeIsManual = true;
        this.runProbe();
      }
    } else {
      this.clearTimer('retryTimer');
      this.retryAt = null;
      this.pump();
    }
    this.emit();
  }

  /**
   * The server just answered a request of someone else's (a list, a search) properly: it is
   * reachable, so offline mode ends and the queue drains at once.
   */
  serverReachable(): void {
    if (this.closed || !this.offline) return;
    this.endOffline();
  }

  private endOffline(): void {
    this.clearTimer('probeTimer');
    this.offline = false;
    this.untrusted = false;
    this.failureStreak = 0;
    this.lastError = null;
    this.pump();
    this.emit();
  }

  /** After a new sign-in: lift the auth pause and drain. */
  resumeAfterSignIn(): void {
    if (this.closed) return;
    this.authPaused = false;
    this.failureStreak = 0;
    this.lastError = null;
    this.clearTimer('retryTimer');
    this.retryAt = null;
    this.pump();
    this.emit();
  }

  /**
   * Puts a dead letter back in the queue (the user asked: it is delivered whatever its age),
   * unless a newer op for the same item and kind is queued.
   */
  async retryDeadLetter(opId: string): Promise<boolean> {
    const back = this.requeueDeadLetter(opId);
    await this.requestWrite();
    this.pump();
    this.emit();
    return back;
  }

  /** Puts every dead letter of this account back in the queue (`reelterm sync --retry-failed`); resolves with how many went back. */
  async retryDeadLetters(): Promise<number> {
    let back = 0;
    for (const dead of [...this.data.deadLetters]) if (this.requeueDeadLetter(dead.op.id)) back += 1;
    await this.requestWrite();
    this.pump();
    this.emit();
    return back;
  }

  private requeueDeadLetter(opId: string): boolean {
    const index = this.data.deadLetters.findIndex((d) => d.op.id === opId && this.isMine(d.op));
    if (index < 0) return false;
    const [dead] = this.data.deadLetters.splice(index, 1);
    const op = dead!.op;
    const newer = this.data.ops.some((q) => q.itemId === op.itemId && coalesceKey(q.kind) === coalesceKey(op.kind) && sameAccount(q.account, op.account));
    if (!newer) this.data.ops.push({ ...op, attempts: 0, nextAttemptAt: null, lastError: null, seq: ++this.data.seq, anyAge: true });
    return !newer;
  }

  /** Drops a queued op for good (the user chose to); an op in flight cannot be dropped. */
  async discardPending(opId: string): Promise<boolean> {
    if (this.inFlight.has(opId) || !this.data.ops.some((op) => op.id === opId)) return false;
    this.data.ops = this.data.ops.filter((op) => op.id !== opId);
    this.resolveOutcome(opId, 'discarded');
    await this.requestWrite();
    this.checkSettleWaiters();
    this.emit();
    return true;
  }

  /** Removes a dead letter for good (the user chose to). */
  async discardDeadLetter(opId: string): Promise<boolean> {
    const before = this.data.deadLetters.length;
    this.data.deadLetters = this.data.deadLetters.filter((d) => d.op.id !== opId);
    if (this.data.deadLetters.length === before) return false;
    await this.requestWrite();
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
    if (this.matching(itemId) === 0) return Promise.resolve({ settled: true, pending: 0 });
    if (this.closed) return Promise.resolve({ settled: false, pending: this.matching(itemId), reason: 'closed' });
    if (this.authPaused) return Promise.resolve({ settled: false, pending: this.matching(itemId), reason: 'auth' });
    return new Promise((resolve) => {
      // This one timer keeps the process alive: a command awaiting the sync must not end while
      // the engine waits in backoff (its own timers never hold the process).
      const timer = this.clock.setTimeout(() => waiter.finish(false, 'timeout'), Math.min(timeoutMs, MAX_TIMER_MS), { keepAlive: true });
      const waiter: SettleWaiter = {
        itemId,
        finish: (settled, reason) => {
          this.clock.clearTimeout(timer);
          this.settleWaiters.delete(waiter);
          resolve({ settled, pending: this.matching(itemId), ...(reason ? { reason } : {}) });
        },
      };
      this.settleWaiters.add(waiter);
      this.pump();
    });
  }

  /** This account's queued ops (for one item, or all): another account's cannot land here. */
  private matching(itemId: string | undefined): number {
    if (itemId === undefined && this.account === undefined) return this.data.ops.length;
    let count = 0;
    for (const op of this.data.ops) if (this.isMine(op) && (itemId === undefined || op.itemId === itemId)) count += 1;
    return count;
  }

  private checkSettleWaiters(): void {
    for (const waiter of [...this.settleWaiters]) {
      if (this.matching(waiter.itemId) === 0) waiter.finish(true);
      else if (this.authPaused) waiter.finish(false, 'auth');
    }
  }

  /**
   * Stops the engine: aborts requests in flight (their ops stay queued), writes the
   * queue, and releases the owner lock. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const name of ['retryTimer', 'probeTimer', 'progressTimer'] as const) this.clearTimer(name);
    this.writer.stop();
    this.probeController?.abort();
    for (const flight of this.inFlight.values()) flight.controller.abort();
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
    for (const waiter of [...this.settleWaiters]) waiter.finish(false, 'closed');
    try {
      await this.requestWrite();
    } finally {
      await this.onClose?.();
    }
  }

  private clearTimer(name: 'retryTimer' | 'probeTimer' | 'progressTimer'): void {
    const timer = this[name];
    if (timer !== null) this.clock.clearTimeout(timer);
    this[name] = null;
    if (name === 'progressTimer') this.progressDueAt = Infinity;
    if (name === 'probeTimer') this.probeAtValue = null;
  }

  /** Starts every delivery that may start now. The only place deliveries begin, so two drains never overlap. */
  private pump(): void {
    this.heldForWrite.clear();
    if (this.closed || this.authPaused || this.offline || this.retryAt !== null) return;
    const now = this.clock.now();
    const seen = new Set<string>();
    let progressDue = Infinity;
    let needsWrite = false;
    for (const op of this.data.ops) {
      if (this.inFlight.size >= this.concurrency) break;
      if (seen.has(op.itemId) || !this.isMine(op)) continue;
      seen.add(op.itemId);
      if (this.busyItems.has(op.itemId)) continue;
      if (op.kind === 'progress' && !op.payload.urgent && this.settleWaiters.size === 0) {
        const last = this.lastProgressSentAt.get(op.itemId);
        if (last !== undefined && now - last < this.progressIntervalMs) {
          progressDue = Math.min(progressDue, last + this.progressIntervalMs);
          continue;
        }
      }
      if (!this.safeToSend(op)) {
        this.heldForWrite.add(op.id);
        needsWrite = true;
        continue;
      }
      this.launch(op, now);
    }
    // The write's completion pumps again, and the ops held back go out then.
    if (needsWrite) this.writeSoon();
    if (progressDue < this.progressDueAt) {
      this.clearTimer('progressTimer');
      this.progressDueAt = progressDue;
      this.progressTimer = this.clock.setTimeout(() => {
        this.progressTimer = null;
        this.progressDueAt = Infinity;
        this.pump();
        this.emit();
      }, progressDue - now);
    }
  }

  /**
   * Write first, then send: an op goes out only when the queue file holds nothing older for its
   * item than the op itself, so a crash can never replay an update older than one the server
   * already has (a seek sent live while the file still held the position before it). A stop or
   * a mark must be in the file itself; live progress may go out before its flush when the file
   * holds nothing for the item. When the disk refuses writes, the server is the only safe place
   * left, so ops go out anyway.
   */
  private safeToSend(op: Op): boolean {
    if (this.writer.failing) return true;
    const written = this.writer.onDisk.get(itemKey(op));
    // The op is the item's oldest queued one: anything of the item with a lower seq in the file
    // (or in a write under way) is already gone, sent or replaced. Newer ones may stay there.
    for (const ids of [written, this.writer.landing?.get(itemKey(op))]) for (const seq of ids?.values() ?? []) if (seq < op.seq) return false;
    return isBatched(op.kind) || written?.has(op.id) === true;
  }

  private launch(op: Op, now: number): void {
    const controller = new AbortController();
    this.busyItems.add(op.itemId);
    const nextRequest = () => {
      const flight = this.inFlight.get(op.id);
      if (flight === undefined) return;
      flight.since = this.clock.now();
      this.emit();
    };
    const done = Promise.resolve()
      .then(() => this.deliver.send(op, { signal: controller.signal, now, nextRequest }))
      .then(
        (outcome) =>
          outcome === 'expired' ? this.onExpired(op) : typeof outcome === 'object' ? this.onSuperseded(op, outcome.superseded) : this.onDelivered(op, outcome, now),
        (error: unknown) => this.onFailed(op, error),
      );
    this.inFlight.set(op.id, { controller, done, since: now });
  }

  /**
   * The deliverer's newer view of the item (what this op left on the server, or may have) goes
   * to the item's later updates, on disk at the next write: a restart compares with it.
   */
  private refreshBasis(done: Op): void {
    const seen = this.deliver.seen?.(done.itemId);
    if (seen === undefined) return;
    for (const queued of this.data.ops) {
      if (queued === done || queued.itemId !== done.itemId || !sameAccount(queued.account, done.account)) continue;
      const basis = newestSeen(queued.basis, seen);
      if (basis !== undefined) queued.basis = basis;
    }
  }

  private onExpired(op: Op): void {
    this.endFlight(op);
    this.toDeadLetters(op, 'expired', 'Not sent: older than 30 days (by the server\'s clock); retry it to send it anyway');
    this.afterChange();
  }

  /** Someone else changed the item on the server since reelterm saw it: kept aside, with both states, for the user to send anyway or drop. */
  private onSuperseded(op: Op, server: NonNullable<DeadLetter['server']>): void {
    this.endFlight(op);
    this.refreshBasis(op);
    this.failureStreak = 0;
    this.lastError = null;
    this.toDeadLetters(op, 'superseded', 'Not sent: changed on the server by another device or app since; retry it to overwrite', server);
    this.afterChange();
  }

  private endFlight(op: Op): void {
    this.inFlight.delete(op.id);
    this.busyItems.delete(op.itemId);
  }

  private onDelivered(op: Op, outcome: 'delivered' | 'superseded', sentAt: number): void {
    this.endFlight(op);
    this.refreshBasis(op);
    this.removeOp(op);
    if (op.kind === 'progress' || op.kind === 'stopped') this.lastProgressSentAt.set(op.itemId, sentAt);
    this.failureStreak = 0;
    this.lastError = null;
    this.lastSyncedAt = this.clock.now();
    this.resolveOutcome(op.id, outcome, op);
    this.afterChange();
  }

  private onFailed(failed: Op, error: unknown): void {
    let op = failed;
    this.endFlight(op);
    const failure = readFailure(error);
    if (failure.mayHaveLanded) failed.unsure = true;
    if (this.closed) return;
    const now = this.clock.now();
    this.refreshBasis(failed);
    // A newer update for the same thing, queued while this one was in flight, is the one to retry.
    if (failure.kind !== 'permanent') op = this.foldIntoNewer(op) ?? op;
    if (failure.kind === 'auth') {
      this.authPaused = true;
      this.lastError = failure.message;
    } else if (failure.kind === 'permanent') {
      op.attempts += 1;
      this.toDeadLetters(op, 'permanent', failure.message);
    } else {
      op.attempts += 1;
      op.lastError = failure.message;
      this.lastError = failure.message;
      const alreadyWaiting = this.offline || this.retryAt !== null;
      if (failure.offline) this.untrusted = failure.untrusted;
      if (!alreadyWaiting) {
        this.failureStreak += 1;
        const delay = this.nextDelay(failure.retryAfterMs);
        const at = now + delay;
        if (failure.offline) {
          this.offline = true;
          this.scheduleProbe(at);
        } else {
          this.retryAt = at;
          this.retryTimer = this.clock.setTimeout(() => {
            this.retryTimer = null;
            this.retryAt = null;
            this.pump();
            this.emit();
          }, delay);
        }
      } else if (failure.offline && !this.offline) {
        this.clearTimer('retryTimer');
        this.offline = true;
        this.scheduleProbe(this.retryAt ?? now);
        this.retryAt = null;
      }
      op.nextAttemptAt = new Date(this.offline ? (this.probeAtValue ?? now) : (this.retryAt ?? now)).toISOString();
      this.scheduleFlush();
    }
    this.afterChange();
  }

  /**
   * The wait before the next try: backoff with jitter, at least what the server asked for
   * (`Retry-After`), and never more than the backoff cap, whatever it asked (a month would
   * overflow Node's timer into a retry storm).
   */
  private nextDelay(retryAfterMs: number | undefined): number {
    let delay = backoffDelay(this.failureStreak - 1, this.random, this.backoff);
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) delay = Math.max(delay, retryAfterMs);
    return Math.min(Math.max(0, delay), this.backoff.capMs);
  }

  /** Drops a failed op that a newer queued one replaces; its waiters follow the newer op. */
  private foldIntoNewer(op: Op): Op | undefined {
    const newer = this.data.ops.find((queued) => queued.seq > op.seq && this.replaces(queued, op));
    if (newer === undefined) return undefined;
    this.data.ops = this.data.ops.filter((queued) => queued.id !== op.id);
    this.outcomes.move(op.id, newer.id);
    newer.attempts = Math.max(newer.attempts, op.attempts);
    // What the folded one may have done on the server unseen, the newer one must not take for another device's.
    if (op.unsure === true) this.setBasis(newer, this.withDoubt(newestSeen(newer.basis, op.basis), op, this.clock.now()));
    return newer;
  }

  /** The basis after an op of ours whose answer was lost, by the server's rules (without them, what the server may hold is not known). */
  private withDoubt(seen: SeenState | undefined, op: Op, at: number): SeenState | undefined {
    return this.deliver.withDoubt !== undefined ? this.deliver.withDoubt(seen, op, at) : undefined;
  }

  private setBasis(op: Op, basis: SeenState | undefined): void {
    if (basis === undefined) delete op.basis;
    else op.basis = basis;
  }

  private afterChange(): void {
    this.scheduleFlush();
    this.pump();
    this.checkSettleWaiters();
    this.emit();
  }

  /** Removes one op in place (the queue can hold thousands: no copy per delivery). */
  private removeOp(op: Op): void {
    const index = this.data.ops.findIndex((queued) => queued.id === op.id);
    if (index >= 0) this.data.ops.splice(index, 1);
  }

  private toDeadLetters(op: Op, reason: DeadLetter['reason'], error: string, server?: DeadLetter['server']): void {
    this.removeOp(op);
    this.data.deadLetters.push({ op: { ...op, lastError: error }, reason, error, at: new Date(this.clock.now()).toISOString(), ...(server ? { server } : {}) });
    this.resolveOutcome(op.id, reason === 'superseded' ? 'superseded' : 'dead-lettered', op);
    this.writeSoon();
  }

  private resolveOutcome(opId: string, outcome: Outcome, op?: Op): void {
    this.outcomes.resolve(opId, outcome);
    if (op !== undefined) for (const listener of this.settledListeners) listener(op, outcome);
  }

  private scheduleProbe(at: number): void {
    this.clearTimer('probeTimer');
    this.probeAtValue = at;
    this.probeTimer = this.clock.setTimeout(() => {
      this.probeTimer = null;
      this.probeAtValue = null;
      this.runProbe();
    }, Math.min(MAX_TIMER_MS, at - this.clock.now()));
  }

  private runProbe(): void {
    if (this.probeController !== null || this.closed) return;
    const controller = new AbortController();
    this.probeController = controller;
    const manual = this.probeIsManual;
    this.probeIsManual = false;
    if (!manual) this.probeAtValue = null;
    Promise.resolve()
      .then(() => this.deliver.probe(controller.signal))
      .then(
        () => {
          this.probeController = null;
          if (this.closed) return;
          this.endOffline();
        },
        (error: unknown) => {
          this.probeController = null;
          if (this.closed || !this.offline) return;
          const failure = readFailure(error);
          this.lastError = failure.message;
          this.untrusted = failure.untrusted;
          // A probe the user asked for leaves the schedule as it was: pressing r never makes the wait longer.
          if (!manual || this.probeTimer === null) {
            this.failureStreak += 1;
            this.scheduleProbe(this.clock.now() + this.nextDelay(failure.retryAfterMs));
          }
          this.emit();
        },
      );
    this.emit();
  }

  private scheduleFlush(): Promise<void> {
    return this.writer.scheduleFlush();
  }

  private writeSoon(): void {
    this.writer.writeSoon();
  }

  private requestWrite(): Promise<void> {
    return this.writer.requestWrite();
  }

  private emit(): void {
    const before = this.snapshot;
    const status = this.status();
    if (status === before) return;
    for (const listener of this.listeners) listener(status);
  }
}
