import { randomUUID } from 'node:crypto';
import type { Low } from 'lowdb';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { readFailure, type Deliver } from './deliver.js';
import { coalesceKey, isBatched, type DeadLetter, type Op, type OpInput, type Outcome, type QueueData } from './op.js';
import type { SyncStatus } from './status.js';

/** Tuning for the outbox; every field has a production default. */
export interface OutboxOptions {
  db: Low<QueueData>;
  deliver: Deliver;
  clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Longest a batched change (progress, a delivery) waits before it is written. */
  flushIntervalMs?: number;
  /** Least time between two progress reports for one item, unless urgent (pause, seek). */
  progressIntervalMs?: number;
  /** Deliveries in flight at once (different items only; one item is always sequential). */
  concurrency?: number;
  /** An op older than this is not replayed: it becomes an expired dead letter. */
  expireAfterMs?: number;
  /** Runs once after `close()` has written the queue (releases the owner lock). */
  onClose?: () => Promise<void>;
}

/** What `enqueue()` hands back. */
export interface OpHandle {
  id: string;
  /** Resolves once the op is in the queue file (at once for stop and marks; at the next flush for progress). */
  persisted: Promise<void>;
  /** Settles with how the op ended. An op replaced by a newer one settles with the newer one's outcome. */
  outcome: Promise<Outcome>;
}

/** What `settle()` found when it returned. */
export interface SettleResult {
  /** True when nothing matching is left in the queue. */
  settled: boolean;
  /** Matching ops still queued. */
  pending: number;
  reason?: 'timeout' | 'auth' | 'closed';
}

/** The queue file could not be written; the op is kept in memory and written at the next chance. */
export class QueueWriteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueueWriteError';
  }
}

interface SettleWaiter {
  itemId: string | undefined;
  finish: (settled: boolean, reason?: SettleResult['reason']) => void;
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

const DAY_MS = 24 * 60 * 60 * 1000;

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
  private readonly expireAfterMs: number;
  private readonly onClose: (() => Promise<void>) | undefined;

  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly busyItems = new Set<string>();
  private readonly outcomeWaiters = new Map<string, Array<(outcome: Outcome) => void>>();
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
  private progressTimer: TimerHandle | null = null;
  private progressDueAt = Infinity;
  private flushTimer: TimerHandle | null = null;
  private pendingFlush: PendingFlush | null = null;
  private writing: Promise<void> | null = null;
  private queuedWrite: Promise<void> | null = null;
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
    this.expireAfterMs = options.expireAfterMs ?? 30 * DAY_MS;
    this.onClose = options.onClose;
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
    };
    const replaced = this.data.ops.filter((queued) => this.replaces(op, queued));
    if (replaced.length > 0) {
      const gone = new Set(replaced.map((r) => r.id));
      this.data.ops = this.data.ops.filter((queued) => !gone.has(queued.id));
      if (op.kind === 'progress' && replaced.some((r) => r.kind === 'progress' && r.payload.urgent)) {
        op.payload.urgent = true;
      }
    }
    this.data.ops.push(op);

    const outcome = new Promise<Outcome>((resolve) => {
      const waiters = [resolve, ...replaced.flatMap((r) => this.outcomeWaiters.get(r.id) ?? [])];
      for (const r of replaced) this.outcomeWaiters.delete(r.id);
      this.outcomeWaiters.set(op.id, waiters);
    });
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

  /** A new op replaces a queued one of the same (item, kind) unless that one is in flight; a stop absorbs progress. */
  private replaces(op: Op, queued: Op): boolean {
    if (queued.itemId !== op.itemId || this.inFlight.has(queued.id)) return false;
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
    let state: SyncStatus['state'] = 'idle';
    if (this.authPaused) state = 'auth';
    else if (this.offline) state = 'offline';
    else if (this.retryAt !== null) state = 'retrying';
    else if (this.inFlight.size > 0 || this.data.ops.some((op) => !this.isHeldProgress(op))) state = 'syncing';
    return {
      state,
      pending: this.data.ops.length,
      inFlight: this.inFlight.size,
      attempts: this.failureStreak,
      nextRetryAt: this.authPaused ? null : this.offline ? this.probeAtValue : this.retryAt,
      lastError: this.lastError,
      deadLetters: this.data.deadLetters.length,
      lastSyncedAt: this.lastSyncedAt,
    };
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
      this.clearTimer('probeTimer');
      this.runProbe();
    } else {
      this.clearTimer('retryTimer');
      this.retryAt = null;
      this.pump();
    }
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

  /** Puts a dead letter back in the queue, unless a newer op for the same item and kind is queued. */
  async retryDeadLetter(opId: string): Promise<boolean> {
    const index = this.data.deadLetters.findIndex((d) => d.op.id === opId);
    if (index < 0) return false;
    const [dead] = this.data.deadLetters.splice(index, 1);
    const op = dead!.op;
    const newer = this.data.ops.some((q) => q.itemId === op.itemId && coalesceKey(q.kind) === coalesceKey(op.kind));
    if (!newer) {
      const createdAt = Math.max(Date.parse(op.createdAt), this.clock.now() - this.expireAfterMs + DAY_MS);
      this.data.ops.push({ ...op, attempts: 0, nextAttemptAt: null, lastError: null, seq: ++this.data.seq, createdAt: new Date(createdAt).toISOString() });
    }
    await this.requestWrite();
    this.pump();
    this.emit();
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
      const timer = this.clock.setTimeout(() => waiter.finish(false, 'timeout'), timeoutMs);
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

  private matching(itemId: string | undefined): number {
    return itemId === undefined ? this.data.ops.length : this.data.ops.filter((op) => op.itemId === itemId).length;
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
    for (const name of ['retryTimer', 'probeTimer', 'progressTimer', 'flushTimer'] as const) this.clearTimer(name);
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

  private clearTimer(name: 'retryTimer' | 'probeTimer' | 'progressTimer' | 'flushTimer'): void {
    const timer = this[name];
    if (timer !== null) this.clock.clearTimeout(timer);
    this[name] = null;
    if (name === 'progressTimer') this.progressDueAt = Infinity;
    if (name === 'probeTimer') this.probeAtValue = null;
  }

  /** Starts every delivery that may start now. The only place deliveries begin, so two drains never overlap. */
  private pump(): void {
    if (this.closed || this.authPaused || this.offline || this.retryAt !== null) return;
    const now = this.clock.now();
    const seen = new Set<string>();
    let progressDue = Infinity;
    const expired: Op[] = [];
    for (const op of this.data.ops) {
      if (this.inFlight.size >= this.concurrency) break;
      if (seen.has(op.itemId)) continue;
      if (now - Date.parse(op.createdAt) > this.expireAfterMs) {
        expired.push(op);
        continue;
      }
      seen.add(op.itemId);
      if (this.busyItems.has(op.itemId)) continue;
      if (op.kind === 'progress' && !op.payload.urgent && this.settleWaiters.size === 0) {
        const last = this.lastProgressSentAt.get(op.itemId);
        if (last !== undefined && now - last < this.progressIntervalMs) {
          progressDue = Math.min(progressDue, last + this.progressIntervalMs);
          continue;
        }
      }
      this.launch(op, now);
    }
    for (const op of expired) this.toDeadLetters(op, 'expired', `Not sent: older than ${Math.round(this.expireAfterMs / DAY_MS)} days`);
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

  private launch(op: Op, now: number): void {
    const controller = new AbortController();
    this.busyItems.add(op.itemId);
    const done = Promise.resolve()
      .then(() => this.deliver.send(op, { signal: controller.signal, now }))
      .then(
        (outcome) => this.onDelivered(op, outcome, now),
        (error: unknown) => this.onFailed(op, error),
      );
    this.inFlight.set(op.id, { controller, done });
  }

  private endFlight(op: Op): void {
    this.inFlight.delete(op.id);
    this.busyItems.delete(op.itemId);
  }

  private onDelivered(op: Op, outcome: 'delivered' | 'superseded', sentAt: number): void {
    this.endFlight(op);
    this.removeOp(op);
    if (op.kind === 'progress' || op.kind === 'stopped') this.lastProgressSentAt.set(op.itemId, sentAt);
    this.failureStreak = 0;
    this.lastError = null;
    this.lastSyncedAt = this.clock.now();
    this.resolveOutcome(op.id, outcome);
    this.afterChange();
  }

  private onFailed(failed: Op, error: unknown): void {
    let op = failed;
    this.endFlight(op);
    if (this.closed) return;
    const failure = readFailure(error);
    const now = this.clock.now();
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
      if (!alreadyWaiting) {
        this.failureStreak += 1;
        let delay = backoffDelay(this.failureStreak - 1, this.random, this.backoff);
        if (failure.retryAfterMs !== undefined) delay = Math.max(delay, failure.retryAfterMs);
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

  /** Drops a failed op that a newer queued one replaces; its waiters follow the newer op. */
  private foldIntoNewer(op: Op): Op | undefined {
    const newer = this.data.ops.find((queued) => queued.seq > op.seq && this.replaces(queued, op));
    if (newer === undefined) return undefined;
    this.data.ops = this.data.ops.filter((queued) => queued.id !== op.id);
    const waiters = this.outcomeWaiters.get(op.id) ?? [];
    this.outcomeWaiters.delete(op.id);
    this.outcomeWaiters.set(newer.id, [...(this.outcomeWaiters.get(newer.id) ?? []), ...waiters]);
    newer.attempts = Math.max(newer.attempts, op.attempts);
    return newer;
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

  private toDeadLetters(op: Op, reason: DeadLetter['reason'], error: string): void {
    this.removeOp(op);
    this.data.deadLetters.push({ op: { ...op, lastError: error }, reason, error, at: new Date(this.clock.now()).toISOString() });
    this.resolveOutcome(op.id, 'dead-lettered');
    this.requestWrite().catch(() => this.scheduleFlush());
  }

  private resolveOutcome(opId: string, outcome: Outcome): void {
    const waiters = this.outcomeWaiters.get(opId) ?? [];
    this.outcomeWaiters.delete(opId);
    for (const resolve of waiters) resolve(outcome);
  }

  private scheduleProbe(at: number): void {
    this.clearTimer('probeTimer');
    this.probeAtValue = at;
    this.probeTimer = this.clock.setTimeout(() => {
      this.probeTimer = null;
      this.runProbe();
    }, at - this.clock.now());
  }

  private runProbe(): void {
    if (this.probeController !== null || this.closed) return;
    const controller = new AbortController();
    this.probeController = controller;
    this.probeAtValue = null;
    Promise.resolve()
      .then(() => this.deliver.probe(controller.signal))
      .then(
        () => {
          this.probeController = null;
          if (this.closed) return;
          this.offline = false;
          this.failureStreak = 0;
          this.lastError = null;
          this.pump();
          this.emit();
        },
        (error: unknown) => {
          this.probeController = null;
          if (this.closed) return;
          const failure = readFailure(error);
          this.failureStreak += 1;
          this.lastError = failure.message;
          let delay = backoffDelay(this.failureStreak - 1, this.random, this.backoff);
          if (failure.retryAfterMs !== undefined) delay = Math.max(delay, failure.retryAfterMs);
          this.scheduleProbe(this.clock.now() + delay);
          this.emit();
        },
      );
    this.emit();
  }

  /** Batches non-critical changes: one write at most every `flushIntervalMs`. */
  private scheduleFlush(): Promise<void> {
    if (this.pendingFlush === null) this.pendingFlush = deferred();
    if (this.flushTimer === null && !this.closed) {
      this.flushTimer = this.clock.setTimeout(() => {
        this.flushTimer = null;
        this.requestWrite().catch(() => this.scheduleFlush());
      }, this.flushIntervalMs);
    }
    return this.pendingFlush.promise;
  }

  /** Writes the whole queue now (after any write under way); concurrent callers share one write. */
  private requestWrite(): Promise<void> {
    if (this.queuedWrite !== null) return this.queuedWrite;
    const previous = this.writing ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        this.queuedWrite = null;
        const flush = this.pendingFlush;
        this.pendingFlush = null;
        this.clearTimer('flushTimer');
        const write = this.db.write();
        this.writing = write;
        try {
          await write;
          flush?.resolve();
        } catch (error) {
          flush?.reject(error);
          throw error;
        } finally {
          if (this.writing === write) this.writing = null;
        }
      });
    this.queuedWrite = next;
    next.catch(() => undefined);
    return next;
  }

  private emit(): void {
    const before = this.snapshot;
    const status = this.status();
    if (status === before) return;
    for (const listener of this.listeners) listener(status);
  }
}
