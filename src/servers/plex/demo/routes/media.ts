/**
 * Playback media (PLEX.md §4): the part file at its key (the clip, with Range/206), the sidecar
 * subtitle at `/library/streams/{id}[.ext]`, and `PUT /library/parts/{id}` persisting the audio
 * and subtitle choice that `Stream.selected` then shows.
 */
import { readFile } from 'node:fs/promises';
import { besideClip, fileReply } from '../../../demo-kit/index.js';
import type { PlexDemoState } from '../context.js';
import { changestampOf, partHasStream, streamById } from '../media.js';
import { emptyHtml, type Reply } from '../reply.js';
import { currentAccount, HttpError, intParam, type PlexRequest } from '../request.js';
import type { PlexRoute } from '../router.js';

/** A part by its `{partId}`; 404 when no item has it. */
function partItem(request: PlexRequest, state: PlexDemoState) {
  const partId = Number(request.params.partId);
  const item = Number.isInteger(partId) ? state.library.byPartId(partId) : undefined;
  if (!item) throw new HttpError(404, 'no such part');
  return item;
}

/**
 * `GET /library/parts/{partId}/{changestamp}/{filename}`: the clip with byte ranges (mpv seeks).
 * Only the changestamp of the part's key is served, so a client that builds keys instead of using
 * `Part.key` verbatim (PLEX.md §4.1) finds out; the file name is not checked, as on a real server.
 */
function partFile(request: PlexRequest, state: PlexDemoState): Reply {
  const item = partItem(request, state);
  if (request.params.changestamp !== String(changestampOf(item))) throw new HttpError(404, 'no such part version');
  return fileReply(state.clip, request.headers.range, { 'content-type': 'video/mp4', 'last-modified': new Date(item.updatedAt * 1000).toUTCString() });
}

/**
 * `GET /library/streams/{streamId}[.{ext}]`: the German sidecar subtitle as SRT. A stream that is
 * inside the file answers 501 "not a sidecar subtitle", an unknown one 404 (PLEX.md §4.2).
 */
async function streamFile(request: PlexRequest, state: PlexDemoState): Promise<Reply> {
  const id = Number(request.params.streamId);
  const found = Number.isInteger(id) ? streamById(id) : undefined;
  if (!found || !state.library.byPartId(found.partId)) throw new HttpError(404, 'no such stream');
  if (found.template.sidecar === undefined) throw new HttpError(501, 'not a sidecar subtitle');
  const text = await readFile(besideClip(state.clip, found.template.sidecar), 'utf8');
  return { status: 200, headers: { 'content-type': 'application/x-subrip; charset=utf-8' }, body: text };
}

/**
 * `PUT /library/parts/{partId}?audioStreamID=&subtitleStreamID=&allParts=1`: persists the
 * account's choice (`subtitleStreamID=0` = none); 400 for a stream that is not the part's of that
 * type (PLEX.md §4.2). Idempotent.
 */
function selectStreams(request: PlexRequest, state: PlexDemoState): Reply {
  const account = currentAccount(request);
  const item = partItem(request, state);
  const partId = item.partId!;
  const audio = intParam(request, 'audioStreamID');
  const subtitle = intParam(request, 'subtitleStreamID');
  if (audio === undefined && subtitle === undefined) throw new HttpError(400, 'audioStreamID or subtitleStreamID is required');
  if (audio !== undefined && !partHasStream(partId, audio, 2)) throw new HttpError(400, 'not an audio stream of this part');
  if (subtitle !== undefined && subtitle !== 0 && !partHasStream(partId, subtitle, 3)) throw new HttpError(400, 'not a subtitle stream of this part');
  const current = state.selections.get(account.id, partId);
  state.selections.set(account.id, partId, { audioStreamID: audio ?? current.audioStreamID, subtitleStreamID: subtitle ?? current.subtitleStreamID });
  return emptyHtml();
}

/** The media endpoints. */
export const mediaRoutes: PlexRoute[] = [
  { methods: ['GET'], path: '/library/parts/{partId}/{changestamp}/{filename}', handle: partFile },
  { methods: ['PUT'], path: '/library/parts/{partId}', handle: selectStreams },
  { methods: ['GET'], path: '/library/streams/{streamId}.{ext}', handle: streamFile },
  { methods: ['GET'], path: '/library/streams/{streamId}', handle: streamFile },
];
