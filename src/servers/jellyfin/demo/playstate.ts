import type { DemoItem } from './library.js';
import type { StoredUserData } from './user-data.js';
import { TICKS_PER_SECOND } from './wire.js';

/** Jellyfin's resume rules (`ServerConfiguration.cs` defaults, unchanged from 10.10 to 12.0). */
export const RESUME_RULES = { minResumePct: 5, maxResumePct: 90, minResumeDurationSeconds: 300 } as const;

/** The server versions the demo emulates, which differ in a few playstate and auth rules. */
export type DemoVersion = '10.11.11' | '12.0.0';

/**
 * `UserDataManager.UpdatePlayState` for a video: under 5 % the position is dropped; over 90 % or
 * within the last second the item is played and the position cleared; a runtime under 300 s
 * turns any other position into "played"; no runtime means played. Never sets Played to false.
 */
export function updatePlayState(item: DemoItem, data: StoredUserData, positionTicks: number): void {
  const runtime = item.runTimeTicks ?? 0;
  let position = positionTicks;
  if (position > 0 && runtime > 0) {
    const pct = (position / runtime) * 100;
    if (pct < RESUME_RULES.minResumePct) {
      position = 0;
    } else if (pct > RESUME_RULES.maxResumePct || position >= runtime - TICKS_PER_SECOND) {
      position = 0;
      data.played = true;
    } else if (runtime / TICKS_PER_SECOND < RESUME_RULES.minResumeDurationSeconds) {
      position = 0;
      data.played = true;
    }
  } else if (runtime <= 0) {
    data.played = true;
    position = 0;
  }
  data.playbackPositionTicks = position;
}

/**
 * `SessionManager.OnPlaybackStart(User, BaseItem)`: PlayCount++, LastPlayedDate = server now,
 * and, before 12.0 (commit 37d6101f02), Played = false for videos: a re-watch resets "watched".
 */
export function applyPlaybackStart(version: DemoVersion, data: StoredUserData, now: Date): void {
  data.playCount += 1;
  data.lastPlayedDate = now;
  if (version !== '12.0.0') data.played = false;
}

/** `OnPlaybackProgress`: only a reported position changes anything; no date, no count. */
export function applyPlaybackProgress(item: DemoItem, data: StoredUserData, positionTicks: number | undefined): void {
  if (positionTicks !== undefined) updatePlayState(item, data, positionTicks);
}

/**
 * `OnPlaybackStopped`: a position runs the resume rules; no position is taken to mean the
 * client watched to the end (PlayCount++, Played, position 0). A failed playback changes nothing.
 */
export function applyPlaybackStopped(item: DemoItem, data: StoredUserData, positionTicks: number | undefined, failed: boolean): void {
  if (failed) return;
  if (positionTicks !== undefined) {
    updatePlayState(item, data, positionTicks);
  } else {
    data.playCount += 1;
    data.played = true;
    data.playbackPositionTicks = 0;
  }
}

/**
 * `BaseItem.MarkPlayed(user, datePlayed, resetPosition: true)`: a given date counts one more play
 * and becomes LastPlayedDate; without one the existing date stays (or now, when there is none).
 */
export function applyMarkPlayed(data: StoredUserData, datePlayed: Date | undefined, now: Date): void {
  if (datePlayed) data.playCount += 1;
  data.playCount = Math.max(data.playCount, 1);
  data.playbackPositionTicks = 0;
  data.lastPlayedDate = datePlayed ?? data.lastPlayedDate ?? now;
  data.played = true;
}

/** `BaseItem.MarkUnplayed`: position, play count and LastPlayedDate all reset. */
export function applyMarkUnplayed(data: StoredUserData): void {
  data.playCount = 0;
  data.playbackPositionTicks = 0;
  data.lastPlayedDate = undefined;
  data.played = false;
}

/** The fields of `UpdateUserItemDataDto` that `UserDataManager.SaveUserData` copies. */
export interface UserDataUpdate {
  playbackPositionTicks?: number;
  playCount?: number;
  isFavorite?: boolean;
  likes?: boolean;
  played?: boolean;
  lastPlayedDate?: Date;
  rating?: number;
}

/** `SaveUserData(User, BaseItem, UpdateUserItemDataDto)`: every non-null field verbatim, no resume rules. */
export function applyUserDataUpdate(data: StoredUserData, update: UserDataUpdate): void {
  if (update.playbackPositionTicks !== undefined) data.playbackPositionTicks = update.playbackPositionTicks;
  if (update.playCount !== undefined) data.playCount = update.playCount;
  if (update.isFavorite !== undefined) data.isFavorite = update.isFavorite;
  if (update.likes !== undefined) data.likes = update.likes;
  if (update.played !== undefined) data.played = update.played;
  if (update.lastPlayedDate !== undefined) data.lastPlayedDate = update.lastPlayedDate;
  if (update.rating !== undefined) data.rating = update.rating;
}
