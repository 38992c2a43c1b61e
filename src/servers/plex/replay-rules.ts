/**
 * What reelterm's own writes leave on a Plex server, and how a replay tells them from another
 * device's (PLEX.md §0, §5.4). Plex keeps three things per item and user: `viewOffset`,
 * `viewCount` and `lastViewedAt` (epoch seconds, the server's clock). Every accepted timeline
 * report and every scrobble stamps `lastViewedAt` with the server's "now"; a scrobble, or a
 * report crossing the played threshold inside one live session, adds one to `viewCount`; an
 * unscrobble clears all three. So the state reelterm last saw, with the dates and plays its
 * own writes may have added, explains every change of reelterm's: a later date, or one more
 * play, is someone else's.
 */
import type { Doubt, Op, SeenState } from '../../sync/op.js';
import type { PlexWatchState } from './client.js';
import { TICKS_PER_MS } from './mappers.js';

/** How far a date of the server's can be misread from its `Date` header (whole seconds both, a round trip). */
export const MEASURED_SKEW_TOLERANCE_MS = 5_000;

/** The item's state as a replay compares it: the wire's fields, in the model's units. */
export function seenFromServer(state: PlexWatchState, at: number, serverOffsetMs: number | undefined): SeenState {
  return {
    positionTicks: state.viewOffsetMs * TICKS_PER_MS,
    played: state.viewCount > 0,
    playCount: state.viewCount,
    ...(state.lastViewedAt !== undefined ? { lastPlayedDate: new Date(state.lastViewedAt * 1000).toISOString() } : {}),
    at,
    ...(serverOffsetMs !== undefined ? { serverOffsetMs } : {}),
  };
}

/** The newest date a write of reelterm's can have stamped, from a view (ms on the server's clock). */
function ownLatestDate(seen: SeenState): number | undefined {
  const dates = [seen.lastPlayedDate, ...(seen.doubt?.dates ?? [])].filter((date): date is string => date !== undefined).map((date) => Date.parse(date));
  return dates.length === 0 ? undefined : Math.max(...dates);
}

/**
 * The view after a write of reelterm's that the server took at `serverNowMs` (or may have: a
 * lost answer): its date, and, when it could count a play (a scrobble, a report at or past the
 * threshold), one more play in doubt. Without an earlier view, one that knows the date only.
 */
export function afterWrite(seen: SeenState | undefined, write: { serverNowMs: number; at: number; serverOffsetMs: number | undefined; mayCount?: boolean; positionTicks?: number; certain: boolean }): SeenState {
  const date = new Date(write.serverNowMs).toISOString();
  const base: SeenState = seen ?? { positionTicks: 0, played: false, at: write.at };
  const doubt: Doubt = { ...base.doubt };
  if (write.certain) {
    // Landed: its date is the newest of reelterm's; the play a report could count (one per watch) stays in doubt until read.
    if (write.mayCount === true) doubt.plays = Math.max(doubt.plays ?? 0, 1);
  } else {
    doubt.dates = [...(doubt.dates ?? []), date];
    if (write.mayCount === true) doubt.plays = (doubt.plays ?? 0) + 1;
  }
  return {
    ...base,
    ...(write.certain ? { lastPlayedDate: date } : {}),
    ...(write.positionTicks !== undefined && write.certain ? { positionTicks: write.positionTicks } : {}),
    at: write.at,
    ...(write.serverOffsetMs !== undefined ? { serverOffsetMs: write.serverOffsetMs } : {}),
    ...(Object.keys(doubt).length > 0 ? { doubt } : {}),
  };
}

/** After an unscrobble reelterm sent: nothing left (or, its answer lost, maybe nothing). */
export function afterUnmark(seen: SeenState | undefined, at: number, certain: boolean): SeenState {
  if (certain || seen === undefined) return { positionTicks: 0, played: false, playCount: 0, at };
  return { ...seen, at, doubt: { ...seen.doubt, unmark: true } };
}

/**
 * Whether someone else (another device, another app) acted on the item after the user's update
 * was made: the server's `lastViewedAt` (stamped by every report and scrobble, whoever sends it)
 * later than both the update and every write of reelterm's own that may have landed (beyond
 * `toleranceMs`). What happened before the update is not news to it: its own replay wins over
 * that, so a view that is out of date after a restart (reelterm's own writes it no longer
 * remembers) is never taken for another device. An unscrobble elsewhere leaves no date to
 * compare: it is not detected.
 */
export function changedByAnother(server: PlexWatchState, seen: SeenState | undefined, opOnServerClockMs: number, toleranceMs: number): boolean {
  if (server.lastViewedAt === undefined) return false;
  const own = seen === undefined ? undefined : ownLatestDate(seen);
  return server.lastViewedAt * 1000 > Math.max(opOnServerClockMs, own ?? -Infinity) + toleranceMs;
}

/**
 * The play count a "watched" op must find unchanged before it may add one (scrobble is not
 * idempotent, PLEX.md §0.2): a mark makes the item watched, so any play counted will do; a watch
 * counts one play over what the server had when it began.
 */
export function playsBefore(op: Op, seen: SeenState | undefined): number {
  if (op.kind === 'played') return 0;
  const session = op.payload.playSessionId;
  const read = [seen?.watch, op.basis?.watch].find((watch) => watch !== undefined && watch.playSessionId === session);
  return read?.playsBefore ?? op.payload.playsBefore ?? op.basis?.playCount ?? 0;
}
