import { log } from '../log.js';
import type { PlayerEvent, TrackRef } from './events.js';
import { isMpvTooOld, MpvNotFoundError, MpvStartError, MpvTooOldError } from './errors.js';
import { cutShortSentence, describeFailure } from './failure-text.js';
import { judgeFileEnd } from './end-of-file.js';
import { MpvIpc, MpvIpcClosedError, type MpvCommand, type MpvEvent } from './ipc.js';
import { loadCommand } from './mpv-arguments.js';
import { EventRelay } from './event-relay.js';
import { delay, MpvProcess, QUIT_GRACE_MS, SETTLE_EXIT_MS } from './mpv-process.js';
import { playerOutputs } from './outputs.js';
import { TickThrottle } from './tick-throttle.js';
import { parseTrackList, sameTrack, type MpvTrack } from './track-list.js';
import type { PlayerEndEvent, PlayerEndReason, PlayerEntry, PlayerOptions, PlayerState } from './options.js';

export type { PlayerEndEvent, PlayerEndReason, PlayerEntry, PlayerOptions, PlayerState, SubtitleFile } from './options.js';

const DEFAULT_TICK_INTERVAL_MS = 500;
const DEFAULT_LAUNCH_TIMEOUT_MS = 10_000;
const CONTROL_TIMEOUT_MS = 5000;
/** After an end-file error, how long to wait for the log lines that say why. */
const ERROR_LOG_GRACE_MS = 250;
const CLOSED = Symbol('closed');
/** The properties the player follows (events: end-file, seek, playback-restart, file-loaded…). */
const OBSERVED = ['time-pos', 'pause', 'duration', 'eof-reached', 'seeking', 'idle-active', 'track-list'] as const;


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
  private readonly entries: PlayerEntry[];
  /** mpv's playlist entry ids, to our entry index. */
  private readonly entryIndex = new Map<number, number>();
  private current = 0;
  private readonly events = new EventRelay<PlayerEvent>();
  private resolveEnded!: (event: PlayerEndEvent) => void;

  private position: number;
  private duration: number | undefined;
  private paused = false;
  private seeking = false;
  private playing = false;
  private seekGeneration = 0;
  private seekPending = false;
  private entryId: number | undefined;
  /** The current file ended and mpv may go on to another: how it ended, until start-file or idle. */
  private between: { reason: 'eof' | 'skip'; positionSeconds: number; durationSeconds: number | undefined } | undefined;
  /** `next()`/`previous()` asked mpv to move: its end-file "stop" is a skip, not the end. */
  private skipRequested = false;
  private tracks: MpvTrack[] = [];
  /** The current file is loaded (tracks can be added and selected). */
  private loaded = false;
  private selected: { audio: TrackRef | null; subtitle: TrackRef | null } | undefined;
  private endEvent: PlayerEndEvent | undefined;
  private stopRequested = false;
  private error: string | undefined;
  /** mpv's short reason on end-file ("loading failed"), used when no log line says more. */
  private fileError: string | undefined;
  private loadErrors: string[] = [];
  /** mpv said it could not open a sound device (it then plays on without sound). */
  private audioFailed = false;
  private outputsChecked = false;
  private readonly env: NodeJS.ProcessEnv;

  private readonly ticks: TickThrottle;
  private settleTimer: NodeJS.Timeout | undefined;
  private errorTimer: NodeJS.Timeout | undefined;
  private launchFailed: ((error: unknown) => void) | undefined;
  private detachSignal: (() => void) | undefined;

  private constructor(options: PlayerOptions) {
    this.env = options.env ?? process.env;
    const { next = [], ...first } = options;
    this.entries = [first, ...next.map((entry) => ({ ...entry }))];
    this.ticks = new TickThrottle(
      Math.max(1, options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS),
      () => ({ positionSeconds: this.position, durationSeconds: this.duration, paused: this.paused, live: this.playing && this.endEvent === undefined && !this.seekPending }),
      (tick) => this.emit({ type: 'tick', ...tick }),
    );
    this.position = options.startSeconds ?? 0;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.process = MpvProcess.spawn(options, {
      exit: () => {
        this.launchFailed?.(new MpvIpcClosedError([]));
        this.settleEnd();
      },
      error: (error: Error) => this.launchFailed?.(error),
    });
    this.pid = this.process.pid;
    this.ipc = new MpvIpc(this.process.channel, { defaultTimeoutMs: CONTROL_TIMEOUT_MS });
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
      positionSeconds: this.position,
      durationSeconds: this.duration,
      paused: this.paused,
      title: this.entries[this.current]!.title,
      ended: this.endEvent !== undefined,
      ...(this.error !== undefined ? { error: this.error } : {}),
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

  /** Seeks by `seconds` (relative, may be negative) or to `seconds` (absolute). A `seek` event follows. */
  async seek(seconds: number, mode: 'relative' | 'absolute' = 'relative'): Promise<void> {
    if (!Number.isFinite(seconds)) throw new RangeError(`seek needs a finite number of seconds, got ${seconds}`);
    await this.control(['seek', seconds, mode]);
  }

  /**
   * Ends the playback (one `end` with reason `stop`, at the last known position, unless it had
   * already ended) and makes mpv quit; it is killed if still there after 2 s. Resolves once the
   * process is gone; the `end` event is in {@link ended}.
   */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.finish('stop');
    await Promise.race([this.process.exited, delay(QUIT_GRACE_MS + 1000)]);
  }

  /** Which playlist entry plays (0 is the first file). */
  get index(): number {
    return this.current;
  }

  /**
   * Goes on to the next file of the playlist (a `next` event with reason `skip` follows).
   * Resolves false, doing nothing, on the last one.
   */
  async next(): Promise<boolean> {
    return this.skip(this.current + 1, 'playlist-next');
  }

  /** Goes back to the previous file of the playlist; false, doing nothing, on the first. */
  async previous(): Promise<boolean> {
    return this.skip(this.current - 1, 'playlist-prev');
  }

  /**
   * Sets an entry's subtitle files and track choice, known only after launch (e.g. fetched when
   * the file starts): applied when its file loads, or at once if it is loaded and playing.
   */
  configureEntry(index: number, tracks: Pick<PlayerEntry, 'subtitleFiles' | 'audio' | 'subtitle'>): void {
    const entry = this.entries[index];
    if (entry === undefined) return;
    Object.assign(entry, tracks);
    if (index === this.current && this.loaded && this.endEvent === undefined) void this.setUpTracks(entry);
  }

  /** The tracks mpv has for the current file. */
  trackList(): MpvTrack[] {
    return this.tracks;
  }

  /**
   * Selects an audio or subtitle track (null: subtitles off). Resolves false when the current
   * file has no such track. A `tracks` event follows when the selection changes.
   */
  async selectTrack(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean> {
    const property = kind === 'audio' ? 'aid' : 'sid';
    if (ref === null) {
      await this.control(['set_property', property, 'no']);
      return true;
    }
    const type = kind === 'audio' ? 'audio' : 'sub';
    const list = parseTrackList(await this.getProperty('track-list').catch(() => this.tracks));
    const track = list.find((candidate) => candidate.type === type && sameTrack(candidate.ref, ref));
    if (track === undefined) return false;
    await this.control(['set_property', property, track.id]);
    return true;
  }

  /** Reads an mpv property (for diagnostics and tests). */
  getProperty(name: string): Promise<unknown> {
    return this.ipc.getProperty(name, { timeoutMs: CONTROL_TIMEOUT_MS });
  }

  private async skip(to: number, command: 'playlist-next' | 'playlist-prev'): Promise<boolean> {
    // Between two files mpv is already moving on: the key is taken as done, not as "the last one".
    if (this.between !== undefined) return true;
    if (to < 0 || to >= this.entries.length || this.endEvent !== undefined) return false;
    this.skipRequested = true;
    try {
      await this.control([command]);
    } catch (error) {
      this.skipRequested = false;
      throw error;
    }
    return true;
  }

  /** Adds the entry's subtitle files and selects its tracks; a failure leaves mpv's choice. */
  private async setUpTracks(entry: PlayerEntry): Promise<void> {
    try {
      for (const file of entry.subtitleFiles ?? []) {
        await this.control(['sub-add', file.url, 'auto', file.title ?? '', file.lang ?? '']);
      }
      if (entry.audio !== undefined) await this.selectTrack('audio', entry.audio);
      if (entry.subtitle !== undefined) await this.selectTrack('subtitle', entry.subtitle);
    } catch (error) {
      log.warn('could not set up the tracks', { error });
    }
  }

  private async control(command: MpvCommand): Promise<void> {
    if (this.endEvent !== undefined || this.ipc.closed) return;
    try {
      await this.ipc.command(command, { timeoutMs: CONTROL_TIMEOUT_MS });
    } catch (error) {
      // Racing the end (the user closed mpv as they pressed a key) is not an error.
      if (this.endEvent !== undefined || error instanceof MpvIpcClosedError) return;
      throw error;
    }
  }

  private async start(options: PlayerOptions): Promise<void> {
    const deadline = Date.now() + (options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS);
    const remaining = () => ({ timeoutMs: Math.max(1, deadline - Date.now()) });
    const failed = new Promise<never>((_, reject) => {
      this.launchFailed = reject;
    });
    failed.catch(() => undefined);
    const onAbort = () => this.launchFailed?.(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const step = <T>(work: Promise<T>): Promise<T> => Promise.race([work, failed]);
    try {
      if (!this.process.spawned) await failed; // spawn failed: 'error' follows on the next tick
      const version = String(await step(this.ipc.getProperty('mpv-version', remaining())));
      if (isMpvTooOld(version)) throw new MpvTooOldError(this.process.mpvPath, version);
      log.debug('mpv is ready', { pid: this.pid, version });
      const setup: unknown[][] = [['request_log_messages', 'warn']];
      if (options.httpHeaders !== undefined && options.httpHeaders.length > 0) setup.push(['set_property', 'http-header-fields', options.httpHeaders]);
      // mpv runs them in order; sending them together saves round trips.
      await step(
        Promise.all([
          ...setup.map((command) => this.ipc.command(command, remaining())),
          ...OBSERVED.map((name) => this.ipc.observe(name, remaining())),
        ]),
      );
      const loads = this.entries.map((entry, index) => this.ipc.command(loadCommand(entry, index === 0 ? 'replace' : 'append'), remaining()));
      const loaded = await step(Promise.all(loads));
      loaded.forEach((reply, index) => {
        const entryId = (reply as { playlist_entry_id?: unknown } | undefined)?.playlist_entry_id;
        if (typeof entryId === 'number') this.entryIndex.set(entryId, index);
        if (typeof entryId === 'number' && index === 0) this.entryId = entryId;
      });
    } catch (error) {
      throw await this.process.launchError(error, options.signal);
    } finally {
      this.launchFailed = undefined;
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (options.signal !== undefined) {
      const signal = options.signal;
      const onStopAbort = () => void this.stop();
      signal.addEventListener('abort', onStopAbort, { once: true });
      this.detachSignal = () => signal.removeEventListener('abort', onStopAbort);
    }
    this.ticks.start();
  }

  private handleEvent(event: MpvEvent): void {
    switch (event.event) {
      case 'property-change':
        this.handleProperty(String(event.name), event.data);
        return;
      case 'start-file':
        this.loadErrors = [];
        this.loaded = false;
        this.handleStartFile(event.playlist_entry_id);
        return;
      case 'file-loaded': {
        this.loaded = true;
        const entry = this.entries[this.current];
        if (entry !== undefined && this.endEvent === undefined) void this.setUpTracks(entry);
        return;
      }
      case 'log-message':
        this.handleLogMessage(event);
        return;
      case 'seek':
        if (this.playing) {
          this.seekGeneration++;
          this.seekPending = true;
          this.ticks.cancel();
        }
        return;
      case 'playback-restart':
        this.handleRestart();
        return;
      case 'end-file':
        this.handleEndFile(event);
        return;
    }
  }

  private handleProperty(name: string, data: unknown): void {
    switch (name) {
      case 'time-pos':
        if (typeof data !== 'number') return;
        this.position = data;
        if (this.playing && !this.seekPending && !this.seeking) this.ticks.schedule();
        return;
      case 'duration':
        if (typeof data === 'number') this.duration = data;
        return;
      case 'seeking':
        this.seeking = data === true;
        return;
      case 'pause':
        if (typeof data !== 'boolean' || data === this.paused) return;
        this.paused = data;
        if (this.playing && this.endEvent === undefined) this.emit({ type: data ? 'pause' : 'resume', positionSeconds: this.position });
        return;
      case 'eof-reached':
        // With keep-open in the user's config, mpv stays on the last frame instead of ending the
        // last file (earlier files of a playlist still end, with an end-file).
        if (data === true && this.playing && this.current === this.entries.length - 1) this.finish('eof');
        return;
      case 'idle-active':
        // mpv went idle after the current file ended: nothing follows.
        if (data === true && this.between !== undefined) this.finishBetween();
        return;
      case 'track-list':
        this.tracks = parseTrackList(data);
        this.reportTracks();
        return;
    }
  }

  /** The first restart is the start of playback; later ones end a seek. Reads the position afresh. */
  private handleRestart(): void {
    if (this.endEvent !== undefined) return;
    const first = !this.playing;
    if (!first && !this.seekPending) return;
    const generation = this.seekGeneration;
    void this.ipc.getProperty('time-pos', { timeoutMs: CONTROL_TIMEOUT_MS }).then(
      (value: unknown) => value,
      // "property unavailable" and the like: go on with the last known position. If mpv went
      // away, the end is handled elsewhere.
      (error: unknown) => (error instanceof MpvIpcClosedError ? CLOSED : undefined),
    ).then(
      (value) => {
        if (value === CLOSED || this.endEvent !== undefined || generation !== this.seekGeneration) return;
        if (typeof value === 'number') this.position = value;
        if (first) {
          this.playing = true;
          this.ticks.tick(true);
          this.checkOutputsSoon();
          return;
        }
        this.seekPending = false;
        this.emit({ type: 'seek', positionSeconds: this.position });
        this.ticks.told(this.position);
      },
    );
  }

  private handleEndFile(event: MpvEvent): void {
    const judged = judgeFileEnd(event, {
      entryId: this.entryId,
      playing: this.playing,
      positionSeconds: this.position,
      durationSeconds: this.duration,
      skipRequested: this.skipRequested,
      stopRequested: this.stopRequested,
      current: this.current,
      count: this.entries.length,
    });
    if (event.reason === 'error' && judged.act !== 'error') log.debug('mpv ended the file as an error for a missing output; taken as its end', { fileError: event.file_error });
    switch (judged.act) {
      case 'cut-short':
        this.error = cutShortSentence(this.position, this.duration!);
        this.finish('error');
        return;
      case 'end':
        this.finish(judged.reason);
        return;
      case 'between':
        this.between = { reason: judged.reason, positionSeconds: this.position, durationSeconds: this.duration };
        this.playing = false;
        this.ticks.cancel();
        return;
      case 'error':
        // mpv 0.35 does not order log messages with other events: the lines saying why can
        // arrive just after the end-file. Give them a moment.
        if (this.errorTimer !== undefined) return;
        if (judged.fileError !== undefined) this.fileError = judged.fileError;
        this.errorTimer = setTimeout(() => this.finishWithError(), ERROR_LOG_GRACE_MS);
        this.errorTimer.unref();
        return;
      case 'ignore':
        return;
    }
  }

  /** Keeps mpv's error lines (and the warning that names an HTTP status) for the message if the file fails. */
  private handleLogMessage(event: MpvEvent): void {
    const text = String(event.text).trim();
    const prefix = String(event.prefix);
    const serious = event.level === 'error' || event.level === 'fatal';
    if (serious || /HTTP error \d{3}/i.test(text)) this.loadErrors = [...this.loadErrors, text].slice(-6);
    if (serious && (prefix === 'ao' || prefix.startsWith('ao/') || /audio (device|output|driver)/i.test(text))) this.audioFailed = true;
  }

  /**
   * Once the first file plays, says whether mpv can be seen and heard (an `outputs` event when
   * not). Asked a moment later: mpv's log lines about a device can trail the playback start.
   */
  private checkOutputsSoon(): void {
    if (this.outputsChecked) return;
    this.outputsChecked = true;
    const read = (name: string) => this.ipc.getProperty(name, { timeoutMs: CONTROL_TIMEOUT_MS }).then((value) => (typeof value === 'string' && value !== '' ? value : undefined), () => undefined);
    setTimeout(() => {
      if (this.endEvent !== undefined) return;
      void Promise.all([read('current-vo'), read('current-ao')]).then(([videoOutput, audioOutput]) => {
        if (this.endEvent !== undefined) return;
        const outputs = playerOutputs({ tracks: this.tracks, videoOutput, audioOutput, audioFailed: this.audioFailed, env: this.env, platform: process.platform });
        log.debug('mpv outputs', { videoOutput, audioOutput, audioFailed: this.audioFailed, ...outputs });
        if (!outputs.window || !outputs.sound) this.emit({ type: 'outputs', ...outputs });
      });
    }, ERROR_LOG_GRACE_MS).unref();
  }

  /** mpv started another file of the playlist: the one before ended, this one begins. */
  private handleStartFile(entryId: unknown): void {
    // A file that failed ends the whole playback (see handleEndFile), even if mpv goes on.
    if (typeof entryId !== 'number' || this.endEvent !== undefined || this.errorTimer !== undefined) return;
    const index = this.entryIndex.get(entryId);
    if (index === undefined || entryId === this.entryId) return;
    const ended = this.between ?? { reason: 'skip' as const, positionSeconds: this.position, durationSeconds: this.duration };
    this.between = undefined;
    this.skipRequested = false;
    this.current = index;
    this.entryId = entryId;
    this.position = this.entries[index]?.startSeconds ?? 0;
    this.duration = undefined;
    this.playing = false;
    this.seeking = false;
    this.seekPending = false;
    this.seekGeneration++;
    this.ticks.cancel(true);
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
    const ended = this.between;
    if (ended === undefined) return;
    this.between = undefined;
    this.position = ended.positionSeconds;
    this.finish(ended.reason === 'eof' ? 'eof' : 'stop');
  }

  /** Emits `tracks` when the selected audio or subtitle track changed. */
  private reportTracks(): void {
    if (this.endEvent !== undefined) return;
    const audio = this.tracks.find((track) => track.type === 'audio' && track.selected)?.ref ?? null;
    const subtitle = this.tracks.find((track) => track.type === 'sub' && track.selected)?.ref ?? null;
    if (this.selected !== undefined && sameTrack(this.selected.audio, audio) && sameTrack(this.selected.subtitle, subtitle)) return;
    // Between files the list is empty: say nothing until the next file has its tracks.
    if (this.tracks.length === 0) return;
    this.selected = { audio, subtitle };
    this.emit({ type: 'tracks', audio, subtitle });
  }

  private finishWithError(): void {
    clearTimeout(this.errorTimer);
    if (this.endEvent !== undefined) return;
    this.error = describeFailure({ lines: this.loadErrors, ...(this.fileError !== undefined ? { fileError: this.fileError } : {}) });
    log.warn('mpv could not play the stream', { said: this.loadErrors, fileError: this.fileError, playing: this.playing });
    this.finish('error');
  }

  /** Emits the one `end` event and makes sure mpv goes away. */
  private finish(reason: PlayerEndReason): void {
    if (this.endEvent !== undefined) return;
    const end: PlayerEndEvent = {
      type: 'end',
      reason: this.stopRequested ? 'stop' : reason,
      positionSeconds: this.position,
      ...(this.duration !== undefined ? { durationSeconds: this.duration } : {}),
      ...(reason === 'error' && this.error !== undefined ? { error: this.error } : {}),
    };
    this.endEvent = end;
    this.ticks.stop();
    clearTimeout(this.settleTimer);
    clearTimeout(this.errorTimer);
    this.detachSignal?.();
    log.debug('playback ended', { reason: end.reason, positionSeconds: end.positionSeconds, ...(this.error ? { error: this.error } : {}) });
    this.emit(end);
    this.resolveEnded(end);
    this.quitProcess();
  }

  /** Asks mpv to quit, and kills it if it is still there after the grace period. */
  private quitProcess(): void {
    if (this.process.exitInfo !== undefined || !this.process.spawned) {
      this.ipc.close();
      return;
    }
    this.ipc.command(['quit'], { timeoutMs: QUIT_GRACE_MS }).catch(() => undefined);
    this.process.killAfterGrace();
  }

  /**
   * mpv's process exited or its IPC closed. Once both have happened (or a second has passed
   * since the first), decide how the playback ended if no end-file already said so.
   */
  private settleEnd(): void {
    if (this.launchFailed !== undefined) return; // the launch reports it
    const decide = () => {
      clearTimeout(this.settleTimer);
      this.settleTimer = undefined;
      if (this.process.exitInfo === undefined) this.process.kill(); // IPC gone but the process lingers
      if (this.endEvent === undefined && this.errorTimer !== undefined) this.finishWithError();
      if (this.endEvent === undefined) {
        const exit = this.process.exitInfo;
        const crashed = !this.process.endedOnPurpose();
        if (crashed) log.warn('mpv ended unexpectedly', { exitCode: exit?.code, signal: exit?.signal, output: this.process.outputLines().slice(-3) });
        this.finish(crashed ? 'crash' : 'quit');
      }
      this.ipc.close();
    };
    if (this.process.exitInfo !== undefined && this.ipc.closed) decide();
    else if (this.settleTimer === undefined && this.endEvent === undefined) {
      this.settleTimer = setTimeout(decide, SETTLE_EXIT_MS);
      this.settleTimer.unref();
    } else if (this.process.exitInfo !== undefined) this.ipc.close();
  }

  /** A launch failed: kill mpv without any event. */
  private dispose(): void {
    this.endEvent ??= { type: 'end', reason: 'error', positionSeconds: this.position };
    this.ticks.stop();
    this.process.kill();
    this.ipc.close();
  }

  private emit(event: PlayerEvent): void {
    this.events.emit(event);
  }
}
