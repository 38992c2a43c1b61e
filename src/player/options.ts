import type { PlayerEvent, TrackRef } from './events.js';

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
