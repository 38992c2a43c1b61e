import { MAX_TIMER_MS, type Clock } from './clock.js';
import type { SettleResult } from './outbox-types.js';

interface SettleWaiter {
  itemId: string | undefined;
  finish: (settled: boolean, reason?: SettleResult['reason']) => void;
}

/**
 * The callers of `settle()` waiting for the queue (or one item of it) to empty. Each wait ends
 * when nothing it waits for is left, when sending pauses until a sign-in, at its timeout, or on
 * close; it then reports what is still queued, as `pending` counts it.
 */
export class SettleWaiters {
  private readonly waiters = new Set<SettleWaiter>();

  constructor(
    private readonly clock: Clock,
    /** This account's queued ops, for one item or all. */
    private readonly pending: (itemId: string | undefined) => number,
    /** A wait began: held progress may go at once. */
    private readonly began: () => void,
  ) {}

  /** Someone waits: queued progress then goes without waiting for its cadence. */
  get any(): boolean {
    return this.waiters.size > 0;
  }

  /** Waits until `check` finds nothing for `itemId` (or nothing at all) queued, or `timeoutMs` passes. */
  wait(itemId: string | undefined, timeoutMs: number): Promise<SettleResult> {
    return new Promise((resolve) => {
      // This one timer keeps the process alive: a command awaiting the sync must not end while
      // the engine waits in backoff (its own timers never hold the process).
      const timer = this.clock.setTimeout(() => waiter.finish(false, 'timeout'), Math.min(timeoutMs, MAX_TIMER_MS), { keepAlive: true });
      const waiter: SettleWaiter = {
        itemId,
        finish: (settled, reason) => {
          this.clock.clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve({ settled, pending: this.pending(itemId), ...(reason ? { reason } : {}) });
        },
      };
      this.waiters.add(waiter);
      this.began();
    });
  }

  /** Ends the waits that are over: nothing left to wait for, or nothing can land until a sign-in. */
  check(authPaused: boolean): void {
    for (const waiter of [...this.waiters]) {
      if (this.pending(waiter.itemId) === 0) waiter.finish(true);
      else if (authPaused) waiter.finish(false, 'auth');
    }
  }

  /** Ends every wait unsettled (the engine closed). */
  closeAll(): void {
    for (const waiter of [...this.waiters]) waiter.finish(false, 'closed');
  }
}
