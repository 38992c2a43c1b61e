/** While nothing changes (paused), a tick still goes out this often so the server keeps the session. */
export const KEEPALIVE_MS = 10_000;

/** What a tick says, read when it goes out. */
export interface TickState {
  positionSeconds: number;
  durationSeconds: number | undefined;
  paused: boolean;
  /** Ticks may go now: playing, not ended, no seek waiting for mpv's answer. */
  live: boolean;
}

/**
 * A tick due this soon goes at once: the position is read about once a second, and a tick held
 * for the last few milliseconds of its interval would cost a wake-up of its own each second.
 */
const EARLY_FRACTION = 0.1;

/**
 * At most one `tick` per interval (give or take a tenth), only when the position or pause
 * changed, and one {@link KEEPALIVE_MS} after the last while nothing changes (so the server
 * keeps the session). Nothing wakes the process in between.
 */
export class TickThrottle {
  private lastAt = 0;
  private lastPosition = Number.NaN;
  private lastPaused = false;
  private timer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly state: () => TickState,
    private readonly send: (tick: { positionSeconds: number; durationSeconds?: number; paused: boolean }) => void,
  ) {}

  /** Starts the keepalive (once playback is set up). */
  start(): void {
    this.keepaliveTimer = setTimeout(() => this.keepalive(), KEEPALIVE_MS);
    this.keepaliveTimer.unref();
  }

  /** The position moved: a tick now, or when the interval allows. */
  schedule(): void {
    if (this.timer !== undefined || !this.state().live) return;
    // (never more than the interval: a wall clock set back since the last tick would otherwise
    // hold the ticks, and the time on screen with them, for as long as it went back)
    const wait = Math.min(this.lastAt + this.intervalMs - Date.now(), this.intervalMs);
    if (wait <= this.intervalMs * EARLY_FRACTION) {
      this.tick(false);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state().live) this.tick(false);
    }, wait);
    this.timer.unref();
  }

  /** Sends a tick (unless `force` is false and nothing changed since the last). */
  tick(force: boolean): void {
    const { positionSeconds, durationSeconds, paused } = this.state();
    if (!force && positionSeconds === this.lastPosition && paused === this.lastPaused) return;
    this.sent();
    this.lastPosition = positionSeconds;
    this.lastPaused = paused;
    this.send({ positionSeconds, ...(durationSeconds !== undefined ? { durationSeconds } : {}), paused });
  }

  /** Something else told where playback is (a seek): the interval counts from now, from there. */
  told(positionSeconds: number): void {
    this.sent();
    this.lastPosition = positionSeconds;
  }

  /** The interval, and the keepalive's wait, count from now. */
  private sent(): void {
    this.lastAt = Date.now();
    this.keepaliveTimer?.refresh();
  }

  /** Drops a tick waiting for its slot (a seek began, a file ended); `forget` also forgets the last position (a new file). */
  cancel(forget = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (forget) this.lastPosition = Number.NaN;
  }

  /** No more ticks. */
  stop(): void {
    this.cancel();
    clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  /** {@link KEEPALIVE_MS} since the last tick (or since the last check, when ticks could not go). */
  private keepalive(): void {
    if (this.state().live) this.tick(true);
    else this.keepaliveTimer?.refresh();
  }
}
