import { BaseItemKind, ItemSortBy, SortOrder, type BaseItemDtoQueryResult } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoRequest, DemoState } from '../context.js';
import { baseItemDto, parseFields, type DtoOptions } from '../dto.js';
import { defaultRecursive, isPlayedBy, nextUp, queryItems, resumable } from '../item-query.js';
import type { DemoItem } from '../library.js';
import { failure, json, problem, stringResult, type Reply } from '../reply.js';
import { legacyTwin, type Route } from '../router.js';
import { parseGuid } from '../wire.js';
import { actingUser, boolQuery, guidParam, intQuery, routeItem } from './params.js';

function dtoOptions(request: DemoRequest, userId: string): DtoOptions {
  return {
    fields: parseFields(request.query.list('fields')),
    userId: boolQuery(request, 'enableUserData') === false ? undefined : userId,
  };
}

/** A `BaseItemDtoQueryResult` page: `TotalRecordCount` counts every match, before paging. */
function page(request: DemoRequest, state: DemoState, userId: string, items: DemoItem[], paged = true): Reply {
  const startIndex = Math.max(0, intQuery(request, 'startIndex') ?? 0);
  const limit = intQuery(request, 'limit');
  const slice = paged ? items.slice(startIndex, limit === undefined ? undefined : startIndex + Math.max(0, limit)) : items;
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

/** A GUID as .NET's `Guid.ToString()` writes it into a message: dashed, lower case. */
function dashed(id: string): string {
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

/**
 * An enum list as `CommaDelimitedArrayModelBinder` binds it: names matched case-insensitively,
 * values it cannot convert dropped (`GetParsedResult` catches the `FormatException`).
 */
function enumList(request: DemoRequest, name: string, values: Record<string, string>): string[] {
  const known = new Map(Object.values(values).map((value) => [value.toLowerCase(), value]));
  return request.query.list(name).flatMap((raw) => known.get(raw.toLowerCase()) ?? []);
}

/**
 * `ItemsController.GetItems`. The legacy twin `/Users/{userId}/Items` (`GetItemsByUserIdLegacy`)
 * forwards everything but `indexNumber`, which it passes on as null. A lone `BoxSet` type drops
 * `parentId`; an unknown `parentId` makes `LibraryManager.GetParentItem` throw an
 * `ArgumentException("Invalid parent id")`, which `ExceptionMiddleware` answers 400 text/plain.
 */
function items(options: { indexNumber: boolean }) {
  return (request: DemoRequest, state: DemoState): Reply => {
    const user = actingUser(request);
    const includeItemTypes = enumList(request, 'includeItemTypes', BaseItemKind);
    const askedParent = optionalGuid(request, 'parentId');
    const parentId = includeItemTypes.length === 1 && includeItemTypes[0] === BaseItemKind.BoxSet ? undefined : askedParent;
    if (parentId !== undefined && !state.library.get(parentId)) return failure(400);
    const found = queryItems(state, {
      userId: user.id,
      parentId,
      recursive: boolQuery(request, 'recursive') ?? defaultRecursive(state, includeItemTypes),
      includeItemTypes,
      excludeItemTypes: enumList(request, 'excludeItemTypes', BaseItemKind),
      searchTerm: request.query.get('searchTerm') || undefined,
      ids: request.query.list('ids').flatMap((id) => parseGuid(id) ?? []),
      filters: request.query.list('filters'),
      isPlayed: boolQuery(request, 'isPlayed'),
      parentIndexNumber: intQuery(request, 'parentIndexNumber'),
      indexNumber: options.indexNumber ? intQuery(request, 'indexNumber') : undefined,
      sortBy: enumList(request, 'sortBy', ItemSortBy),
      sortOrder: enumList(request, 'sortOrder', SortOrder),
    });
    return page(request, state, user.id, found.items, found.paged);
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
    // TvShowsController.GetSeasons: `GetItemById<Series>(seriesId, user)`, a bare NotFound().
    handle: (request, state) => {
      const user = actingUser(request);
      const series = routeItem(request, state, 'seriesId');
      if (series?.type !== 'Series') return problem(404);
      return page(request, state, user.id, [...state.library.children(series.id)]);
    },
  },
  {
    methods: ['GET'],
    path: '/Shows/{seriesId}/Episodes',
    // TvShowsController.GetEpisodes: a `seasonId` is looked up on its own (the series is not
    // checked); otherwise the series must exist. Both misses are NotFound("…") strings.
    handle: (request, state) => {
      const user = actingUser(request);
      const seriesId = guidParam(request.params.seriesId ?? '', 'seriesId');
      const seasonId = optionalGuid(request, 'seasonId');
      if (seasonId !== undefined) {
        const season = state.library.get(seasonId);
        if (season?.type !== 'Season') return stringResult(404, `No season exists with Id ${dashed(seasonId)}`);
        return page(request, state, user.id, [...state.library.children(season.id)]);
      }
      const series = state.library.get(seriesId);
      if (series?.type !== 'Series') return stringResult(404, 'Series not found');
      const seasonNumber = intQuery(request, 'season');
      const episodes = state.library.episodesOf(series.id);
      return page(request, state, user.id, seasonNumber === undefined ? episodes : episodes.filter((episode) => episode.parentIndexNumber === seasonNumber));
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
