import type {
  AuthenticationResult,
  BaseItemDto,
  MediaSegmentDto,
  MediaStream,
  PlaybackInfoResponse,
  QuickConnectResult,
  PublicSystemInfo,
  UserDto,
  UserItemDataDto,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { sanitizeText } from '../../text/sanitize.js';
import { streamLabels } from './stream-labels.js';
import type { MediaItem, MediaSegmentInfo, MediaStreamInfo, PlaybackSource, QuickConnectRequest, ServerInfo, SignIn, UserProfile, WatchState } from './types.js';

// Server text enters the app here, and only here: every string is sanitised once.
function text(value: string | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : sanitizeText(value);
}

function number(value: number | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : value;
}

/** A `UserItemDataDto` as the app's watch state (absent fields mean "never watched"). */
export function toWatchState(dto: UserItemDataDto | undefined): WatchState {
  const lastPlayed = dto?.LastPlayedDate;
  return {
    positionTicks: dto?.PlaybackPositionTicks ?? 0,
    played: dto?.Played ?? false,
    playCount: dto?.PlayCount ?? 0,
    lastPlayedDate: lastPlayed ? new Date(lastPlayed) : undefined,
    playedPercentage: number(dto?.PlayedPercentage),
    unplayedItemCount: number(dto?.UnplayedItemCount),
    readAt: Date.now(),
  };
}

/** A `BaseItemDto` as a `MediaItem`. */
export function toMediaItem(dto: BaseItemDto): MediaItem {
  return {
    id: text(dto.Id) ?? '',
    name: text(dto.Name) ?? '',
    type: text(dto.Type) ?? 'Unknown',
    year: number(dto.ProductionYear),
    runtimeTicks: number(dto.RunTimeTicks),
    overview: dto.Overview === null || dto.Overview === undefined ? undefined : sanitizeText(dto.Overview, { multiline: true }),
    seriesId: text(dto.SeriesId),
    seriesName: text(dto.SeriesName),
    seasonId: text(dto.SeasonId),
    seasonName: text(dto.SeasonName),
    indexNumber: number(dto.IndexNumber),
    parentIndexNumber: number(dto.ParentIndexNumber),
    isFolder: dto.IsFolder ?? false,
    childCount: number(dto.ChildCount),
    recursiveItemCount: number(dto.RecursiveItemCount),
    collectionType: text(dto.CollectionType),
    userData: toWatchState(dto.UserData),
  };
}

/** An `AuthenticationResult` as a sign-in. */
export function toSignIn(result: AuthenticationResult): SignIn {
  return {
    // The token is used verbatim in a header, never drawn; sanitising it would corrupt it.
    token: result.AccessToken ?? '',
    userId: text(result.User?.Id) ?? '',
    userName: text(result.User?.Name) ?? '',
    serverId: text(result.ServerId ?? result.User?.ServerId) ?? '',
  };
}

/** A `UserDto` as the signed-in user's profile; a setting the server leaves out (or garbles) is Jellyfin's default. */
export function toUserProfile(dto: UserDto): UserProfile {
  // The reply's guard does not look inside Configuration: anything there may be of any type.
  const configuration = dto.Configuration as { RememberAudioSelections?: unknown; RememberSubtitleSelections?: unknown } | null | undefined;
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : true);
  return {
    id: text(dto.Id) ?? '',
    name: text(dto.Name) ?? '',
    serverId: text(dto.ServerId),
    rememberAudioSelections: flag(configuration?.RememberAudioSelections),
    rememberSubtitleSelections: flag(configuration?.RememberSubtitleSelections),
  };
}

/** `PublicSystemInfo` as the server's identity. */
export function toServerInfo(dto: PublicSystemInfo): ServerInfo {
  return {
    id: text(dto.Id) ?? '',
    serverName: text(dto.ServerName) ?? '',
    version: text(dto.Version) ?? '',
    productName: text(dto.ProductName),
  };
}

/** Subtitle codecs mpv can load as a separate file, and the format Jellyfin serves them in. */
const TEXT_SUBTITLE_FORMATS: Record<string, string> = { srt: 'srt', subrip: 'srt', ass: 'ass', ssa: 'ssa', vtt: 'vtt', webvtt: 'vtt' };

/**
 * Where an external text subtitle is served, relative to the server: the server's DeliveryUrl
 * without any api key (the header carries the token), else the path Jellyfin's subtitle route takes.
 */
function subtitlePath(stream: MediaStream, itemId: string, mediaSourceId: string): string | undefined {
  const delivery = stream.DeliveryUrl;
  if (typeof delivery === 'string' && delivery.startsWith('/') && !delivery.startsWith('//')) {
    const url = new URL(delivery, 'http://server.invalid');
    for (const key of [...url.searchParams.keys()]) if (/^api_?key$/i.test(key)) url.searchParams.delete(key);
    // `/.//host/x` reads as the path `//host/x`, which a URL takes for another host: not the server's own path.
    if (!url.pathname.startsWith('//')) return url.pathname + url.search;
  }
  const format = TEXT_SUBTITLE_FORMATS[(stream.Codec ?? '').toLowerCase()];
  if (format === undefined || stream.Index === undefined) return undefined;
  return `/Videos/${encodeURIComponent(itemId)}/${encodeURIComponent(mediaSourceId)}/Subtitles/${stream.Index}/0/Stream.${format}`;
}

/** An audio or subtitle `MediaStream` labelled `label`; external subtitles get a path (made absolute by the client). */
function toMediaStream(stream: MediaStream, label: string, itemId: string, mediaSourceId: string): MediaStreamInfo | undefined {
  if ((stream.Type !== 'Audio' && stream.Type !== 'Subtitle') || typeof stream.Index !== 'number') return undefined;
  const language = text(stream.Language);
  const isExternal = stream.IsExternal === true;
  const path = isExternal && stream.Type === 'Subtitle' ? subtitlePath(stream, itemId, mediaSourceId) : undefined;
  // An external subtitle mpv cannot fetch (an image format) is of no use in the list.
  if (isExternal && path === undefined) return undefined;
  return {
    index: stream.Index,
    type: stream.Type,
    label,
    ...(language !== undefined ? { language } : {}),
    ...(stream.Codec ? { codec: text(stream.Codec) } : {}),
    isDefault: stream.IsDefault === true,
    isExternal,
    ...(path !== undefined ? { url: path } : {}),
  };
}

/**
 * The media source mpv should play: the first one that can be streamed as is. Undefined when the
 * item has nothing playable. External subtitle URLs are relative to the server.
 */
export function toPlaybackSource(info: PlaybackInfoResponse, itemId: string): PlaybackSource | undefined {
  const sources = info.MediaSources ?? [];
  const source = sources.find((candidate) => candidate.SupportsDirectStream !== false) ?? sources[0];
  if (!source) return undefined;
  // A single-version item's source id is the item id (what Jellyfin itself does when it is absent).
  const mediaSourceId = text(source.Id) ?? itemId;
  // Labels are made from the streams the viewer can pick (so that "Track 2" counts those), all at once (so that two alike get told apart).
  const usable = (source.MediaStreams ?? []).filter((stream) => toMediaStream(stream, '', itemId, mediaSourceId) !== undefined);
  const labels = streamLabels(usable);
  const streams = usable.flatMap((stream, i) => toMediaStream(stream, labels[i]!, itemId, mediaSourceId) ?? []);
  return {
    mediaSourceId,
    playSessionId: text(info.PlaySessionId),
    runtimeTicks: number(source.RunTimeTicks),
    streams,
    defaultAudioIndex: number(source.DefaultAudioStreamIndex),
    defaultSubtitleIndex: number(source.DefaultSubtitleStreamIndex),
  };
}

/** A `MediaSegmentDto`, when it spans some time. */
export function toMediaSegment(dto: MediaSegmentDto): MediaSegmentInfo | undefined {
  if (typeof dto.StartTicks !== 'number' || typeof dto.EndTicks !== 'number' || dto.EndTicks <= dto.StartTicks) return undefined;
  return { type: text(dto.Type) ?? 'Unknown', startTicks: dto.StartTicks, endTicks: dto.EndTicks };
}

/** A `QuickConnectResult`. The secret is used verbatim (never drawn). */
export function toQuickConnect(result: QuickConnectResult): QuickConnectRequest {
  return { code: text(result.Code) ?? '', secret: result.Secret ?? '', authenticated: result.Authenticated === true };
}
