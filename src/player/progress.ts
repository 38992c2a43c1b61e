/**
 * Where the current file's playback is, as mpv reports it: position, duration, pause, a seek
 * under way until mpv restarts playback, and the events that say so (throttled `tick`s,
 * `pause`, `resume`, `seek`). A seek reelterm asked for counts from the moment it is asked: its
 * target is the position (a stop or a crash right after it saves where the viewer went), and
 * playback is not settled until mpv has played on from it.
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
  /** A seek asked of mpv that mpv has not begun (no `seek` event yet); `positionSeconds` is its target meanwhile. */
  private asked: object | undefined;
  /** Waiting for playback to be settled (see {@link settled}). */
  private waiters: Array<(settled: boolean) => void> = [];
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
    this.release();
  }

  /**
   * Resolves true once the current file plays with no seek under way (it has restarted after
   * loading and after the last seek), false if the file or the playback ends first. mpv 0.35
   * can stay seeking for good when a track is switched while it seeks in a network stream.
   */
  settled(): Promise<boolean> {
    if (this.over()) return Promise.resolve(false);
    if (this.isSettled) return Promise.resolve(true);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * reelterm asks mpv to seek (relative to the target of a seek asked before, as mpv adds them
   * up): the target is the position from now on, until mpv says otherwise. Returns the undo for
   * a seek mpv refused; undefined when nothing plays (the seek is mpv's alone then).
   */
  seekAsked(seconds: number, mode: 'relative' | 'absolute'): (() => void) | undefined {
    if (!this.playing || this.over()) return undefined;
    const from = this.positionSeconds;
    const target = mode === 'absolute' ? seconds : from + seconds;
    this.positionSeconds = Math.max(0, Math.min(target, this.durationSeconds ?? Infinity));
    const asked = {};
    this.asked = asked;
    this.seekGeneration++;
    this.seekPending = true;
    this.ticks.cancel();
    return () => {
      if (this.asked !== asked) return;
      this.asked = undefined;
      this.seekPending = false;
      this.positionSeconds = from;
      this.wake();
    };
  }

  /** One of the observed properties this follows (`time-pos`, `duration`, `seeking`, `pause`) changed. */
  observe(name: 'time-pos' | 'duration' | 'seeking' | 'pause', data: unknown): void {
    switch (name) {
      case 'time-pos':
        // Until mpv begins a seek reelterm asked for, its positions are from before it.
        if (typeof data !== 'number' || this.asked !== undefined) return;
        this.positionSeconds = data;
        if (this.playing && !this.seekPending && !this.seeking) this.ticks.schedule();
        return;
      case 'duration':
        if (typeof data === 'number') this.durationSeconds = data;
        return;
      case 'seeking':
        this.seeking = data === true;
        this.wake();
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
    this.asked = undefined;
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
    // (a restart from before mpv began the seek asked since)
    if ((!first && !this.seekPending) || this.asked !== undefined) return;
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
          this.wake();
          return;
        }
        this.seekPending = false;
        this.emit({ type: 'seek', positionSeconds: this.positionSeconds });
        this.ticks.told(this.positionSeconds);
        this.wake();
      },
    );
  }

  /** The file ended and mpv may go on to another: nothing plays meanwhile. */
  fileEnded(): void {
    this.playing = false;
    this.asked = undefined;
    this.ticks.cancel();
    this.release();
  }

  /** Another file begins, at `startSeconds`. */
  newFile(startSeconds: number): void {
    this.positionSeconds = startSeconds;
    this.durationSeconds = undefined;
    this.playing = false;
    this.seeking = false;
    this.seekPending = false;
    this.asked = undefined;
    this.seekGeneration++;
    this.ticks.cancel(true);
    this.release();
  }

  private get isSettled(): boolean {
    return this.playing && !this.seeking && !this.seekPending && this.asked === undefined;
  }

  /** Tells the waiters that playback is settled, once it is. */
  private wake(): void {
    if (!this.isSettled || this.over()) return;
    this.answer(true);
  }

  /** The file or the playback ended: it will not settle for those waiting. */
  private release(): void {
    this.answer(false);
  }

  private answer(settled: boolean): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(settled);
  }
}
