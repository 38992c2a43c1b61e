import type { BaseItemDto, ItemFields, MediaSourceInfo } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoState } from './context.js';
import type { DemoItem } from './library.js';
import { segmentsOf } from './media-segments.js';
import { mediaStreams } from './media-streams.js';
import { defaultTracks } from './remembered-tracks.js';
import { supportsUserDataFromChildren, userItemDataDto } from './user-data.js';
import { formatDate } from './wire.js';

/** How an item is sent: which optional fields, and whether `UserData` rides along. */
export interface DtoOptions {
  /** `Fields=` values (case-insensitive); `'all'` for `/Items/{id}`, which uses `new DtoOptions()`. */
  fields: ReadonlySet<string> | 'all';
  /** The user whose `UserData` is attached; omitted with `enableUserData=false`. */
  userId?: string;
}

/** Reads `Fields=`: unknown names are dropped silently, as the server's binder does. */
export function parseFields(values: string[]): Set<string> {
  return new Set(values.map((value) => value.toLowerCase()));
}

function wants(options: DtoOptions, field: ItemFields): boolean {
  return options.fields === 'all' || options.fields.has(field.toLowerCase());
}

/**
 * The single version of a video, with `Id` equal to the item id as Jellyfin does for one-file
 * items: the clip's streams plus an external subtitle, and the default audio and subtitle
 * streams `MediaSourceManager` picks for the user: the ones they last played when remembered
 * (`remembered-tracks.ts`), else those the demo users' settings pick.
 */
export function mediaSource(state: DemoState, item: DemoItem, userId?: string): MediaSourceInfo {
  const streams = mediaStreams(item, state.version);
  const user = userId === undefined ? undefined : state.accounts.userById(userId);
  const defaults = defaultTracks(streams, user, userId === undefined ? undefined : state.userData.get(userId, item.id));
  return {
    Protocol: 'File',
    Id: item.id,
    Path: item.path,
    Type: 'Default',
    Container: 'mp4',
    Size: state.clip.size,
    Name: item.name,
    IsRemote: false,
    RunTimeTicks: item.runTimeTicks,
    SupportsTranscoding: false,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    RequiresOpening: false,
    RequiresClosing: false,
    MediaStreams: streams,
    Bitrate: Math.round((state.clip.size * 8) / 600),
    DefaultAudioStreamIndex: defaults.audio,
    DefaultSubtitleStreamIndex: defaults.subtitle,
    HasSegments: state.mediaSegments ? segmentsOf(item).length > 0 : undefined,
  };
}

/**
 * A `BaseItemDto` as `DtoService` builds it: names, ids, numbers and series/season links always;
 * `Overview`, `Path`, `MediaSources`, `MediaStreams`, `ChildCount`, `ParentId`, `DateCreated`, `SortName` only
 * when asked for in `Fields`; `UserData` unless disabled, and a series' or season's `RecursiveItemCount`
 * only with it. Media sources follow the `UserData` user's remembered tracks.
 */
export function baseItemDto(state: DemoState, item: DemoItem, options: DtoOptions): BaseItemDto {
  const video = !item.isFolder;
  const dto: BaseItemDto = {
    Name: item.name,
    ServerId: state.serverId,
    Id: item.id,
    Type: item.type,
    IsFolder: item.isFolder,
    CollectionType: item.collectionType,
    MediaType: video ? 'Video' : 'Unknown',
    LocationType: 'FileSystem',
    Container: video ? 'mp4' : undefined,
    RunTimeTicks: item.runTimeTicks,
    ProductionYear: item.productionYear,
    PremiereDate: item.premiereDate ? formatDate(item.premiereDate) : undefined,
    IndexNumber: item.indexNumber,
    ParentIndexNumber: item.parentIndexNumber,
    SeriesName: item.seriesName,
    SeriesId: item.seriesId,
    SeasonId: item.seasonId,
    SeasonName: item.seasonName,
    ImageTags: {},
    BackdropImageTags: [],
  };
  if (wants(options, 'Overview')) dto.Overview = item.overview;
  if (wants(options, 'Path')) dto.Path = item.path;
  if (wants(options, 'ParentId')) dto.ParentId = item.parentId;
  if (wants(options, 'DateCreated')) dto.DateCreated = formatDate(item.dateCreated);
  if (wants(options, 'SortName')) dto.SortName = item.sortName;
  if (wants(options, 'MediaSources') && video) dto.MediaSources = [mediaSource(state, item, options.userId)];
  // DtoService.AttachBasicFields: with `MediaStreams` asked for (so on `/Items/{id}`, every field),
  // the streams of the item's own media source at the top level too, the same ones as in `MediaSources`.
  if (wants(options, 'MediaStreams') && video) dto.MediaStreams = (dto.MediaSources?.[0] ?? mediaSource(state, item, options.userId)).MediaStreams;
  if (wants(options, 'ChildCount') && item.isFolder) dto.ChildCount = state.library.children(item.id).length;
  if (options.userId !== undefined) {
    // Folder.FillUserDataDtoValues counts RecursiveItemCount while building UserData, so without
    // UserData (enableUserData=false) or for a library it is never set.
    const counted = wants(options, 'RecursiveItemCount') && supportsUserDataFromChildren(item) ? state.library.leaves(item).length : undefined;
    dto.RecursiveItemCount = counted;
    dto.UserData = userItemDataDto(state.library, state.userData, options.userId, item, counted);
  }
  return dto;
}
