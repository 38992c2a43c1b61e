import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { MAX_TIMER_MS, type Clock, type TimerHandle } from './clock.js';
import { readFailure, type Deliver, type DeliveryFailure } from './deliver.js';

/** What the schedule tells the engine. */
export interface ScheduleHooks {
  /** The wait is over (its timer ran out, or the server answered again): deliveries may start. */
  resume: () => void;
  /** Something the status shows changed (a probe left or failed). */
  changed: () => void;
}

/** The schedule's part of the status (see `summarize`). */
export interface ScheduleFacts {
  offline: boolean;
  untrusted: boolean;
  retryAt: number | null;
  probeAt: number | null;
  failureStreak: number;
  lastError: string | null;
}

/**
 * When the engine tries again after a failure: a backoff wait before the next delivery, or
 * offline mode, where nothing is sent and only a cheap probe asks, now and then, whether the
 * server is back. It keeps the failure streak and the last error the status shows.
 */
export class RetrySchedule {
  private failureStreak = 0;
  private lastError: string | null = null;
  private offlineNow = false;
  /** The offline state came from a certificate the system does not trust. */
  private untrusted = false;
  private retryAt: number | null = null;
  private retryTimer: TimerHandle | null = null;
  private probeTimer: TimerHandle | null = null;
  private probeController: AbortController | null = null;
  private probeAt: number | null = null;
  /** The probe under way was asked for by the user (`r`): its failure does not lengthen the backoff. */
  private probeIsManual = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly backoff: BackoffPolicy,
    private readonly server: Pick<Deliver, 'probe'>,
    private readonly hooks: ScheduleHooks,
  ) {}

  /** Offline mode: nothing is sent, only probes. */
  get offline(): boolean {
    return this.offlineNow;
  }

  /** Offline, or in a backoff wait: no delivery may start. */
  get waiting(): boolean {
    return this.offlineNow || this.retryAt !== null;
  }

  facts(): ScheduleFacts {
    return {
      offline: this.offlineNow,
      untrusted: this.untrusted,
      retryAt: this.retryAt,
      probeAt: this.probeAt,
      failureStreak: this.failureStreak,
      lastError: this.lastError,
    };
  }

  /** Something went through (or the user signed in again): the streak and its error are over. */
  resetFailures(): void {
    this.failureStreak = 0;
    this.lastError = null;
  }

  /** An error to show that starts no wait of the schedule's (a sign-in that expired). */
  noteError(message: string): void {
    this.lastError = message;
  }

  /** Ends a backoff wait now. */
  cancelRetry(): void {
    this.clearRetryTimer();
    this.retryAt = null;
  }

  /** A probe now, on top of the schedule: if it fails, the next one stays where it was. */
  probeNow(): void {
    if (this.probeController === null) {
      this.probeIsManual = true;
      this.runProbe();
    }
  }

  /** The server answered: offline mode ends and the queue drains at once. */
  endOffline(): void {
    this.clearProbeTimer();
    // A probe still under way is moot: its late answer must not clear a failure that comes after this.
    this.probeController?.abort();
    this.probeController = null;
    this.offlineNow = false;
    this.untrusted = false;
    this.failureStreak = 0;
    this.lastError = null;
    this.hooks.resume();
  }

  /**
   * A delivery failed, but not for good: starts a backoff wait, or offline mode with its probes,
   * unless one is already under way. Returns when the next try is due.
   */
  failed(failure: DeliveryFailure, now: number): number {
    this.lastError = failure.message;
    const alreadyWaiting = this.offlineNow || this.retryAt !== null;
    if (failure.offline) this.untrusted = failure.untrusted;
    if (!alreadyWaiting) {
      this.failureStreak += 1;
      const delay = this.nextDelay(failure.retryAfterMs);
      const at = now + delay;
      if (failure.offline) {
        this.offlineNow = true;
        this.scheduleProbe(at);
      } else {
        this.retryAt = at;
        this.retryTimer = this.clock.setTimeout(() => {
          this.retryTimer = null;
          this.retryAt = null;
          this.hooks.resume();
        }, delay);
      }
    } else if (failure.offline && !this.offlineNow) {
      this.clearRetryTimer();
      this.offlineNow = true;
      this.scheduleProbe(this.retryAt ?? now);
      this.retryAt = null;
    }
    return this.offlineNow ? (this.probeAt ?? now) : (this.retryAt ?? now);
  }

  /** No more waits nor probes (the engine closed); a probe under way is aborted. */
  stop(): void {
    this.stopped = true;
    this.clearRetryTimer();
    this.clearProbeTimer();
    this.probeController?.abort();
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

  private clearRetryTimer(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearProbeTimer(): void {
    if (this.probeTimer !== null) this.clock.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.probeAt = null;
  }

  private scheduleProbe(at: number): void {
    this.clearProbeTimer();
    this.probeAt = at;
    this.probeTimer = this.clock.setTimeout(() => {
      this.probeTimer = null;
      this.probeAt = null;
      this.runProbe();
    }, Math.min(MAX_TIMER_MS, at - this.clock.now()));
  }

  private runProbe(): void {
    if (this.probeController !== null || this.stopped) return;
    const controller = new AbortController();
    this.probeController = controller;
    const manual = this.probeIsManual;
    this.probeIsManual = false;
    if (!manual) this.probeAt = null;
    Promise.resolve()
      .then(() => this.server.probe(controller.signal))
      .then(
        () => {
          if (this.probeController !== controller) return;
          this.probeController = null;
          if (this.stopped || !this.offlineNow) return;
          this.endOffline();
        },
        (error: unknown) => {
          if (this.probeController !== controller) return;
          this.probeController = null;
          if (this.stopped || !this.offlineNow) return;
          const failure = readFailure(error);
          this.lastError = failure.message;
          this.untrusted = failure.untrusted;
          // A probe the user asked for leaves the schedule as it was: pressing r never makes the wait longer.
          if (!manual || this.probeTimer === null) {
            this.failureStreak += 1;
            this.scheduleProbe(this.clock.now() + this.nextDelay(failure.retryAfterMs));
          }
          this.hooks.changed();
        },
      );
    this.hooks.changed();
  }
}
