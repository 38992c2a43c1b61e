import type { DemoUser } from '../auth.js';
import { currentDevice, currentUser, type DemoRequest, type DemoState } from '../context.js';
import type { DemoItem } from '../library.js';
import {
  applyMarkPlayed,
  applyMarkUnplayed,
  applyPlaybackProgress,
  applyPlaybackStart,
  applyPlaybackStopped,
  applyUserDataUpdate,
  type UserDataUpdate,
} from '../playstate.js';
import { rememberReportedTracks } from '../remembered-tracks.js';
import { empty, failure, json, problem, type Reply } from '../reply.js';
import { BadRequest, JsonFields } from '../request.js';
import { legacyTwin, type Route } from '../router.js';
import { readPlayerReport } from '../sessions.js';
import type { StoredUserData } from '../user-data.js';
import { userItemDataDto } from '../user-data.js';
import { parseDateInput } from '../wire.js';
import { actingUser, guidParam, routeItem } from './params.js';

/** The body's `ItemId`: a missing one is `Guid.Empty` (nothing happens); a malformed one is a 400. */
function reportedItem(state: DemoState, body: JsonFields): DemoItem | undefined {
  const raw = body.string('ItemId');
  return raw === undefined || raw === '' ? undefined : state.library.get(guidParam(raw, 'ItemId'));
}

function withUserData(state: DemoState, userId: string, item: DemoItem, change: (data: StoredUserData) => void): void {
  const data = state.userData.get(userId, item.id);
  change(data);
  state.userData.save(userId, item.id, data);
}

/**
 * A session report: the token's user is the session user; an unknown item changes no user data
 * (204). Either way the token's device checks in with its client session (`UpdateNowPlayingItem`),
 * whose player fields are read first so that a malformed one changes nothing.
 */
function report(apply: (state: DemoState, userId: string, item: DemoItem, body: JsonFields) => void) {
  return (request: DemoRequest, state: DemoState): Reply => {
    const body = new JsonFields(request.body);
    const item = reportedItem(state, body);
    const player = readPlayerReport(body);
    const known = item && !item.isFolder ? item : undefined;
    if (known) apply(state, currentUser(request).id, known, body);
    state.sessions.checkIn(currentDevice(request), currentUser(request), known, player);
    return empty(204);
  };
}

function dateField(body: JsonFields, name: string): Date | undefined {
  const raw = body.string(name);
  if (raw === undefined) return undefined;
  const date = parseDateInput(raw);
  if (!date) throw new BadRequest(`${name} is not a date`);
  return date;
}

function readUpdate(body: JsonFields): UserDataUpdate {
  // ItemId and Key are ignored by SaveUserData, but must still deserialise.
  const itemId = body.string('ItemId');
  if (itemId !== undefined && itemId !== '') guidParam(itemId, 'ItemId');
  body.string('Key');
  body.number('PlayedPercentage');
  body.integer('UnplayedItemCount');
  return {
    playbackPositionTicks: body.integer('PlaybackPositionTicks'),
    playCount: body.integer('PlayCount'),
    isFavorite: body.boolean('IsFavorite'),
    likes: body.boolean('Likes'),
    played: body.boolean('Played'),
    lastPlayedDate: dateField(body, 'LastPlayedDate'),
    rating: body.number('Rating'),
  };
}

/** Marks an item (a folder: every episode in it) played or unplayed, answering its UserItemDataDto. */
function markRoute(played: boolean) {
  return (request: DemoRequest, state: DemoState): Reply => {
    const user = actingUser(request);
    const item = routeItem(request, state);
    if (!item) return problem(404);
    let datePlayed: Date | undefined;
    const rawDate = request.query.get('datePlayed');
    if (played && rawDate !== undefined && rawDate !== '') {
      datePlayed = parseDateInput(rawDate);
      if (!datePlayed) throw new BadRequest(`The value '${rawDate}' is not valid for datePlayed.`);
    }
    const now = state.now();
    for (const leaf of state.library.leaves(item)) {
      withUserData(state, user.id, leaf, (data) => (played ? applyMarkPlayed(data, datePlayed, now) : applyMarkUnplayed(data)));
    }
    return json(userItemDataDto(state.library, state.userData, user.id, item));
  };
}

/** `PlaystateController.MarkPlayedItem` / `MarkUnplayedItem`. */
const MARK_PLAYED: Route = { methods: ['POST'], path: '/UserPlayedItems/{itemId}', handle: markRoute(true) };
const MARK_UNPLAYED: Route = { methods: ['DELETE'], path: '/UserPlayedItems/{itemId}', handle: markRoute(false) };

/**
 * `RequestHelpers.AssertCanUpdateUser(User, user, restrictUserPreferences: true)` fails for a
 * non-administrator (every demo user) whose policy lacks `EnableUserPreferenceAccess`. The
 * UserData actions then return `StatusCode(403, "User is not allowed to … this item user data.")`
 * (`ItemsController.GetItemUserData` / `UpdateItemUserData`), after the user lookup and before
 * the item's: an ObjectResult, so the message goes out as a JSON string, not through the
 * ExceptionMiddleware's text/plain. Marks and session reports have no such check.
 */
function withoutPreferenceAccess(user: DemoUser, verb: 'view' | 'update'): Reply | undefined {
  return user.enableUserPreferenceAccess === false ? json(`User is not allowed to ${verb} this item user data.`, 403) : undefined;
}

/** `ItemsController.GetItemUserData`. */
const GET_USER_DATA: Route = {
  methods: ['GET'],
  path: '/UserItems/{itemId}/UserData',
  handle: (request, state) => {
    const user = actingUser(request);
    const item = routeItem(request, state);
    const denied = withoutPreferenceAccess(user, 'view');
    if (denied) return denied;
    if (!item) return problem(404);
    return json(userItemDataDto(state.library, state.userData, user.id, item));
  },
};

/** `ItemsController.UpdateItemUserData`. */
const UPDATE_USER_DATA: Route = {
  methods: ['POST'],
  path: '/UserItems/{itemId}/UserData',
  handle: (request, state) => {
    const user = actingUser(request);
    const item = routeItem(request, state);
    const update = readUpdate(new JsonFields(request.body));
    const denied = withoutPreferenceAccess(user, 'update');
    if (denied) return denied;
    if (!item) return problem(404);
    withUserData(state, user.id, item, (data) => applyUserDataUpdate(data, update));
    return json(userItemDataDto(state.library, state.userData, user.id, item));
  },
};

/** `PlaystateController` session reports and marks, and `ItemsController` UserData read/write. */
export const playstateRoutes: Route[] = [
  {
    methods: ['POST'],
    path: '/Sessions/Playing',
    handle: report((state, userId, item) => withUserData(state, userId, item, (data) => applyPlaybackStart(state.version, data, state.now()))),
  },
  {
    methods: ['POST'],
    path: '/Sessions/Playing/Progress',
    handle: report((state, userId, item, body) => {
      const position = body.integer('PositionTicks');
      withUserData(state, userId, item, (data) => {
        applyPlaybackProgress(item, data, position);
        rememberReportedTracks(state, userId, data, body);
      });
    }),
  },
  {
    methods: ['POST'],
    path: '/Sessions/Playing/Stopped',
    handle: (request, state) => {
      const body = new JsonFields(request.body);
      const position = body.integer('PositionTicks');
      // ArgumentOutOfRangeException in SessionManager.OnPlaybackStopped → 400 by the ExceptionMiddleware (text/plain).
      if (position !== undefined && position < 0) return failure(400);
      const failed = body.boolean('Failed') ?? false;
      const item = reportedItem(state, body);
      if (item && !item.isFolder) withUserData(state, currentUser(request).id, item, (data) => applyPlaybackStopped(item, data, position, failed));
      state.sessions.stopped(currentDevice(request), currentUser(request));
      return empty(204);
    },
  },
  {
    methods: ['POST'],
    path: '/Sessions/Playing/Ping',
    handle: (request) => {
      if (!request.query.get('playSessionId')) throw new BadRequest('The playSessionId field is required.');
      return empty(204);
    },
  },
  MARK_PLAYED,
  MARK_UNPLAYED,
  GET_USER_DATA,
  UPDATE_USER_DATA,
  // Legacy twins, still answered by 10.11 and 12.0 but hidden from the OpenAPI document
  // ([Obsolete("Kept for backwards compatibility")] + [ApiExplorerSettings(IgnoreApi = true)]);
  // jellyfin-apiclient 1.11.0 and jftui mark played through /Users/{userId}/PlayedItems.
  legacyTwin(MARK_PLAYED, '/Users/{userId}/PlayedItems/{itemId}', 'PlaystateController.MarkPlayedItemLegacy'),
  legacyTwin(MARK_UNPLAYED, '/Users/{userId}/PlayedItems/{itemId}', 'PlaystateController.MarkUnplayedItemLegacy'),
  legacyTwin(GET_USER_DATA, '/Users/{userId}/Items/{itemId}/UserData', 'ItemsController.GetItemUserDataLegacy'),
  legacyTwin(UPDATE_USER_DATA, '/Users/{userId}/Items/{itemId}/UserData', 'ItemsController.UpdateItemUserDataLegacy'),
];
