import type {
  AuthenticationResult,
  BaseItemDto,
  PlaybackInfoResponse,
  PublicSystemInfo,
  UserDto,
  UserItemDataDto,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { sanitizeText } from './sanitize.js';
import type { MediaItem, PlaybackSource, ServerInfo, SignIn, UserProfile, WatchState } from './types.js';

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

/** A `UserDto` as the signed-in user's profile. */
export function toUserProfile(dto: UserDto): UserProfile {
  return { id: text(dto.Id) ?? '', name: text(dto.Name) ?? '', serverId: text(dto.ServerId) };
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

/**
 * The media source mpv should play: the first one that can be streamed as is. Undefined when the
 * item has nothing playable.
 */
export function toPlaybackSource(info: PlaybackInfoResponse, itemId: string): PlaybackSource | undefined {
  const sources = info.MediaSources ?? [];
  const source = sources.find((candidate) => candidate.SupportsDirectStream !== false) ?? sources[0];
  if (!source) return undefined;
  return {
    // A single-version item's source id is the item id (what Jellyfin itself does when it is absent).
    mediaSourceId: text(source.Id) ?? itemId,
    playSessionId: text(info.PlaySessionId),
    runtimeTicks: number(source.RunTimeTicks),
  };
}
