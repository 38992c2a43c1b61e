/**
 * Where the current file's playback is, as mpv reports it: position, duration, pause, a seek
 * under way until mpv restarts playback, and the events that say so (throttled `tick`s,
 * `pause`, `resume`, `seek`).
 */
import type { PlayerEvent } from './events.js';
import { MpvIpcClosedError } from './ipc.js';
import { TickThrottle } from './tick-throttle.js';

const CLOSED = Symbol('closed');

export class Progress {
  positionSeconds: number;
  durationSeconds: number | undefined;
  paused = false;
  /** The first frame of the current file has played. */
  playing = false;
  private seeking = false;
  private seekGeneration = 0;
  private seekPending = false;
  private readonly ticks: TickThrottle;

  /** `over` tells whether the playback has ended (nothing more is said then); `emit` passes events on. */
  constructor(
    startSeconds: number,
    tickIntervalMs: number,
    private readonly over: () => boolean,
    private readonly emit: (event: PlayerEvent) => void,
  ) {
    this.ticks = new TickThrottle(
      tickIntervalMs,
      () => ({ positionSeconds: this.positionSeconds, durationSeconds: this.durationSeconds, paused: this.paused, live: this.playing && !this.over() && !this.seekPending }),
      (tick) => this.emit({ type: 'tick', ...tick }),
    );
    this.positionSeconds = startSeconds;
  }

  /** Playback is set up: ticks may go out (see {@link TickThrottle.start}). */
  start(): void {
    this.ticks.start();
  }

  /** No more ticks. */
  stop(): void {
    this.ticks.stop();
  }

  /** One of the observed properties this follows (`time-pos`, `duration`, `seeking`, `pause`) changed. */
  observe(name: 'time-pos' | 'duration' | 'seeking' | 'pause', data: unknown): void {
    switch (name) {
      case 'time-pos':
        if (typeof data !== 'number') return;
        this.positionSeconds = data;
        if (this.playing && !this.seekPending && !this.seeking) this.ticks.schedule();
        return;
      case 'duration':
        if (typeof data === 'number') this.durationSeconds = data;
        return;
      case 'seeking':
        this.seeking = data === true;
        return;
      case 'pause':
        if (typeof data !== 'boolean' || data === this.paused) return;
        this.paused = data;
        if (this.playing && !this.over()) this.emit({ type: data ? 'pause' : 'resume', positionSeconds: this.positionSeconds });
        return;
    }
  }

  /** mpv's `seek` event: a seek began (a playback-restart ends it). */
  seekStarted(): void {
    if (this.playing) {
      this.seekGeneration++;
      this.seekPending = true;
      this.ticks.cancel();
    }
  }

  /**
   * The first restart is the start of playback; later ones end a seek. Reads the position afresh
   * through `readPosition`; `started` hears of the start of playback.
   */
  restarted(readPosition: () => Promise<unknown>, started: () => void): void {
    if (this.over()) return;
    const first = !this.playing;
    if (!first && !this.seekPending) return;
    const generation = this.seekGeneration;
    void readPosition().then(
      (value: unknown) => value,
      // "property unavailable" and the like: go on with the last known position. If mpv went
      // away, the end is handled elsewhere.
      (error: unknown) => (error instanceof MpvIpcClosedError ? CLOSED : undefined),
    ).then(
      (value) => {
        if (value === CLOSED || this.over() || generation !== this.seekGeneration) return;
        if (typeof value === 'number') this.positionSeconds = value;
        if (first) {
          this.playing = true;
          this.ticks.tick(true);
          started();
          return;
        }
        this.seekPending = false;
        this.emit({ type: 'seek', positionSeconds: this.positionSeconds });
        this.ticks.told(this.positionSeconds);
      },
    );
  }

  /** The file ended and mpv may go on to another: nothing plays meanwhile. */
  fileEnded(): void {
    this.playing = false;
    this.ticks.cancel();
  }

  /** Another file begins, at `startSeconds`. */
  newFile(startSeconds: number): void {
    this.positionSeconds = startSeconds;
    this.durationSeconds = undefined;
    this.playing = false;
    this.seeking = false;
    this.seekPending = false;
    this.seekGeneration++;
    this.ticks.cancel(true);
  }
}
