import { log } from '../log.js';
import type { PlayerEvent, TrackRef } from './events.js';
import { MpvNotFoundError, MpvStartError, MpvTooOldError } from './errors.js';
import { Diagnostics } from './diagnostics.js';
import { cutShortSentence } from './failure-text.js';
import { judgeFileEnd } from './end-of-file.js';
import { Ending } from './ending.js';
import { MpvIpc, MpvIpcClosedError, type MpvCommand, type MpvEvent } from './ipc.js';
import { LaunchGuard, startMpv } from './launch.js';
import { EventRelay } from './event-relay.js';
import { delay, MpvProcess, QUIT_GRACE_MS } from './mpv-process.js';
import { Playlist } from './playlist.js';
import { Progress } from './progress.js';
import type { MpvTrack } from './track-list.js';
import { Tracks } from './tracks.js';
import type { PlayerEndEvent, PlayerEntry, PlayerOptions, PlayerState } from './options.js';

export type { PlayerEndEvent, PlayerEndReason, PlayerEntry, PlayerOptions, PlayerState, SubtitleFile } from './options.js';

const DEFAULT_TICK_INTERVAL_MS = 500;
const CONTROL_TIMEOUT_MS = 5000;
/** How long after accepting a seek mpv may take to begin it before it is taken as not done. */
const UNBEGUN_SEEK_MS = 2000;

/**
 * One mpv process playing one stream, driven over JSON IPC. Emits throttled `tick`s, `pause`,
 * `resume` and `seek` as the user acts in mpv or through the controls, and exactly one `end`
 * (`eof`, `stop`, `quit`, `error` or `crash`), after which mpv is gone.
 */
export class Player {
  /** mpv's process id. */
  readonly pid: number;
  /** Resolves with the `end` event (never rejects). */
  readonly ended: Promise<PlayerEndEvent>;

  private readonly process: MpvProcess;
  private readonly ipc: MpvIpc;
  private readonly events = new EventRelay<PlayerEvent>();
  private resolveEnded!: (event: PlayerEndEvent) => void;

  private readonly launching = new LaunchGuard();
  private readonly playlist: Playlist;
  private readonly progress: Progress;
  private readonly tracks = new Tracks({
    control: (command) => this.control(command),
    getProperty: (name) => this.getProperty(name),
    settled: () => this.progress.settled(),
  });
  private readonly diagnostics: Diagnostics;
  private readonly ending: Ending;
  private detachSignal: (() => void) | undefined;

  private constructor(options: PlayerOptions) {
    this.playlist = new Playlist(options);
    this.progress = new Progress(
      options.startSeconds ?? 0,
      Math.max(1, options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS),
      () => this.ending.over,
      (event) => this.emit(event),
    );
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.process = MpvProcess.spawn(options, {
      exit: () => {
        this.launching.fail(new MpvIpcClosedError([]));
        this.settleEnd();
      },
      error: (error: Error) => this.launching.fail(error),
    });
    this.pid = this.process.pid;
    this.ipc = new MpvIpc(this.process.channel, { defaultTimeoutMs: CONTROL_TIMEOUT_MS });
    this.diagnostics = new Diagnostics((name) => this.getProperty(name), options.env ?? process.env);
    this.ending = new Ending(this.process, this.ipc, {
      where: () => ({ positionSeconds: this.progress.positionSeconds, durationSeconds: this.progress.durationSeconds }),
      failure: () => this.diagnostics.failure(this.progress.playing),
      ended: (end) => {
        this.progress.stop();
        this.detachSignal?.();
        this.emit(end);
        this.resolveEnded(end);
      },
    });
    this.ipc.on('event', (event) => this.handleEvent(event));
    this.ipc.on('close', () => this.settleEnd());
  }

  /**
   * Starts mpv, checks its version, configures it over IPC and loads `url`. Resolves once mpv
   * has accepted the file (playback events follow); rejects with {@link MpvNotFoundError},
   * {@link MpvTooOldError} or {@link MpvStartError} (mpv is then gone), or the abort reason.
   * Bounded by `launchTimeoutMs` (plus up to 1.5 s to collect mpv's last words when it exits).
   */
  static async launch(options: PlayerOptions): Promise<Player> {
    options.signal?.throwIfAborted();
    const player = new Player(options);
    try {
      await player.start(options);
    } catch (error) {
      player.dispose();
      throw error;
    }
    return player;
  }

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: PlayerEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** The playback as last reported. */
  state(): PlayerState {
    return {
      positionSeconds: this.progress.positionSeconds,
      durationSeconds: this.progress.durationSeconds,
      paused: this.progress.paused,
      title: this.playlist.currentEntry.title,
      ended: this.ending.over,
      ...(this.ending.error !== undefined ? { error: this.ending.error } : {}),
    };
  }

  /** Pauses (nothing happens once playback has ended). */
  async pause(): Promise<void> {
    await this.control(['set_property', 'pause', true]);
  }

  /** Resumes (nothing happens once playback has ended). */
  async resume(): Promise<void> {
    await this.control(['set_property', 'pause', false]);
  }

  /** Pauses or resumes. */
  async togglePause(): Promise<void> {
    await this.control(['cycle', 'pause']);
  }

  /**
   * Seeks by `seconds` (relative, may be negative) or to `seconds` (absolute). A `seek` event
   * follows. The target counts as the position at once: a stop or a crash before mpv got there
   * ends at it.
   */
  async seek(seconds: number, mode: 'relative' | 'absolute' = 'relative'): Promise<void> {
    if (!Number.isFinite(seconds)) throw new RangeError(`seek needs a finite number of seconds, got ${seconds}`);
    if (this.ending.over) return;
    const undo = this.progress.seekAsked(seconds, mode);
    try {
      await this.control(['seek', seconds, mode]);
    } catch (error) {
      undo?.();
      throw error;
    }
    // mpv begins a seek it accepted at once; one it never begins (a stream it cannot seek in) is forgotten.
    if (undo !== undefined) setTimeout(undo, UNBEGUN_SEEK_MS).unref();
  }

  /**
   * Ends the playback (one `end` with reason `stop`, at the last known position, unless it had
   * already ended) and makes mpv quit; it is killed if still there after 2 s. Resolves once the
   * process is gone; the `end` event is in {@link ended}.
   */
  async stop(): Promise<void> {
    this.ending.stopRequested = true;
    this.ending.finish('stop');
    await Promise.race([this.process.exited, delay(QUIT_GRACE_MS + 1000)]);
  }

  /** Which playlist entry plays (0 is the first file). */
  get index(): number {
    return this.playlist.current;
  }

  /**
   * Goes on to the next file of the playlist (a `next` event with reason `skip` follows).
   * Resolves false, doing nothing, on the last one.
   */
  async next(): Promise<boolean> {
    return this.playlist.skip(this.playlist.current + 1, this.ending.over, () => this.control(['playlist-next']));
  }

  /** Goes back to the previous file of the playlist; false, doing nothing, on the first. */
  async previous(): Promise<boolean> {
    return this.playlist.skip(this.playlist.current - 1, this.ending.over, () => this.control(['playlist-prev']));
  }

  /**
   * Sets an entry's subtitle files and track choice, known only after launch (e.g. fetched when
   * the file starts): applied when its file loads, or at once if it is loaded and playing.
   */
  configureEntry(index: number, tracks: Pick<PlayerEntry, 'subtitleFiles' | 'audio' | 'subtitle'>): void {
    const entry = this.playlist.entries[index];
    if (entry === undefined) return;
    Object.assign(entry, tracks);
    if (index === this.playlist.current && this.tracks.loaded && !this.ending.over) void this.tracks.setUp(entry);
  }

  /** The tracks mpv has for the current file. */
  trackList(): MpvTrack[] {
    return this.tracks.list;
  }

  /**
   * Selects an audio or subtitle track (null: subtitles off). Resolves false when the current
   * file has no such track. A `tracks` event follows when the selection changes.
   */
  async selectTrack(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean> {
    return this.tracks.choose(kind, ref);
  }

  /** Reads an mpv property (for diagnostics and tests). */
  getProperty(name: string): Promise<unknown> {
    return this.ipc.getProperty(name, { timeoutMs: CONTROL_TIMEOUT_MS });
  }

  private async control(command: MpvCommand): Promise<void> {
    if (this.ending.over || this.ipc.closed) return;
    try {
      await this.ipc.command(command, { timeoutMs: CONTROL_TIMEOUT_MS });
    } catch (error) {
      // Racing the end (the user closed mpv as they pressed a key) is not an error.
      if (this.ending.over || error instanceof MpvIpcClosedError) return;
      throw error;
    }
  }

  /** Launches the playlist (see {@link startMpv}); once mpv has it, the abort signal stops it and ticks begin. */
  private async start(options: PlayerOptions): Promise<void> {
    this.playlist.identify(await startMpv(this.process, this.ipc, this.playlist.entries, options, this.launching));
    if (options.signal !== undefined) {
      const signal = options.signal;
      const onStopAbort = () => void this.stop();
      signal.addEventListener('abort', onStopAbort, { once: true });
      this.detachSignal = () => signal.removeEventListener('abort', onStopAbort);
    }
    this.progress.start(() => this.getProperty('time-pos'));
  }

  private handleEvent(event: MpvEvent): void {
    switch (event.event) {
      case 'property-change':
        this.handleProperty(String(event.name), event.data);
        return;
      case 'start-file':
        this.diagnostics.newFile();
        this.tracks.loaded = false;
        this.handleStartFile(event.playlist_entry_id);
        return;
      case 'file-loaded': {
        this.tracks.loaded = true;
        const entry = this.playlist.entries[this.playlist.current];
        if (entry !== undefined && !this.ending.over) void this.tracks.setUp(entry);
        return;
      }
      case 'log-message':
        this.diagnostics.hear(event);
        return;
      case 'seek':
        this.progress.seekStarted();
        return;
      case 'playback-restart':
        this.progress.restarted(() => this.getProperty('time-pos'), () => this.playbackStarted());
        return;
      case 'end-file':
        this.handleEndFile(event);
        return;
    }
  }

  private handleProperty(name: string, data: unknown): void {
    switch (name) {
      case 'duration':
      case 'seeking':
      case 'pause':
      case 'speed':
        this.progress.observe(name, data);
        return;
      case 'eof-reached':
        // With keep-open in the user's config, mpv stays on the last frame instead of ending the
        // last file (earlier files of a playlist still end, with an end-file).
        if (data === true && this.progress.playing && this.playlist.onLast) this.ending.finish('eof');
        return;
      case 'idle-active':
        // mpv went idle after the current file ended: nothing follows.
        if (data === true && this.playlist.between !== undefined) this.finishBetween();
        return;
      case 'track-list':
        this.tracks.update(data);
        this.reportTracks();
        return;
    }
  }

  private handleEndFile(event: MpvEvent): void {
    const judged = judgeFileEnd(event, {
      entryId: this.playlist.entryId,
      playing: this.progress.playing,
      positionSeconds: this.progress.positionSeconds,
      durationSeconds: this.progress.durationSeconds,
      skipRequested: this.playlist.skipRequested,
      stopRequested: this.ending.stopRequested,
      current: this.playlist.current,
      count: this.playlist.entries.length,
    });
    if (event.reason === 'error' && judged.act !== 'error') log.debug('mpv ended the file as an error for a missing output; taken as its end', { fileError: event.file_error });
    switch (judged.act) {
      case 'cut-short':
        this.ending.error = cutShortSentence(this.progress.positionSeconds, this.progress.durationSeconds!);
        this.ending.finish('error');
        return;
      case 'end':
        this.ending.finish(judged.reason);
        return;
      case 'between':
        this.playlist.between = { reason: judged.reason, positionSeconds: this.progress.positionSeconds, durationSeconds: this.progress.durationSeconds };
        this.progress.fileEnded();
        return;
      case 'error':
        // mpv 0.35 does not order log messages with other events: the lines saying why can
        // arrive just after the end-file. Give them a moment.
        if (this.ending.failing) return;
        if (judged.fileError !== undefined) this.diagnostics.noteFileError(judged.fileError);
        this.ending.failSoon();
        return;
      case 'ignore':
        return;
    }
  }

  /** The first file plays: says soon whether mpv can be seen and heard (an `outputs` event when not). */
  private playbackStarted(): void {
    this.diagnostics.checkOutputsSoon(
      () => ({ tracks: this.tracks.list, ended: this.ending.over }),
      (outputs) => this.emit({ type: 'outputs', ...outputs }),
    );
  }

  /** mpv started another file of the playlist: the one before ended, this one begins. */
  private handleStartFile(entryId: unknown): void {
    // A file that failed ends the whole playback (see handleEndFile), even if mpv goes on.
    if (typeof entryId !== 'number' || this.ending.over || this.ending.failing) return;
    const moved = this.playlist.moveTo(entryId);
    if (moved === undefined) return;
    const { index } = moved;
    const ended = moved.ended ?? { reason: 'skip' as const, positionSeconds: this.progress.positionSeconds, durationSeconds: this.progress.durationSeconds };
    this.progress.newFile(this.playlist.entries[index]?.startSeconds ?? 0);
    this.emit({
      type: 'next',
      index,
      reason: ended.reason,
      positionSeconds: ended.positionSeconds,
      ...(ended.durationSeconds !== undefined ? { durationSeconds: ended.durationSeconds } : {}),
    });
  }

  /** The file ended and mpv went idle instead of playing another: the playback is over. */
  private finishBetween(): void {
    const ended = this.playlist.between;
    if (ended === undefined) return;
    this.playlist.between = undefined;
    this.progress.positionSeconds = ended.positionSeconds;
    this.ending.finish(ended.reason === 'eof' ? 'eof' : 'stop');
  }

  /** Emits `tracks` when the selected audio or subtitle track changed. */
  private reportTracks(): void {
    if (this.ending.over) return;
    const selection = this.tracks.changedSelection();
    if (selection !== undefined) this.emit({ type: 'tracks', audio: selection.audio, subtitle: selection.subtitle });
  }

  /** mpv's process exited or its IPC closed (see {@link Ending.settle}). */
  private settleEnd(): void {
    if (this.launching.running) return; // the launch reports it
    this.ending.settle();
  }

  /** A launch failed: kill mpv without any event. */
  private dispose(): void {
    this.ending.event ??= { type: 'end', reason: 'error', positionSeconds: this.progress.positionSeconds };
    this.progress.stop();
    this.process.kill();
    this.ipc.close();
  }

  private emit(event: PlayerEvent): void {
    this.events.emit(event);
  }
}
