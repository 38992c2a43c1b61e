/** What the player tells whoever plays through it: its own vocabulary, which the session reads. */

/**
 * A track of the playing file: one of the file's own tracks by its place among the file's
 * tracks of that kind (0 is the first audio track), or an external subtitle by its URL. Not by
 * Jellyfin's `MediaStream.Index`: Jellyfin numbers external files first, so its indexes do not
 * match the file's (nor mpv's ids).
 */
export type TrackRef = { embedded: number } | { url: string };

/**
 * What the player tells a session, in order. `next`: the current file of a playlist ended
 * (played to its end, or skipped) and playback goes on with entry `index`; `tracks`: the
 * selected audio or subtitle track changed (null: none); `outputs`: once, when playback starts,
 * if mpv has no window (no display) or no sound device.
 */
export type PlayerEvent =
  | { type: 'tick'; positionSeconds: number; durationSeconds?: number; paused: boolean }
  | { type: 'pause'; positionSeconds: number }
  | { type: 'resume'; positionSeconds: number }
  | { type: 'seek'; positionSeconds: number }
  | { type: 'end'; reason: 'eof' | 'stop' | 'quit' | 'error' | 'crash'; positionSeconds: number; durationSeconds?: number; error?: string }
  | { type: 'next'; index: number; reason: 'eof' | 'skip'; positionSeconds: number; durationSeconds?: number }
  | { type: 'tracks'; audio: TrackRef | null; subtitle: TrackRef | null }
  | { type: 'outputs'; window: boolean; sound: boolean };
