/**
 * What mpv says about trouble beside its playback events: the log lines that tell why a file
 * could not be played, and, once playback starts, whether it can be seen and heard.
 */
import { log } from '../log.js';
import { describeFailure } from './failure-text.js';
import type { MpvEvent } from './ipc.js';
import { playerOutputs, type PlayerOutputs } from './outputs.js';
import type { MpvTrack } from './track-list.js';

/** After an end-file error, how long to wait for the log lines that say why. */
export const ERROR_LOG_GRACE_MS = 250;

export class Diagnostics {
  /** mpv's error lines about the current file, the last few. */
  private loadErrors: string[] = [];
  /** mpv's short reason on end-file ("loading failed"), used when no log line says more. */
  private fileError: string | undefined;
  /** mpv said it could not open a sound device (it then plays on without sound). */
  private audioFailed = false;
  private outputsChecked = false;

  constructor(
    private readonly getProperty: (name: string) => Promise<unknown>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Another file starts: only its own lines say why it fails. */
  newFile(): void {
    this.loadErrors = [];
  }

  /** Keeps mpv's error lines (and the warning that names an HTTP status) for the message if the file fails. */
  hear(event: MpvEvent): void {
    const text = String(event.text).trim();
    const prefix = String(event.prefix);
    const serious = event.level === 'error' || event.level === 'fatal';
    if (serious || /HTTP error \d{3}/i.test(text)) this.loadErrors = [...this.loadErrors, text].slice(-6);
    if (serious && (prefix === 'ao' || prefix.startsWith('ao/') || /audio (device|output|driver)/i.test(text))) this.audioFailed = true;
  }

  /** mpv's short reason on end-file, kept for when no log line says more. */
  noteFileError(fileError: string): void {
    this.fileError = fileError;
  }

  /** Why the file could not be played, as a sentence for the viewer; mpv's own words go to the log. */
  failure(playing: boolean): string {
    const error = describeFailure({ lines: this.loadErrors, ...(this.fileError !== undefined ? { fileError: this.fileError } : {}) });
    log.warn('mpv could not play the stream', { said: this.loadErrors, fileError: this.fileError, playing });
    return error;
  }

  /**
   * Once the first file plays, says whether mpv can be seen and heard (`report`, only when not).
   * Asked a moment later: mpv's log lines about a device can trail the playback start. `now`
   * tells the tracks and whether the playback has ended by then.
   */
  checkOutputsSoon(now: () => { tracks: readonly MpvTrack[]; ended: boolean }, report: (outputs: PlayerOutputs) => void): void {
    if (this.outputsChecked) return;
    this.outputsChecked = true;
    const read = (name: string) => this.getProperty(name).then((value) => (typeof value === 'string' && value !== '' ? value : undefined), () => undefined);
    setTimeout(() => {
      if (now().ended) return;
      void Promise.all([read('current-vo'), read('current-ao')]).then(([videoOutput, audioOutput]) => {
        const { tracks, ended } = now();
        if (ended) return;
        const outputs = playerOutputs({ tracks, videoOutput, audioOutput, audioFailed: this.audioFailed, env: this.env, platform: process.platform });
        log.debug('mpv outputs', { videoOutput, audioOutput, audioFailed: this.audioFailed, ...outputs });
        if (!outputs.window || !outputs.sound) report(outputs);
      });
    }, ERROR_LOG_GRACE_MS).unref();
  }
}
