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
 * At most one `tick` per interval, only when the position or pause changed, and one every
 * {@link KEEPALIVE_MS} while nothing changes (so the server keeps the session).
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
    this.keepaliveTimer = setInterval(() => this.keepalive(), Math.min(KEEPALIVE_MS, Math.max(this.intervalMs, 1000)));
    this.keepaliveTimer.unref();
  }

  /** The position moved: a tick now, or when the interval allows. */
  schedule(): void {
    if (this.timer !== undefined || !this.state().live) return;
    const wait = this.lastAt + this.intervalMs - Date.now();
    if (wait <= 0) {
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
    this.lastAt = Date.now();
    this.lastPosition = positionSeconds;
    this.lastPaused = paused;
    this.send({ positionSeconds, ...(durationSeconds !== undefined ? { durationSeconds } : {}), paused });
  }

  /** Something else told where playback is (a seek): the interval counts from now, from there. */
  told(positionSeconds: number): void {
    this.lastAt = Date.now();
    this.lastPosition = positionSeconds;
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
    clearInterval(this.keepaliveTimer);
  }

  private keepalive(): void {
    if (!this.state().live) return;
    if (Date.now() - this.lastAt >= KEEPALIVE_MS) this.tick(true);
  }
}
