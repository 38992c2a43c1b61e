import { randomUUID } from 'node:crypto';
import { fileReply } from '../../../demo-kit/reply.js';
import type { BaseItemDtoQueryResult, PlaybackInfoResponse } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoRequest, DemoState } from '../context.js';
import { mediaSource } from '../dto.js';
import { failure, json, problem, type Reply } from '../reply.js';
import { JsonFields } from '../request.js';
import type { Route } from '../router.js';
import { applySubtitleDelivery, readSubtitleProfiles } from '../subtitle-delivery.js';
import { actingUser, integerParam, routeItem } from './params.js';

/** Reads a single `Range: bytes=…` header (the demo kit's, shared with the Plex demo). */
export { parseRange } from '../../../demo-kit/reply.js';

/** Query first, then body, as `GetPostedPlaybackInfo` copies its obsolete query parameters over the body's. */
function postedValue<T>(request: DemoRequest, body: JsonFields | undefined, name: string, read: (fields: JsonFields) => T | undefined, parse: (raw: string) => T): T | undefined {
  const raw = request.query.get(name);
  if (raw !== undefined && raw !== '') return parse(raw);
  return body === undefined ? undefined : read(body);
}

/**
 * `MediaInfoController` PlaybackInfo, for the token's user. The source carries the user's
 * remembered tracks as its defaults. A POST's `MediaSourceId` that names no source of the item
 * answers `ErrorCode: NoCompatibleStream`, no source and no `PlaySessionId`
 * (`MediaInfoHelper.GetPlaybackInfo`). Only a POST that carries a `DeviceProfile` gets the
 * device-specific part (`SetDeviceSpecificData`): subtitle `DeliveryMethod`/`DeliveryUrl` from
 * the profile's `SubtitleProfiles`, and the requested audio and subtitle streams as the defaults.
 */
function playbackInfo(request: DemoRequest, state: DemoState): Reply {
  const user = actingUser(request);
  const item = routeItem(request, state);
  if (!item) return problem(404);
  const body = request.method === 'POST' && request.body !== undefined ? new JsonFields(request.body) : undefined;
  const mediaSourceId = request.method === 'POST' ? postedValue(request, body, 'mediaSourceId', (fields) => fields.string('MediaSourceId'), (raw) => raw) : undefined;
  // MediaSourceManager.GetStaticMediaSources casts the item to IHasMediaSources, which a folder is
  // not: the InvalidCastException reaches ExceptionMiddleware as a 500 on 10.11 (seen logged for a
  // Series on 10.11.5) and on 12.0. PR #17999, merged after 12.0, turns it into a 400.
  if (item.isFolder) return failure(500);
  const sources = [mediaSource(state, item, user.id)].filter((source) => !mediaSourceId?.trim() || mediaSourceId.toLowerCase() === source.Id);
  if (sources.length === 0) {
    const refused: PlaybackInfoResponse = { MediaSources: [], ErrorCode: 'NoCompatibleStream' };
    return json(refused);
  }
  const profile = body?.object('DeviceProfile');
  if (profile) {
    const subtitleProfiles = readSubtitleProfiles(profile);
    const audio = postedValue(request, body, 'audioStreamIndex', (fields) => fields.integer('AudioStreamIndex'), (raw) => integerParam(raw, 'audioStreamIndex'));
    const subtitle = postedValue(request, body, 'subtitleStreamIndex', (fields) => fields.integer('SubtitleStreamIndex'), (raw) => integerParam(raw, 'subtitleStreamIndex'));
    for (const source of sources) {
      applySubtitleDelivery(source, item.id, subtitleProfiles, request.auth.token);
      if (mediaSourceId !== undefined && mediaSourceId.toLowerCase() === source.Id) {
        source.DefaultAudioStreamIndex = audio ?? source.DefaultAudioStreamIndex;
        source.DefaultSubtitleStreamIndex = subtitle ?? source.DefaultSubtitleStreamIndex;
      }
    }
  }
  const response: PlaybackInfoResponse = {
    MediaSources: sources,
    PlaySessionId: randomUUID().replace(/-/g, ''),
  };
  return json(response);
}

/** The video file itself (`static=true` direct stream), with Range support; no transcoding in the demo. */
function stream(request: DemoRequest, state: DemoState): Reply {
  const item = routeItem(request, state);
  // StreamingHelpers.GetStreamingState: ResourceNotFoundException → 404 by the ExceptionMiddleware (text/plain).
  if (!item || item.isFolder) return failure(404);
  return fileReply(state.clip, request.headers.range, { 'content-type': 'video/mp4', 'last-modified': new Date(0).toUTCString() });
}

/**
 * `VideosController.GetAdditionalPart`: the other files of a stacked video (`Video.GetAdditionalParts`),
 * as `new QueryResult<BaseItemDto>(items)`. Every demo video is a single file, and a folder has
 * none, so the answer is an empty result; an unknown item is a 404.
 */
function additionalParts(request: DemoRequest, state: DemoState): Reply {
  actingUser(request);
  if (!routeItem(request, state)) return problem(404);
  const result: BaseItemDtoQueryResult = { Items: [], TotalRecordCount: 0, StartIndex: 0 };
  return json(result);
}

/**
 * `MediaInfoController` PlaybackInfo, and `VideosController` additional parts and stream (the
 * stream anonymous, like the real one).
 */
export const playbackRoutes: Route[] = [
  { methods: ['GET', 'POST'], path: '/Items/{itemId}/PlaybackInfo', handle: playbackInfo },
  { methods: ['GET'], path: '/Videos/{itemId}/AdditionalParts', handle: additionalParts },
  { methods: ['GET', 'HEAD'], path: '/Videos/{itemId}/stream', anonymous: true, handle: stream },
  { methods: ['GET', 'HEAD'], path: '/Videos/{itemId}/stream.{container}', anonymous: true, handle: stream },
];
