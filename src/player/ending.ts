/**
 * The one end of a playback: the `end` event, said once however many ways mpv ends; mpv made to
 * go away after it; and, when mpv vanished with no end-file saying why, whether it quit or crashed.
 */
import { log } from '../log.js';
import { ERROR_LOG_GRACE_MS } from './diagnostics.js';
import type { MpvIpc } from './ipc.js';
import { QUIT_GRACE_MS, SETTLE_EXIT_MS, type MpvProcess } from './mpv-process.js';
import type { PlayerEndEvent, PlayerEndReason } from './options.js';

/** What the end needs from the player. */
export interface EndingHooks {
  /** Where playback is, for the end event. */
  where(): { positionSeconds: number; durationSeconds: number | undefined };
  /** Why the file could not be played, as a sentence for the viewer (asked once, for an error end). */
  failure(): string;
  /** The end is said: the player stops what runs and passes it on (mpv is asked to quit next). */
  ended(end: PlayerEndEvent): void;
}

export class Ending {
  /** The end event, once said. */
  event: PlayerEndEvent | undefined;
  /** `stop()` was asked: the end is a stop, whatever mpv says. */
  stopRequested = false;
  /** Why the stream could not be played (end reason `error`), as a sentence for the viewer. */
  error: string | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private errorTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly process: MpvProcess,
    private readonly ipc: MpvIpc,
    private readonly hooks: EndingHooks,
  ) {}

  /** Whether the end has been said. */
  get over(): boolean {
    return this.event !== undefined;
  }

  /** An end-file said the file failed: the end waits (briefly) for the log lines that say why. */
  get failing(): boolean {
    return this.errorTimer !== undefined;
  }

  /** The file failed: ends as an error once mpv's log lines have had a moment to arrive. */
  failSoon(): void {
    if (this.errorTimer !== undefined) return;
    this.errorTimer = setTimeout(() => this.finishWithError(), ERROR_LOG_GRACE_MS);
    this.errorTimer.unref();
  }

  /** Emits the one `end` event and makes sure mpv goes away. */
  finish(reason: PlayerEndReason): void {
    if (this.event !== undefined) return;
    const { positionSeconds, durationSeconds } = this.hooks.where();
    const end: PlayerEndEvent = {
      type: 'end',
      reason: this.stopRequested ? 'stop' : reason,
      positionSeconds,
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      ...(reason === 'error' && this.error !== undefined ? { error: this.error } : {}),
    };
    this.event = end;
    clearTimeout(this.settleTimer);
    clearTimeout(this.errorTimer);
    log.debug('playback ended', { reason: end.reason, positionSeconds: end.positionSeconds, ...(this.error ? { error: this.error } : {}) });
    this.hooks.ended(end);
    this.quitProcess();
  }

  /**
   * mpv's process exited or its IPC closed. Once both have happened (or a second has passed
   * since the first), decide how the playback ended if no end-file already said so.
   */
  settle(): void {
    const decide = () => {
      clearTimeout(this.settleTimer);
      this.settleTimer = undefined;
      if (this.process.exitInfo === undefined) this.process.kill(); // IPC gone but the process lingers
      if (this.event === undefined && this.errorTimer !== undefined) this.finishWithError();
      if (this.event === undefined) {
        const exit = this.process.exitInfo;
        const crashed = !this.process.endedOnPurpose();
        if (crashed) log.warn('mpv ended unexpectedly', { exitCode: exit?.code, signal: exit?.signal, output: this.process.outputLines().slice(-3) });
        this.finish(crashed ? 'crash' : 'quit');
      }
      this.ipc.close();
    };
    if (this.process.exitInfo !== undefined && this.ipc.closed) decide();
    else if (this.settleTimer === undefined && this.event === undefined) {
      this.settleTimer = setTimeout(decide, SETTLE_EXIT_MS);
      this.settleTimer.unref();
    } else if (this.process.exitInfo !== undefined) this.ipc.close();
  }

  private finishWithError(): void {
    clearTimeout(this.errorTimer);
    if (this.event !== undefined) return;
    this.error = this.hooks.failure();
    this.finish('error');
  }

  /** Asks mpv to quit, and kills it if it is still there after the grace period. */
  private quitProcess(): void {
    if (this.process.exitInfo !== undefined || !this.process.spawned) {
      this.ipc.close();
      return;
    }
    // A stop the user asked for has its position already: mpv is ended at once, as its own way
    // out (closing the stream, its outputs) took about 100 ms that leaving the player, or
    // reelterm, waited for. Otherwise (the file ended, an error) mpv is asked to quit.
    if (this.stopRequested) this.process.terminate();
    else this.ipc.command(['quit'], { timeoutMs: QUIT_GRACE_MS }).catch(() => undefined);
    this.process.killAfterGrace();
  }
}
