import type { BaseItemDtoQueryResult } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoRequest, DemoState } from '../context.js';
import { baseItemDto, parseFields, type DtoOptions } from '../dto.js';
import { isPlayedBy, nextUp, queryItems, resumable } from '../item-query.js';
import type { DemoItem } from '../library.js';
import { json, problem, type Reply } from '../reply.js';
import { legacyTwin, type Route } from '../router.js';
import { actingUser, boolQuery, guidParam, intQuery, routeItem } from './params.js';

function dtoOptions(request: DemoRequest, userId: string): DtoOptions {
  return {
    fields: parseFields(request.query.list('fields')),
    userId: boolQuery(request, 'enableUserData') === false ? undefined : userId,
  };
}

/** A `BaseItemDtoQueryResult` page: `TotalRecordCount` counts every match, before paging. */
function page(request: DemoRequest, state: DemoState, userId: string, items: DemoItem[]): Reply {
  const startIndex = Math.max(0, intQuery(request, 'startIndex') ?? 0);
  const limit = intQuery(request, 'limit');
  const slice = items.slice(startIndex, limit === undefined ? undefined : startIndex + Math.max(0, limit));
  const options = dtoOptions(request, userId);
  const result: BaseItemDtoQueryResult = {
    Items: slice.map((item) => baseItemDto(state, item, options)),
    TotalRecordCount: items.length,
    StartIndex: startIndex,
  };
  return json(result);
}

function optionalGuid(request: DemoRequest, name: string): string | undefined {
  const raw = request.query.get(name);
  return raw === undefined || raw === '' ? undefined : guidParam(raw, name);
}

/**
 * `ItemsController.GetItems`. The legacy twin `/Users/{userId}/Items` (`GetItemsByUserIdLegacy`)
 * forwards everything but `indexNumber`, which it passes on as null.
 */
function items(options: { indexNumber: boolean }) {
  return (request: DemoRequest, state: DemoState): Reply => {
    const user = actingUser(request);
    const found = queryItems(state, {
      userId: user.id,
      parentId: optionalGuid(request, 'parentId'),
      recursive: boolQuery(request, 'recursive') ?? false,
      includeItemTypes: request.query.list('includeItemTypes'),
      excludeItemTypes: request.query.list('excludeItemTypes'),
      searchTerm: request.query.get('searchTerm') || undefined,
      ids: request.query.list('ids').map((id) => guidParam(id, 'ids')),
      filters: request.query.list('filters'),
      isPlayed: boolQuery(request, 'isPlayed'),
      parentIndexNumber: intQuery(request, 'parentIndexNumber'),
      indexNumber: options.indexNumber ? intQuery(request, 'indexNumber') : undefined,
      sortBy: request.query.list('sortBy'),
      sortOrder: request.query.list('sortOrder'),
    });
    return page(request, state, user.id, found);
  };
}

/**
 * `UserLibraryController.GetLatestMedia` with `UserViewManager.GetLatestItems`: the videos under
 * `parentId` (default: every library), newest `DateCreated` first, filtered by `includeItemTypes`
 * and `isPlayed`. With `groupItems` (default true) an episode is grouped under its series (its
 * `LatestItemsIndexContainer`); the list stops at `limit` (default 20) entries. A group of more
 * than one episode is sent as the series with `ChildCount` = the episodes grouped, anything else
 * as the item itself with `ChildCount` 0. A plain JSON array, not a query result.
 * (Jellyfin reads only the newest few candidates before grouping; the demo groups them all.)
 */
function latest(request: DemoRequest, state: DemoState): Reply {
  const user = actingUser(request);
  const parentId = optionalGuid(request, 'parentId');
  const limit = intQuery(request, 'limit') ?? 20;
  const groupItems = boolQuery(request, 'groupItems') ?? true;
  const isPlayed = boolQuery(request, 'isPlayed');
  const include = new Set(request.query.list('includeItemTypes').map((type) => type.toLowerCase()));
  const parent = parentId === undefined ? undefined : state.library.get(parentId);
  const parents = parent?.isFolder ? [parent] : [...state.library.views];
  const candidates = parents
    .flatMap((folder) => state.library.descendants(folder.id))
    .filter((item) => (include.size === 0 ? !item.isFolder : include.has(item.type.toLowerCase())))
    .filter((item) => isPlayed === undefined || isPlayedBy(state, user.id, item) === isPlayed)
    .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
  const groups: Array<{ container?: DemoItem; items: DemoItem[] }> = [];
  for (const item of candidates) {
    if (groups.length >= limit) break;
    const container = !item.isFolder && groupItems && item.type === 'Episode' && item.seriesId !== undefined ? state.library.get(item.seriesId) : undefined;
    const group = container && groups.find((entry) => entry.container?.id === container.id);
    if (group) group.items.push(item);
    else groups.push({ container, items: [item] });
  }
  const options = dtoOptions(request, user.id);
  return json(
    groups.map(({ container, items: grouped }) => {
      const representative = container && grouped.length > 1 ? container : (grouped[0] as DemoItem);
      return { ...baseItemDto(state, representative, options), ChildCount: container && grouped.length > 1 ? grouped.length : 0 };
    }),
  );
}

/** `ItemsController.GetResumeItems`: videos with a resume position, most recently played first. */
function resume(request: DemoRequest, state: DemoState): Reply {
  const user = actingUser(request);
  const parentId = optionalGuid(request, 'parentId');
  const include = new Set(request.query.list('includeItemTypes').map((type) => type.toLowerCase()));
  const term = request.query.get('searchTerm')?.toLowerCase();
  const within = parentId === undefined ? undefined : new Set(state.library.descendants(parentId).map((item) => item.id));
  const found = resumable(state, user.id).filter(
    (item) =>
      (include.size === 0 || include.has(item.type.toLowerCase())) &&
      (within === undefined || within.has(item.id)) &&
      (term === undefined || item.name.toLowerCase().includes(term)),
  );
  return page(request, state, user.id, found);
}

/** `UserLibraryController.GetItem`: one item with every field (`new DtoOptions()`). */
function item(request: DemoRequest, state: DemoState): Reply {
  const user = actingUser(request);
  const found = routeItem(request, state);
  if (!found) return problem(404);
  return json(baseItemDto(state, found, { fields: 'all', userId: user.id }));
}

/**
 * `UserViewsController.GetUserViews`: the libraries, not paged (`startIndex` and `limit` are not
 * parameters of it): `new QueryResult<BaseItemDto>(dtos)`, so `StartIndex` is always 0.
 */
function userViews(request: DemoRequest, state: DemoState): Reply {
  const user = actingUser(request);
  const views = [...state.library.views];
  const result: BaseItemDtoQueryResult = {
    Items: views.map((view) => baseItemDto(state, view, dtoOptions(request, user.id))),
    TotalRecordCount: views.length,
    StartIndex: 0,
  };
  return json(result);
}

const USER_VIEWS: Route = { methods: ['GET'], path: '/UserViews', handle: userViews };
const ITEMS: Route = { methods: ['GET'], path: '/Items', handle: items({ indexNumber: true }) };
const RESUME: Route = { methods: ['GET'], path: '/UserItems/Resume', handle: resume };
const LATEST: Route = { methods: ['GET'], path: '/Items/Latest', handle: latest };
const ITEM: Route = { methods: ['GET'], path: '/Items/{itemId}', handle: item };

/** Libraries, listings, latest, continue watching, next up, seasons, episodes and single items. */
export const browseRoutes: Route[] = [
  USER_VIEWS,
  ITEMS,
  RESUME,
  LATEST,
  {
    methods: ['GET'],
    path: '/Shows/NextUp',
    handle: (request, state) => {
      const user = actingUser(request);
      return page(request, state, user.id, nextUp(state, user.id, optionalGuid(request, 'seriesId')));
    },
  },
  {
    methods: ['GET'],
    path: '/Shows/{seriesId}/Seasons',
    handle: (request, state) => {
      const user = actingUser(request);
      const series = routeItem(request, state, 'seriesId');
      if (series?.type !== 'Series') return problem(404, 'Series not found');
      return page(request, state, user.id, [...state.library.children(series.id)]);
    },
  },
  {
    methods: ['GET'],
    path: '/Shows/{seriesId}/Episodes',
    handle: (request, state) => {
      const user = actingUser(request);
      const series = routeItem(request, state, 'seriesId');
      if (series?.type !== 'Series') return problem(404, 'Series not found');
      const seasonId = optionalGuid(request, 'seasonId');
      const seasonNumber = intQuery(request, 'season');
      let episodes = state.library.episodesOf(series.id);
      if (seasonId !== undefined) {
        const season = state.library.get(seasonId);
        if (season?.type !== 'Season') return problem(404, 'Season not found');
        episodes = episodes.filter((episode) => episode.seasonId === seasonId);
      } else if (seasonNumber !== undefined) {
        episodes = episodes.filter((episode) => episode.parentIndexNumber === seasonNumber);
      }
      return page(request, state, user.id, episodes);
    },
  },
  ITEM,
  // The legacy twins Jellyfin 10.9 through 12.0 still answer but hide from the OpenAPI document
  // ([Obsolete("Kept for backwards compatibility")] + [ApiExplorerSettings(IgnoreApi = true)]).
  // Each forwards its route's userId to the modern method, whose RequestHelpers.GetUserId check
  // (403 for another user without admin) applies as before.
  legacyTwin(USER_VIEWS, '/Users/{userId}/Views', 'UserViewsController.GetUserViewsLegacy'),
  legacyTwin(ITEMS, '/Users/{userId}/Items', 'ItemsController.GetItemsByUserIdLegacy', { handle: items({ indexNumber: false }) }),
  legacyTwin(RESUME, '/Users/{userId}/Items/Resume', 'ItemsController.GetResumeItemsLegacy'),
  legacyTwin(LATEST, '/Users/{userId}/Items/Latest', 'UserLibraryController.GetLatestMediaLegacy'),
  legacyTwin(ITEM, '/Users/{userId}/Items/{itemId}', 'UserLibraryController.GetItemLegacy'),
];
