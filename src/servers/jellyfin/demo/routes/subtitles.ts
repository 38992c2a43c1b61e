import { readFile } from 'node:fs/promises';
import type { DemoRequest, DemoState } from '../context.js';
import { subtitleFile } from '../media-streams.js';
import { failure, type Reply } from '../reply.js';
import type { Route } from '../router.js';
import { filterCues, parseSrt, writeSrt, writeVtt, type Cue } from '../subtitle-text.js';
import { boolQuery, guidParam, integerParam } from './params.js';

/** `MimeTypes.GetMimeType("file." + format)` for the formats the demo writes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = { srt: 'application/x-subrip', vtt: 'text/vtt' };

const WRITERS: Readonly<Record<string, (cues: readonly Cue[]) => string>> = { srt: writeSrt, subrip: writeSrt, vtt: writeVtt, webvtt: writeVtt };

/** A route value that the obsolete query parameter of the same name overrides, as `GetSubtitle` does. */
function overridden(request: DemoRequest, name: string, route: string): string {
  const raw = request.query.get(name);
  return raw === undefined || raw === '' ? request.params[route] ?? '' : raw;
}

/**
 * `SubtitleController.GetSubtitle` (anonymous). Every subtitle track is SRT underneath (the
 * embedded ones as Jellyfin extracts them), so `srt` is sent as stored whatever the start;
 * `vtt` is converted: cues over before the start are dropped and the rest shifted to it unless
 * `copyTimestamps`. Like Jellyfin, an unknown item is a 400 (`ArgumentNullException`), an
 * unknown media source or stream index a 500 (`First()` finds nothing). Formats Jellyfin also
 * converts to (ass, ssa, json, ttml) are not emulated and answer 400 like an unsupported one.
 */
async function subtitle(request: DemoRequest, state: DemoState): Promise<Reply> {
  const itemId = guidParam(overridden(request, 'itemId', 'routeItemId'), 'itemId');
  const mediaSourceId = overridden(request, 'mediaSourceId', 'routeMediaSourceId');
  const index = integerParam(overridden(request, 'index', 'routeIndex'), 'index');
  const routeTicks = request.params.routeStartPositionTicks;
  const queryTicks = request.query.get('startPositionTicks');
  const start = queryTicks !== undefined && queryTicks !== '' ? integerParam(queryTicks, 'startPositionTicks') : routeTicks === undefined ? 0 : integerParam(routeTicks, 'routeStartPositionTicks');
  const rawEnd = request.query.get('endPositionTicks');
  const end = rawEnd === undefined || rawEnd === '' ? 0 : integerParam(rawEnd, 'endPositionTicks');
  const keepTimestamps = boolQuery(request, 'copyTimestamps') ?? false;
  const timeMap = boolQuery(request, 'addVttTimeMap') ?? false;
  let format = overridden(request, 'format', 'routeFormat').toLowerCase();
  if (format === 'js') format = 'json';

  const item = state.library.get(itemId);
  if (!item) return failure(400);
  const file = item.isFolder || mediaSourceId.toLowerCase() !== item.id ? undefined : subtitleFile(state.clip.path, index);
  if (file === undefined) return failure(500);
  const stored = await readFile(file, 'utf8');
  if (format === 'srt') return { status: 200, headers: { 'content-type': CONTENT_TYPES.srt as string }, body: stored };
  const write = WRITERS[format];
  if (!write) return failure(400);
  let text = write(filterCues(parseSrt(stored), start, end, keepTimestamps));
  if (format === 'vtt' && timeMap) text = text.replace('WEBVTT', 'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000');
  return { status: 200, headers: { 'content-type': CONTENT_TYPES[format] ?? 'application/octet-stream' }, body: text };
}

/** The two subtitle stream routes of `SubtitleController`, with and without a start position. */
export const subtitleRoutes: Route[] = [
  { methods: ['GET'], path: '/Videos/{routeItemId}/{routeMediaSourceId}/Subtitles/{routeIndex}/Stream.{routeFormat}', anonymous: true, handle: subtitle },
  { methods: ['GET'], path: '/Videos/{routeItemId}/{routeMediaSourceId}/Subtitles/{routeIndex}/{routeStartPositionTicks}/Stream.{routeFormat}', anonymous: true, handle: subtitle },
];
