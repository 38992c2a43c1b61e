/**
 * Watch-state endpoints (PLEX.md §5): the timeline report, scrobble and unscrobble (GET and PUT,
 * as every client uses GET), the undocumented `/:/progress`, hiding an item from Continue
 * Watching, and what the server shows of playback: `/status/sessions` and the play history.
 */
import type { PlexDemoState } from '../context.js';
import type { PlexItem } from '../library.js';
import { metadataJson } from '../metadata.js';
import { pageOf } from '../paging.js';
import { applyTimeline, scrobble, setProgress, unscrobble, type TimelineReport } from '../playstate.js';
import { container, emptyHtml, type Reply } from '../reply.js';
import { currentAccount, flagParam, HttpError, intParam, queryValue, type PlexRequest } from '../request.js';
import type { PlexRoute } from '../router.js';

const LIBRARY_IDENTIFIER = 'com.plexapp.plugins.library';
const STATES = new Set(['playing', 'paused', 'buffering', 'stopped']);

/** The item a report or mark names: `ratingKey=`, `key=` (a ratingKey or `/library/metadata/<rk>`) or `uri=`. */
function namedItem(request: PlexRequest, state: PlexDemoState, names: readonly string[]): PlexItem {
  let ratingKey: string | undefined;
  for (const name of names) {
    const raw = queryValue(request.query, name);
    if (raw === undefined || raw === '') continue;
    ratingKey = /\/library\/metadata\/([^/?]+)/.exec(raw)?.[1] ?? raw;
    break;
  }
  if (ratingKey === undefined) throw new HttpError(400, `${names.join(' or ')} is required`);
  const item = state.library.get(ratingKey);
  if (!item) throw new HttpError(404, 'no item with that ratingKey');
  return item;
}

/**
 * `POST|GET /:/timeline` (PLEX.md §5.1): every parameter in the query. The reply is an empty
 * container, or one carrying `terminationCode`/`terminationText` when the server ended the session.
 * Unknown ratingKeys answer 404, as scrobble does (PLEX.md §9 leaves this open).
 */
function timeline(request: PlexRequest, state: PlexDemoState): Reply {
  const account = currentAccount(request);
  const item = namedItem(request, state, ['ratingKey', 'key']);
  if (item.duration === undefined) throw new HttpError(400, 'not a playable item');
  const playState = queryValue(request.query, 'state');
  if (playState === undefined || !STATES.has(playState)) throw new HttpError(400, 'state must be playing, paused, buffering or stopped');
  const time = intParam(request, 'time');
  if (time === undefined || time < 0) throw new HttpError(400, 'time is required');
  const report: TimelineReport = {
    account,
    item,
    state: playState as TimelineReport['state'],
    time,
    duration: intParam(request, 'duration'),
    clientIdentifier: request.plex.clientIdentifier,
    sessionIdentifier: request.plex.sessionIdentifier,
    offline: flagParam(request, 'offline'),
    updated: updatedSeconds(intParam(request, 'updated')),
    product: request.plex.product,
    device: request.plex.deviceName ?? request.plex.device,
    platform: request.plex.platform,
  };
  const outcome = applyTimeline(state, report);
  request.outcome = outcome.effect;
  const termination = outcome.termination && { terminationCode: outcome.termination.code, terminationText: outcome.termination.text };
  return container(request, { size: 0, ...termination });
}

/** `updated` is epoch seconds (Plezy); a value in ms is read as such rather than as a date 50,000 years away. */
function updatedSeconds(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value > 100_000_000_000 ? Math.floor(value / 1000) : value;
}

/** The item a scrobble or unscrobble names, after the `identifier` checks (PLEX.md §5.2). */
function markedItem(request: PlexRequest, state: PlexDemoState): PlexItem {
  const identifier = queryValue(request.query, 'identifier');
  if (identifier === undefined || identifier === '') throw new HttpError(400, 'identifier is required');
  if (identifier !== LIBRARY_IDENTIFIER) throw new HttpError(404, 'no library with the provided identifier');
  return namedItem(request, state, ['key', 'uri']);
}

/** `PUT|GET /:/scrobble`: mark watched; not idempotent (PLEX.md §0.2). */
function scrobbleRoute(request: PlexRequest, state: PlexDemoState): Reply {
  scrobble(state, currentAccount(request), markedItem(request, state));
  return emptyHtml();
}

/** `PUT|GET /:/unscrobble`: mark unwatched; clears all three fields (PLEX.md §0.3). */
function unscrobbleRoute(request: PlexRequest, state: PlexDemoState): Reply {
  unscrobble(state, currentAccount(request), markedItem(request, state));
  return emptyHtml();
}

/** `GET|PUT /:/progress?key=&identifier=&time=&state=` (undocumented, PLEX.md §5.3). */
function progress(request: PlexRequest, state: PlexDemoState): Reply {
  const account = currentAccount(request);
  const item = namedItem(request, state, ['key', 'ratingKey']);
  const time = intParam(request, 'time');
  if (time === undefined) throw new HttpError(400, 'time is required');
  setProgress(state, account, item, time);
  return emptyHtml();
}

/** `PUT /actions/removeFromContinueWatching?ratingKey=`: hides the item until its next resume point (PLEX.md §3). */
function removeFromContinueWatching(request: PlexRequest, state: PlexDemoState): Reply {
  const item = namedItem(request, state, ['ratingKey']);
  state.watch.setHidden(currentAccount(request).id, item.ratingKey, true);
  return emptyHtml();
}

/** Only the server's owner (its admin) may read the dashboard endpoints (the spec's `admin` security). */
function requireOwner(request: PlexRequest, state: PlexDemoState): void {
  if (currentAccount(request).id !== state.accounts.owner.id) throw new HttpError(401, 'admin only');
}

/** `GET /status/sessions`: what plays now, with each session's live position (PLEX.md §0.8). */
function nowPlaying(request: PlexRequest, state: PlexDemoState): Reply {
  requireOwner(request, state);
  const metadata = state.sessions.list().flatMap((session, index) => {
    const item = state.library.get(session.ratingKey);
    const account = state.accounts.accounts.find((candidate) => candidate.id === session.accountId);
    if (!item || !account) return [];
    return [
      {
        ...metadataJson(state, account, item),
        viewOffset: session.time,
        sessionKey: String(index + 1),
        User: { id: String(account.id), title: account.title },
        Player: { machineIdentifier: session.clientIdentifier, product: session.product, title: session.device, platform: session.platform, state: session.state, local: true },
        Session: { id: session.sessionIdentifier ?? session.clientIdentifier, bandwidth: 1000, location: 'lan' },
      },
    ];
  });
  return container(request, { size: metadata.length, Metadata: metadata });
}

/**
 * `GET /status/sessions/history/all` (`metadataItemID=`, `accountID=`, `viewedAt>=`,
 * `sort=viewedAt:desc`, paged): the rows crossings wrote (scrobbles write none, PLEX.md §0.2).
 */
function history(request: PlexRequest, state: PlexDemoState): Reply {
  const item = intParam(request, 'metadataItemID');
  const accountId = intParam(request, 'accountID');
  // `viewedAt>=123` reaches the query as the name `viewedAt>` with the value `123`.
  const since = Number(queryValue(request.query, 'viewedAt>') ?? Number.NaN);
  let rows = state.watch.history.filter(
    (row) => (item === undefined || row.ratingKey === String(item)) && (accountId === undefined || row.accountId === accountId) && (Number.isNaN(since) || row.viewedAt >= since),
  );
  if (queryValue(request.query, 'sort') === 'viewedAt:desc') rows = [...rows].reverse();
  const page = pageOf(request, rows);
  const metadata = page.items.map((row) => {
    const found = state.library.get(row.ratingKey);
    return {
      historyKey: `/status/sessions/history/${row.historyId}`,
      key: `/library/metadata/${row.ratingKey}`,
      ratingKey: row.ratingKey,
      librarySectionID: found ? String(found.sectionId) : undefined,
      title: found?.title,
      grandparentTitle: found?.grandparentTitle,
      type: found?.type,
      viewedAt: row.viewedAt,
      accountID: row.accountId,
      deviceID: row.deviceId,
    };
  });
  return container(request, { size: metadata.length, ...page.fields, Metadata: metadata }, page.headers);
}

/** The watch-state endpoints. */
export const playstateRoutes: PlexRoute[] = [
  { methods: ['POST', 'GET'], path: '/:/timeline', handle: timeline },
  { methods: ['PUT', 'GET'], path: '/:/scrobble', handle: scrobbleRoute },
  { methods: ['PUT', 'GET'], path: '/:/unscrobble', handle: unscrobbleRoute },
  { methods: ['GET', 'PUT'], path: '/:/progress', handle: progress },
  { methods: ['PUT'], path: '/actions/removeFromContinueWatching', handle: removeFromContinueWatching },
  { methods: ['GET'], path: '/status/sessions', handle: nowPlaying },
  { methods: ['GET'], path: '/status/sessions/history/all', handle: history },
];
