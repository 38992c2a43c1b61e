import type { BaseItemDtoQueryResult } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoRequest, DemoState } from '../context.js';
import { baseItemDto, parseFields, type DtoOptions } from '../dto.js';
import { nextUp, queryItems, resumable } from '../item-query.js';
import type { DemoItem } from '../library.js';
import { json, problem, type Reply } from '../reply.js';
import type { Route } from '../router.js';
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

/** Libraries, listings, continue watching, next up, seasons, episodes and single items. */
export const browseRoutes: Route[] = [
  {
    methods: ['GET'],
    path: '/UserViews',
    handle: (request, state) => page(request, state, actingUser(request).id, [...state.library.views]),
  },
  {
    methods: ['GET'],
    path: '/Items',
    handle: (request, state) => {
      const user = actingUser(request);
      const items = queryItems(state, {
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
        indexNumber: intQuery(request, 'indexNumber'),
        sortBy: request.query.list('sortBy'),
        sortOrder: request.query.list('sortOrder'),
      });
      return page(request, state, user.id, items);
    },
  },
  {
    methods: ['GET'],
    path: '/UserItems/Resume',
    handle: (request, state) => {
      const user = actingUser(request);
      const parentId = optionalGuid(request, 'parentId');
      const include = new Set(request.query.list('includeItemTypes').map((type) => type.toLowerCase()));
      const term = request.query.get('searchTerm')?.toLowerCase();
      const within = parentId === undefined ? undefined : new Set(state.library.descendants(parentId).map((item) => item.id));
      const items = resumable(state, user.id).filter(
        (item) =>
          (include.size === 0 || include.has(item.type.toLowerCase())) &&
          (within === undefined || within.has(item.id)) &&
          (term === undefined || item.name.toLowerCase().includes(term)),
      );
      return page(request, state, user.id, items);
    },
  },
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
  {
    methods: ['GET'],
    path: '/Items/{itemId}',
    handle: (request, state) => {
      const user = actingUser(request);
      const item = routeItem(request, state);
      if (!item) return problem(404);
      return json(baseItemDto(state, item, { fields: 'all', userId: user.id }));
    },
  },
];
