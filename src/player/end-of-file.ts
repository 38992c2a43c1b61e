import { AUDIO_OUTPUT_FAILED, VIDEO_OUTPUT_FAILED } from './failure-text.js';

/** An end of file this far (or 1 %) before the duration is a stream cut short, not the end. */
const EARLY_EOF_SECONDS = 10;

/** What the player knows when mpv says a file ended. */
export interface FileEndContext {
  /** mpv's playlist entry id of the file playing (undefined before it is known). */
  entryId: number | undefined;
  /** The first frame has played. */
  playing: boolean;
  positionSeconds: number;
  durationSeconds: number | undefined;
  /** `next()`/`previous()` asked mpv to move. */
  skipRequested: boolean;
  /** `stop()` was asked. */
  stopRequested: boolean;
  /** Which of `count` files plays (0 is the first). */
  current: number;
  count: number;
}

/** mpv's `end-file` event, as far as the judgement needs it. */
export interface FileEndEvent {
  reason?: unknown;
  file_error?: unknown;
  playlist_entry_id?: unknown;
  [field: string]: unknown;
}

/**
 * What an `end-file` means. `ignore`: about another file, or a playlist that expanded;
 * `cut-short`: the stream broke off well before its end (not watched, no next file); `end`: the
 * playback is over; `between`: a file ended and mpv may go on to another (start-file or idle
 * decides); `error`: the file could not be played (the log lines saying why may still come).
 */
export type FileEndJudgement =
  | { act: 'ignore' }
  | { act: 'cut-short' }
  | { act: 'end'; reason: 'eof' | 'stop' | 'quit' }
  | { act: 'between'; reason: 'eof' | 'skip' }
  | { act: 'error'; fileError?: string };

export function judgeFileEnd(event: FileEndEvent, now: FileEndContext): FileEndJudgement {
  const entryId = event.playlist_entry_id;
  if (now.entryId !== undefined && typeof entryId === 'number' && entryId !== now.entryId) return { act: 'ignore' };
  // mpv ends a file that played without sound (or picture) as an "error" even at its very end:
  // that is an end, and the missing device was said when playback started.
  const outputOnly = event.reason === 'error' && now.playing && (event.file_error === AUDIO_OUTPUT_FAILED || event.file_error === VIDEO_OUTPUT_FAILED);
  const reason = outputOnly ? 'eof' : event.reason;
  // The connection dropped and mpv took what it had as the end: not watched, and no next file.
  if (reason === 'eof' && cutShort(now)) return { act: 'cut-short' };
  switch (reason) {
    case 'eof':
    case 'stop': {
      const next = reason === 'eof' ? 'eof' : 'skip';
      // Another file follows when mpv was asked to skip, or an earlier one ended on its own;
      // "stop" without our asking may be mpv's own playlist keys: start-file or idle decides.
      const more = now.skipRequested || (next === 'eof' ? now.current < now.count - 1 : now.count > 1);
      if (now.stopRequested || !more) return { act: 'end', reason };
      return { act: 'between', reason: next };
    }
    case 'quit':
      return { act: 'end', reason: 'quit' };
    case 'error':
      return typeof event.file_error === 'string' ? { act: 'error', fileError: event.file_error } : { act: 'error' };
    default:
      // "redirect": a playlist expanded into entries; playback goes on.
      return { act: 'ignore' };
  }
}

/** Whether an end of file came well before the duration: a stream that broke off. */
function cutShort(now: FileEndContext): boolean {
  if (now.durationSeconds === undefined || !now.playing) return false;
  return now.positionSeconds < now.durationSeconds - Math.max(EARLY_EOF_SECONDS, now.durationSeconds * 0.01);
}
