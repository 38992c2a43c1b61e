/**
 * Where the current file's playback is, as mpv reports it: position, duration, pause, a seek
 * under way until mpv restarts playback, and the events that say so (throttled `tick`s,
 * `pause`, `resume`, `seek`). A seek reelterm asked for counts from the moment it is asked: its
 * target is the position (a stop or a crash right after it saves where the viewer went), and
 * playback is not settled until mpv has played on from it.
 *
 * The position is read from mpv once a second while a file plays, just after each whole
 * second ({@link POSITION_READ_MS}), and where a pause stopped; it is not followed: mpv reports
 * `time-pos` on every frame, 24 to 60 messages a second for a film, each of them a socket read,
 * a parse and a check here, which made most of reelterm's CPU while a film played. The screen shows whole seconds and reports go every few seconds; a stop or a
 * crash saves a position at most a second old (a seek's target at once, as above).
 */
import type { PlayerEvent } from './events.js';
import { MpvIpcClosedError } from './ipc.js';
import { TickThrottle } from './tick-throttle.js';

const CLOSED = Symbol('closed');

/** How often mpv's position is read while a file plays at normal speed; at `--speed=N`, N times as often. */
const POSITION_READ_MS = 1000;
/** The most often it is read, whatever the speed. */
const FASTEST_READ_MS = 20;
/** How long after the position should have passed a whole second it is read (timers and mpv's answer take a little). */
const PAST_THE_SECOND_MS = 30;

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
  /** Reads mpv's `time-pos` (given at {@link start}). */
  private readPosition: (() => Promise<unknown>) | undefined;
  private readTimer: NodeJS.Timeout | undefined;
  private reading = false;
  /** mpv's playback speed (its `speed` property). */
  private speed = 1;

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

  /** Playback is set up: ticks may go out (see {@link TickThrottle.start}), and the position is read through `readPosition` while a file plays. */
  start(readPosition?: () => Promise<unknown>): void {
    this.ticks.start();
    this.readPosition = readPosition;
    this.scheduleRead();
  }

  /** No more ticks, no more reads. */
  stop(): void {
    this.ticks.stop();
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
    this.release();
  }

  /**
   * The next read of the position: just after the position passes its next whole second (the
   * screen shows whole seconds: each one is shown, none skipped), so about once a second, N
   * times as often at `--speed=N`; once a second while nothing plays (paused, loading).
   */
  private scheduleRead(): void {
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
    if (this.readPosition === undefined || this.over()) return;
    const moving = this.playing && !this.paused;
    const untilNextSecond = (Math.floor(this.positionSeconds) + 1 - this.positionSeconds) * POSITION_READ_MS;
    const wait = moving ? untilNextSecond / this.speed + PAST_THE_SECOND_MS : POSITION_READ_MS;
    this.readTimer = setTimeout(() => this.readNow(), Math.round(Math.min(POSITION_READ_MS, Math.max(FASTEST_READ_MS, wait))));
    this.readTimer.unref();
  }

  /**
   * Reads mpv's position now, while a file plays with no seek under way (paused too when
   * `paused` is true: the position a pause stopped at), then schedules the next read. An answer
   * from before a seek or another file began since is dropped; one read at a time.
   */
  private readNow(paused = false): void {
    if (this.reading) return;
    if (this.readPosition === undefined || !this.playing || (this.paused && !paused) || this.seeking || this.seekPending || this.asked !== undefined || this.over()) {
      this.scheduleRead();
      return;
    }
    const generation = this.seekGeneration;
    this.reading = true;
    this.readPosition().then(
      (value) => {
        this.reading = false;
        // (an answer after the end changes nothing: the end has its position)
        if (generation === this.seekGeneration && !this.over()) this.observe('time-pos', value);
        this.scheduleRead();
      },
      // (mpv going away ends the playback elsewhere; a slow answer is read again next time)
      () => {
        this.reading = false;
        this.scheduleRead();
      },
    );
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

  /** One of the properties this follows (`duration`, `seeking`, `pause`, `speed`) changed, or `time-pos` was read. */
  observe(name: 'time-pos' | 'duration' | 'seeking' | 'pause' | 'speed', data: unknown): void {
    switch (name) {
      case 'speed':
        if (typeof data !== 'number' || !(data > 0) || data === this.speed) return;
        this.speed = data;
        this.scheduleRead();
        return;
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
        // Where the pause stopped, to the frame (the keepalives while paused and the screen say it);
        // from a resume, the seconds as they pass again.
        if (data) this.readNow(true);
        else this.scheduleRead();
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
          // (the reads from here: just after each whole second from this position)
          this.scheduleRead();
          this.ticks.tick(true);
          started();
          this.wake();
          return;
        }
        this.seekPending = false;
        this.scheduleRead();
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
