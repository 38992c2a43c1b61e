/**
 * What the server does with a playback report (`/:/timeline`), a mark (`/:/scrobble`,
 * `/:/unscrobble`) and a resume-point write (`/:/progress`): PLEX.md §7.2, with its switches in
 * `rules.ts`. The routes parse the request; this file only decides and stores.
 */
import type { PlexAccount } from './accounts.js';
import { nowSeconds, type PlexDemoState } from './context.js';
import type { PlexItem } from './library.js';
import { HttpError } from './request.js';
import { completionPoint } from './rules.js';
import { sessionKey, type NowPlaying } from './sessions.js';

/** A timeline report, as parsed from the request. */
export interface TimelineReport {
  account: PlexAccount;
  item: PlexItem;
  state: 'playing' | 'paused' | 'buffering' | 'stopped';
  /** Position, ms. */
  time: number;
  /** The `duration` the client sent, ms. */
  duration?: number;
  clientIdentifier?: string;
  sessionIdentifier?: string;
  /** `offline=1`: a report synced after being offline (PLEX.md §0.9). */
  offline: boolean;
  /** `updated`: when the playback state last changed, epoch seconds. */
  updated?: number;
  product?: string;
  device?: string;
  platform?: string;
}

/** What became of a report, for the journal and the reply. */
export interface TimelineOutcome {
  /** Why nothing happened, or what was stored. */
  effect: 'ignored: no client identifier' | 'discarded: stale offline report' | 'session only' | 'resume point' | 'watched' | 'nothing stored';
  /** A termination the client is told about in the reply (PLEX.md §5.1). */
  termination?: { code: number; text: string };
}

/**
 * Applies one timeline report by the rules (PLEX.md §7.2.1–4): the session upsert or close, the
 * 60 s floor, the resume point below the completion point, and the crossing that marks watched.
 */
export function applyTimeline(state: PlexDemoState, report: TimelineReport): TimelineOutcome {
  const { rules } = state;
  const { item, account } = report;
  const duration = item.duration ?? 0;
  const limit = report.duration ?? duration;
  // plex-for-kodi: "causes a 400, so … set the time to the duration" (PLEX.md §5.1).
  let time = report.time;
  if (time > limit) {
    if (rules.timeBeyondDuration === 'reject') throw new HttpError(400, 'time is beyond the duration');
    time = limit;
  }
  if (report.clientIdentifier === undefined) {
    if (rules.missingClientIdentifier === 'reject') throw new HttpError(400, 'X-Plex-Client-Identifier is required');
    return { effect: 'ignored: no client identifier' };
  }
  const stored = state.watch.get(account.id, item.ratingKey);
  if (report.offline && report.updated !== undefined && rules.staleOfflineReports === 'discard' && stored.lastViewedAt !== undefined && report.updated < stored.lastViewedAt) {
    return { effect: 'discarded: stale offline report' };
  }

  const key = sessionKey(report.clientIdentifier, report.sessionIdentifier, item.ratingKey);
  const now = state.now().getTime();
  const existing = state.sessions.get(key);
  const session: NowPlaying = existing ?? {
    accountId: account.id,
    clientIdentifier: report.clientIdentifier,
    sessionIdentifier: report.sessionIdentifier,
    ratingKey: item.ratingKey,
    state: 'playing',
    time,
    product: report.product,
    device: report.device,
    platform: report.platform,
    startedAt: now,
    updatedAt: now,
    armed: false,
    crossed: false,
  };

  const completion = completionPoint(rules, item);
  let effect: TimelineOutcome['effect'] = 'session only';
  if (time >= completion) {
    // Only a crossing inside one session marks watched; a lone late report at 95 % does not (PLEX.md §0.5).
    if ((session.armed || !rules.requireCrossing) && !session.crossed) {
      markWatched(state, account, item, report.clientIdentifier);
      session.crossed = true;
      effect = 'watched';
    } else {
      effect = 'nothing stored';
    }
  } else {
    // A report at 1 s arms the crossing, one at 0 does not (PLEX.md §0.5); only past the floor is it stored (§0.4).
    if (time > 0) session.armed = true;
    if (time > rules.positionFloorMs) {
      state.watch.put(account.id, item.ratingKey, { ...state.watch.get(account.id, item.ratingKey), viewOffset: time, lastViewedAt: nowSeconds(state) });
      state.watch.setHidden(account.id, item.ratingKey, false);
      effect = 'resume point';
    }
  }

  const termination = session.termination;
  if (report.state === 'stopped' || termination !== undefined) {
    state.sessions.remove(key);
  } else {
    state.sessions.upsert(key, { ...session, state: report.state, time, updatedAt: now });
  }
  return { effect, termination };
}

/** A crossing: one more view, no resume point, `lastViewedAt` now and a history row (PLEX.md §7.2.3). */
function markWatched(state: PlexDemoState, account: PlexAccount, item: PlexItem, deviceId: string): void {
  const stored = state.watch.get(account.id, item.ratingKey);
  const now = nowSeconds(state);
  state.watch.put(account.id, item.ratingKey, { viewCount: (stored.viewCount ?? 0) + 1, lastViewedAt: now });
  state.watch.addHistory({ ratingKey: item.ratingKey, accountId: account.id, viewedAt: now, deviceId });
}

/**
 * `/:/scrobble` on an item and, for a show or season, every episode below it (PLEX.md §5.2):
 * `viewCount` + 1 on every call (§0.2), no resume point, `lastViewedAt` now, no history row.
 */
export function scrobble(state: PlexDemoState, account: PlexAccount, item: PlexItem): void {
  const now = nowSeconds(state);
  for (const leaf of state.library.leaves(item)) {
    const stored = state.watch.get(account.id, leaf.ratingKey);
    if (state.rules.scrobble === 'once' && (stored.viewCount ?? 0) > 0) continue;
    state.watch.put(account.id, leaf.ratingKey, { viewCount: (stored.viewCount ?? 0) + 1, lastViewedAt: now });
  }
}

/** `/:/unscrobble`: clears `viewCount`, `viewOffset` and `lastViewedAt`, recursively (PLEX.md §0.3). */
export function unscrobble(state: PlexDemoState, account: PlexAccount, item: PlexItem): void {
  for (const leaf of state.library.leaves(item)) state.watch.put(account.id, leaf.ratingKey, {});
}

/**
 * `/:/progress` (undocumented, PLEX.md §5.3): sets the resume point directly. Time 0 does
 * nothing ("setting the time to 0 will not work"); a managed user gets 401 unless switched.
 */
export function setProgress(state: PlexDemoState, account: PlexAccount, item: PlexItem, time: number): void {
  if (account.managed && state.rules.progressForManagedUsers === 'refuse') throw new HttpError(401, 'managed accounts cannot update progress');
  if (item.duration === undefined) throw new HttpError(400, 'not a playable item');
  if (time < 0 || time > item.duration) throw new HttpError(400, 'time out of range');
  if (time === 0) return;
  state.watch.put(account.id, item.ratingKey, { ...state.watch.get(account.id, item.ratingKey), viewOffset: time, lastViewedAt: nowSeconds(state) });
  state.watch.setHidden(account.id, item.ratingKey, false);
}
