import { currentUser, type DemoRequest, type DemoState } from '../context.js';
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
import { empty, json, problem, type Reply } from '../reply.js';
import { BadRequest, JsonFields } from '../request.js';
import { legacyTwin, type Route } from '../router.js';
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

/** A session report: the token's user is the session user; an unknown item is a silent no-op (204). */
function report(apply: (state: DemoState, userId: string, item: DemoItem, body: JsonFields) => void) {
  return (request: DemoRequest, state: DemoState): Reply => {
    const body = new JsonFields(request.body);
    const item = reportedItem(state, body);
    if (item && !item.isFolder) apply(state, currentUser(request).id, item, body);
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

/** `ItemsController.GetItemUserData`. */
const GET_USER_DATA: Route = {
  methods: ['GET'],
  path: '/UserItems/{itemId}/UserData',
  handle: (request, state) => {
    const user = actingUser(request);
    const item = routeItem(request, state);
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
    if (!item) return problem(404);
    const update = readUpdate(new JsonFields(request.body));
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
      withUserData(state, userId, item, (data) => applyPlaybackProgress(item, data, position));
    }),
  },
  {
    methods: ['POST'],
    path: '/Sessions/Playing/Stopped',
    handle: (request, state) => {
      const body = new JsonFields(request.body);
      const position = body.integer('PositionTicks');
      // ArgumentOutOfRangeException in SessionManager.OnPlaybackStopped → 400.
      if (position !== undefined && position < 0) throw new BadRequest("The PlaybackStopInfo's PositionTicks was negative.");
      const failed = body.boolean('Failed') ?? false;
      const item = reportedItem(state, body);
      if (item && !item.isFolder) withUserData(state, currentUser(request).id, item, (data) => applyPlaybackStopped(item, data, position, failed));
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
