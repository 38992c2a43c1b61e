import type { MediaSegmentDtoQueryResult } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { parseSegmentTypes, segmentsOf } from '../media-segments.js';
import { json, problem } from '../reply.js';
import type { Route } from '../router.js';
import { routeItem } from './params.js';

/**
 * `MediaSegmentsController.GetItemSegments` (Jellyfin 10.10+): the item's segments by start,
 * only the `includeSegmentTypes` asked for (all when absent); 404 for an unknown item. A server
 * emulated without segments has no such route at all.
 */
export const mediaSegmentRoutes: Route[] = [
  {
    methods: ['GET'],
    path: '/MediaSegments/{itemId}',
    available: (state) => state.mediaSegments,
    handle: (request, state) => {
      const types = parseSegmentTypes(request.query.all('includeSegmentTypes'));
      const item = routeItem(request, state);
      if (!item) return problem(404);
      const items = segmentsOf(item).filter((segment) => types === undefined || (segment.Type !== undefined && types.has(segment.Type)));
      const result: MediaSegmentDtoQueryResult = { Items: items, TotalRecordCount: items.length, StartIndex: 0 };
      return json(result);
    },
  },
];
