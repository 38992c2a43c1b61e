import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { log } from '../log.js';
import type { PlayerEvent, TrackRef } from './events.js';
import { isMpvTooOld, MpvNotFoundError, MpvStartError, MpvTooOldError } from './errors.js';
import { AUDIO_OUTPUT_FAILED, cutShortSentence, describeFailure, VIDEO_OUTPUT_FAILED } from './failure-text.js';
import { MpvCommandError, MpvIpc, MpvIpcClosedError, MpvIpcTimeoutError, type MpvCommand, type MpvEvent } from './ipc.js';
import { loadCommand, mpvArguments, mpvEnvironment } from './mpv-arguments.js';
import { playerOutputs } from './outputs.js';
import { trackPlayerProcess } from './registry.js';
import { parseTrackList, sameTrack, type MpvTrack } from './track-list.js';

/** The one `end` event of a playback. */
export type PlayerEndEvent = Extract<PlayerEvent, { type: 'end' }>;

/** Why a playback ended: mpv reached the end, we stopped it, the user quit mpv, it could not play, or it died. */
export type PlayerEndReason = PlayerEndEvent['reason'];

/** A subtitle file beside the stream (Jellyfin's external subtitles), loaded once the file is. */
export interface SubtitleFile {
  url: string;
  title?: string;
  /** ISO 639-2 code such as `ger`. */
  lang?: string;
}

/** One file of the playlist. Every string goes to mpv over IPC as a whole argument, never on argv. */
export interface PlayerEntry {
  /** The stream URL. Must not carry a secret. */
  url: string;
  /** Shown as mpv's media title, verbatim. */
  title: string;
  /** Where to start, in seconds (a resume point). */
  startSeconds?: number;
  /** External subtitles to add (not selected unless `subtitle` names one). */
  subtitleFiles?: SubtitleFile[];
  /** The audio track to select once the file is loaded; mpv chooses when absent. */
  audio?: TrackRef;
  /** The subtitle track to select; null turns subtitles off; mpv chooses when absent. */
  subtitle?: TrackRef | null;
}

/** What to play and how to start mpv: the first file, and the files that follow it (continuous play). */
export interface PlayerOptions extends PlayerEntry {
  /** The mpv program: a name on PATH or a path. Default `mpv`. */
  mpvPath?: string;
  /** The user's extra mpv arguments, appended after reelterm's own (so they win). Never from the server. */
  extraArgs?: string[];
  /** Files to play after the first, in order; `next` events say when mpv moves to one. */
  next?: PlayerEntry[];
  /** Request headers such as `Authorization: MediaBrowser …, Token="…"`; sent over IPC, never on argv. */
  httpHeaders?: string[];
  /** At most one `tick` per this many ms. Default 500. */
  tickIntervalMs?: number;
  /** Check TLS certificates of https streams (mpv does not by default). Default true. */
  tlsVerify?: boolean;
  /** Bound on the whole launch (spawn, handshake, setup, loadfile). Default 10 000 ms. */
  launchTimeoutMs?: number;
  /** Environment for mpv. Default: this process's. `REELTERM_PASSWORD` is removed from either. */
  env?: NodeJS.ProcessEnv;
  /** Aborting cancels a launch in progress (mpv is killed) or stops a running playback. */
  signal?: AbortSignal;
}

/** A snapshot of the playback as last reported by mpv. */
export interface PlayerState {
  positionSeconds: number;
  durationSeconds: number | undefined;
  paused: boolean;
  title: string;
  ended: boolean;
  /** Why the stream could not be played (end reason `error`), as a sentence for the viewer; mpv's own words are in the log. */
  error?: string;
}

const DEFAULT_TICK_INTERVAL_MS = 500;
const DEFAULT_LAUNCH_TIMEOUT_MS = 10_000;
/** While nothing changes (paused), a tick still goes out this often so the server keeps the session. */
const KEEPALIVE_MS = 10_000;
/** After asking mpv to quit, how long before it is killed. */
const QUIT_GRACE_MS = 2000;
/** How long to wait for the second of "process exited" and "IPC closed" before deciding how mpv ended. */
const SETTLE_EXIT_MS = 1000;
const CONTROL_TIMEOUT_MS = 5000;
/** An end of file this far (or 1 %) before the duration is a stream cut short, not the end. */
const EARLY_EOF_SECONDS = 10;
/** After an end-file error, how long to wait for the log lines that say why. */
const ERROR_LOG_GRACE_MS = 250;
const OUTPUT_TAIL_CHARS = 4096;
/** Events held for the first subscriber; older ones are dropped beyond this. */
const HELD_EVENTS_MAX = 1000;
const CLOSED = Symbol('closed');
/** The properties the player follows (events: end-file, seek, playback-restart, file-loaded…). */
const OBSERVED = ['time-pos', 'pause', 'duration', 'eof-reached', 'seeking', 'idle-active', 'track-list'] as const;

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

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

  private readonly child: ChildProcess;
  private readonly ipc: MpvIpc;
  private readonly mpvPath: string;
  private readonly entries: PlayerEntry[];
  /** mpv's playlist entry ids, to our entry index. */
  private readonly entryIndex = new Map<number, number>();
  private current = 0;
  private readonly tickIntervalMs: number;
  private readonly listeners = new Set<(event: PlayerEvent) => void>();
  /** Events before the first subscriber are held for it (launch resolves before anyone can subscribe). */
  private held: PlayerEvent[] | undefined = [];
  private resolveEnded!: (event: PlayerEndEvent) => void;
  private readonly exited: Promise<void>;
  private readonly outputClosed: Promise<void>;

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
  private exitInfo: ExitInfo | undefined;
  private spawnError: Error | undefined;
  private output = '';

  private lastTickAt = 0;
  private lastTickPosition = Number.NaN;
  private lastTickPaused = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private errorTimer: NodeJS.Timeout | undefined;
  private launchFailed: ((error: unknown) => void) | undefined;
  private detachSignal: (() => void) | undefined;

  private constructor(child: ChildProcess, options: PlayerOptions, mpvPath: string) {
    this.child = child;
    this.pid = child.pid ?? -1;
    this.mpvPath = mpvPath;
    this.env = options.env ?? process.env;
    const { next = [], ...first } = options;
    this.entries = [first, ...next.map((entry) => ({ ...entry }))];
    this.tickIntervalMs = Math.max(1, options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS);
    this.position = options.startSeconds ?? 0;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        clearTimeout(this.killTimer);
        this.launchFailed?.(new MpvIpcClosedError([]));
        this.settleEnd();
        resolve();
      });
    });
    child.on('error', (error) => {
      this.spawnError ??= error;
      this.launchFailed?.(error);
    });
    const outputs = [child.stdout, child.stderr].filter((stream) => stream !== null);
    for (const stream of outputs) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        this.output = (this.output + text).slice(-OUTPUT_TAIL_CHARS);
      });
    }
    this.outputClosed = Promise.all(outputs.map((stream) => new Promise((resolve) => stream.once('close', resolve)))).then(() => undefined);
    this.ipc = new MpvIpc(child.stdio[3] as Duplex, { defaultTimeoutMs: CONTROL_TIMEOUT_MS });
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
    const mpvPath = options.mpvPath ?? 'mpv';
    let child: ChildProcess;
    try {
      child = spawn(mpvPath, mpvArguments(options.extraArgs, { ...(options.tlsVerify !== undefined ? { tlsVerify: options.tlsVerify } : {}) }), {
        // stdout and stderr are kept for error messages (mpv prints its errors on stdout).
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        // Its own session: mpv has no controlling terminal, so it cannot touch the TUI's.
        detached: true,
        env: mpvEnvironment(options.env ?? process.env),
      });
    } catch (error) {
      throw new MpvStartError(`could not start mpv ('${mpvPath}'): ${(error as Error).message}`);
    }
    const player = new Player(child, options, mpvPath);
    if (child.pid !== undefined) trackPlayerProcess(child);
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
    this.listeners.add(listener);
    const held = this.held;
    if (held !== undefined) {
      if (held.length === 0) this.held = undefined;
      else
        queueMicrotask(() => {
          // Events emitted meanwhile were appended to `held`, so order is kept.
          while (held.length > 0) this.deliver(held.shift()!);
          this.held = undefined;
        });
    }
    return () => {
      this.listeners.delete(listener);
    };
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
    await Promise.race([this.exited, delay(QUIT_GRACE_MS + 1000)]);
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
      if (this.child.pid === undefined) await failed; // spawn failed: 'error' follows on the next tick
      const version = String(await step(this.ipc.getProperty('mpv-version', remaining())));
      if (isMpvTooOld(version)) throw new MpvTooOldError(this.mpvPath, version);
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
      throw await this.launchError(error, options.signal);
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
    this.keepaliveTimer = setInterval(() => this.keepalive(), Math.min(KEEPALIVE_MS, Math.max(this.tickIntervalMs, 1000)));
    this.keepaliveTimer.unref();
  }

  /** Turns whatever stopped the launch into the error the user should read. */
  private async launchError(error: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (error instanceof MpvTooOldError || error instanceof MpvNotFoundError) return error;
    if (signal?.aborted) return signal.reason;
    if (this.spawnError === undefined && (error instanceof MpvIpcClosedError || this.exitInfo !== undefined)) {
      // Wait (briefly) for the process to tell how it ended and for its last output.
      await Promise.race([this.exited, delay(SETTLE_EXIT_MS)]);
      await Promise.race([this.outputClosed, delay(500)]);
    }
    const spawnError = this.spawnError as NodeJS.ErrnoException | undefined;
    if (spawnError?.code === 'ENOENT') return new MpvNotFoundError(this.mpvPath);
    if (spawnError !== undefined) return new MpvStartError(`could not start mpv ('${this.mpvPath}'): ${spawnError.message}`);
    const output = this.outputLines();
    if (output.some((line) => /input-ipc-client/.test(line) && /not found/i.test(line))) return new MpvTooOldError(this.mpvPath, undefined);
    const said = output.length > 0 ? `: ${output.slice(-3).join(' / ')}` : '';
    const details = { output: output.join('\n'), exitCode: this.exitInfo?.code ?? null, signal: this.exitInfo?.signal ?? null };
    if (this.exitInfo !== undefined) {
      const how = this.exitInfo.signal !== null ? `was killed by ${this.exitInfo.signal}` : `exited with code ${this.exitInfo.code}`;
      return new MpvStartError(`mpv ${how} before it was ready${said}`, details);
    }
    if (error instanceof MpvIpcTimeoutError) return new MpvStartError(`mpv did not answer within ${error.timeoutMs} ms${said}`, details);
    if (error instanceof MpvCommandError) return new MpvStartError(`${error.message}${said}`, details);
    return new MpvStartError(`mpv could not start: ${(error as Error)?.message ?? String(error)}${said}`, details);
  }

  /** mpv's output lines worth showing (the closing "Exiting..." line says nothing). */
  private outputLines(): string[] {
    return this.output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^Exiting\.\.\./.test(line));
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
          clearTimeout(this.tickTimer);
          this.tickTimer = undefined;
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
        if (this.playing && !this.seekPending && !this.seeking) this.scheduleTick();
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
          this.emitTick(true);
          this.checkOutputsSoon();
          return;
        }
        this.seekPending = false;
        this.emit({ type: 'seek', positionSeconds: this.position });
        this.lastTickAt = Date.now();
        this.lastTickPosition = this.position;
      },
    );
  }

  private handleEndFile(event: MpvEvent): void {
    const entryId = event.playlist_entry_id;
    if (this.entryId !== undefined && typeof entryId === 'number' && entryId !== this.entryId) return;
    // mpv ends a file that played without sound (or picture) as an "error" even at its very end:
    // that is an end, and the missing device was said when playback started.
    const outputOnly = event.reason === 'error' && this.playing && (event.file_error === AUDIO_OUTPUT_FAILED || event.file_error === VIDEO_OUTPUT_FAILED);
    if (outputOnly) log.debug('mpv ended the file as an error for a missing output; taken as its end', { fileError: event.file_error });
    const reason = outputOnly ? 'eof' : event.reason;
    if (reason === 'eof' && this.cutShort()) {
      // The connection dropped and mpv took what it had as the end: not watched, and no next file.
      this.error = cutShortSentence(this.position, this.duration!);
      this.finish('error');
      return;
    }
    switch (reason) {
      case 'eof':
      case 'stop': {
        const next = reason === 'eof' ? 'eof' : 'skip';
        // Another file follows when mpv was asked to skip, or an earlier one ended on its own;
        // "stop" without our asking may be mpv's own playlist keys: start-file or idle decides.
        const more = this.skipRequested || (next === 'eof' ? this.current < this.entries.length - 1 : this.entries.length > 1);
        if (this.stopRequested || !more) {
          this.finish(reason);
          return;
        }
        this.between = { reason: next, positionSeconds: this.position, durationSeconds: this.duration };
        this.playing = false;
        clearTimeout(this.tickTimer);
        this.tickTimer = undefined;
        return;
      }
      case 'quit':
        this.finish('quit');
        return;
      case 'error': {
        // mpv 0.35 does not order log messages with other events: the lines saying why can
        // arrive just after the end-file. Give them a moment.
        if (this.errorTimer !== undefined) return;
        if (typeof event.file_error === 'string') this.fileError = event.file_error;
        this.errorTimer = setTimeout(() => this.finishWithError(), ERROR_LOG_GRACE_MS);
        this.errorTimer.unref();
        return;
      }
      default:
        // "redirect": a playlist expanded into entries; playback goes on.
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

  /** Whether an end of file came well before the duration: a stream that broke off. */
  private cutShort(): boolean {
    if (this.duration === undefined || !this.playing) return false;
    return this.position < this.duration - Math.max(EARLY_EOF_SECONDS, this.duration * 0.01);
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
    this.lastTickPosition = Number.NaN;
    clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
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

  private scheduleTick(): void {
    if (this.tickTimer !== undefined || this.endEvent !== undefined) return;
    const wait = this.lastTickAt + this.tickIntervalMs - Date.now();
    if (wait <= 0) {
      this.emitTick(false);
      return;
    }
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      if (this.endEvent === undefined && !this.seekPending) this.emitTick(false);
    }, wait);
    this.tickTimer.unref();
  }

  private keepalive(): void {
    if (!this.playing || this.endEvent !== undefined || this.seekPending) return;
    if (Date.now() - this.lastTickAt >= KEEPALIVE_MS) this.emitTick(true);
  }

  private emitTick(force: boolean): void {
    if (!force && this.position === this.lastTickPosition && this.paused === this.lastTickPaused) return;
    this.lastTickAt = Date.now();
    this.lastTickPosition = this.position;
    this.lastTickPaused = this.paused;
    this.emit({
      type: 'tick',
      positionSeconds: this.position,
      ...(this.duration !== undefined ? { durationSeconds: this.duration } : {}),
      paused: this.paused,
    });
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
    clearTimeout(this.tickTimer);
    clearInterval(this.keepaliveTimer);
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
    if (this.exitInfo !== undefined || this.child.pid === undefined) {
      this.ipc.close();
      return;
    }
    this.ipc.command(['quit'], { timeoutMs: QUIT_GRACE_MS }).catch(() => undefined);
    if (this.killTimer === undefined) {
      this.killTimer = setTimeout(() => this.kill(), QUIT_GRACE_MS);
      this.killTimer.unref();
    }
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
      if (this.exitInfo === undefined) this.kill(); // IPC gone but the process lingers
      if (this.endEvent === undefined && this.errorTimer !== undefined) this.finishWithError();
      if (this.endEvent === undefined) {
        const exit = this.exitInfo;
        const crashed = !endedOnPurpose(exit);
        if (crashed) log.warn('mpv ended unexpectedly', { exitCode: exit?.code, signal: exit?.signal, output: this.outputLines().slice(-3) });
        this.finish(crashed ? 'crash' : 'quit');
      }
      this.ipc.close();
    };
    if (this.exitInfo !== undefined && this.ipc.closed) decide();
    else if (this.settleTimer === undefined && this.endEvent === undefined) {
      this.settleTimer = setTimeout(decide, SETTLE_EXIT_MS);
      this.settleTimer.unref();
    } else if (this.exitInfo !== undefined) this.ipc.close();
  }

  private kill(): void {
    if (this.exitInfo !== undefined) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // gone already
    }
  }

  /** A launch failed: kill mpv without any event. */
  private dispose(): void {
    this.endEvent ??= { type: 'end', reason: 'error', positionSeconds: this.position };
    clearInterval(this.keepaliveTimer);
    this.kill();
    this.ipc.close();
  }

  private emit(event: PlayerEvent): void {
    if (this.held !== undefined) {
      if (this.held.length >= HELD_EVENTS_MAX) this.held.shift();
      this.held.push(event);
      return;
    }
    this.deliver(event);
  }

  private deliver(event: PlayerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        log.warn('a player listener failed', { error, event: event.type });
      }
    }
  }
}

/**
 * Whether mpv went away because someone asked it to, when no end-file said why: a normal exit
 * (0), mpv's "quit by a signal" code (4, e.g. Ctrl+C in its window), or a polite signal
 * (SIGTERM and friends kill it outright when its terminal handling is off). SIGKILL, SIGSEGV,
 * SIGABRT and error codes are a crash.
 */
function endedOnPurpose(exit: ExitInfo | undefined): boolean {
  if (exit === undefined) return false;
  if (exit.signal !== null) return exit.signal === 'SIGTERM' || exit.signal === 'SIGINT' || exit.signal === 'SIGHUP';
  return exit.code === 0 || exit.code === 4;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
