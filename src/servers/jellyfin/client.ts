import type {
  BaseItemDto,
  PlaybackProgressInfo,
  PlaybackStartInfo,
  PlaybackStopInfo,
  UpdateUserItemDataDto,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { registerSecret } from '../../log.js';
import { ApiError } from './errors.js';
import {
  asAuthenticationResult,
  asBoolean,
  asItem,
  asItemList,
  asMediaSegments,
  asPing,
  asPlaybackInfo,
  asPublicSystemInfo,
  asQuickConnectResult,
  asUser,
  asUserItemData,
} from './guards.js';
import { toMediaItem, toMediaSegment, toPlaybackSource, toQuickConnect, toServerInfo, toSignIn, toUserProfile, toWatchState } from './mappers.js';
import { JellyfinTransport, type SearchParams } from './transport.js';
import type {
  ItemPage,
  ItemsQuery,
  MediaItem,
  MediaSegmentInfo,
  PlaybackReport,
  PlaybackSource,
  QuickConnectRequest,
  RequestOptions,
  ServerInfo,
  SignIn,
  UserDataWrite,
  UserProfile,
  WatchState,
} from './types.js';

export type { JellyfinClientOptions, PublicInfoAnswer } from './transport.js';

/** Fields the app shows in listings; everything else stays off the wire. */
const LIST_FIELDS = 'Overview,ChildCount,RecursiveItemCount';

/** The remembered-selection fields of a start or progress report, when the playback knows them. */
function tracksBody(info: PlaybackReport): { AudioStreamIndex?: number; SubtitleStreamIndex?: number } {
  return {
    ...(info.audioStreamIndex !== undefined ? { AudioStreamIndex: info.audioStreamIndex } : {}),
    ...(info.subtitleStreamIndex !== undefined ? { SubtitleStreamIndex: info.subtitleStreamIndex } : {}),
  };
}

function ticks(value: number): number {
  // mpv reports fractional (and, at the very start, slightly negative) positions; the server takes whole, non-negative ticks.
  return Math.max(0, Math.round(value));
}

/**
 * A typed Jellyfin API client. Every reply is validated and mapped (server text sanitised),
 * and every failure is thrown as an `ApiError` the outbox can act on. It never retries: the
 * outbox owns retrying. The token travels only in the `Authorization` header, never in a URL.
 * Sending, checking answers and the server's clock are its transport's (`transport.ts`).
 */
export class JellyfinClient extends JellyfinTransport {
  /**
   * Signs in with a user name and password and keeps the token for later calls. Signing in
   * again with the same DeviceId revokes this device's previous token on the server.
   */
  async authenticateByName(userName: string, password: string, options: RequestOptions = {}): Promise<SignIn> {
    let reply: unknown;
    try {
      reply = await this.request('POST', 'Users/AuthenticateByName', { ...options, json: { Username: userName, Pw: password } });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new ApiError(`${this.serverUrl}: Wrong user name or password`, { kind: 'auth', status: 401, cause: error });
      }
      throw error;
    }
    return this.keepSignIn(reply);
  }

  private keepSignIn(reply: unknown): SignIn {
    const signIn = toSignIn(this.validate(reply, asAuthenticationResult));
    this.keepToken(signIn.token, signIn.userId);
    return signIn;
  }

  /** Signs out: the server revokes the token, and this client forgets it either way. */
  async logout(options: RequestOptions = {}): Promise<void> {
    if (!this.signedIn) return;
    try {
      await this.request('POST', 'Sessions/Logout', options, false);
    } finally {
      this.forgetToken();
    }
  }

  /** The connectivity probe (`/System/Ping`): anonymous, answered even while the server starts. */
  async ping(options: RequestOptions = {}): Promise<string> {
    return this.validate(await this.request('GET', 'System/Ping', options), asPing);
  }

  /** The server's name, id and version (anonymous). */
  async publicInfo(options: RequestOptions = {}): Promise<ServerInfo> {
    return toServerInfo(this.validate(await this.request('GET', 'System/Info/Public', options), asPublicSystemInfo));
  }

  /** The signed-in user: a cheap "is my token still valid" check (401 → `auth`). */
  async me(options: RequestOptions = {}): Promise<UserProfile> {
    return toUserProfile(this.validate(await this.request('GET', 'Users/Me', options), asUser));
  }

  /** The user's libraries. */
  async userViews(options: RequestOptions = {}): Promise<MediaItem[]> {
    return (await this.list('UserViews', {}, options)).items;
  }

  /** Items by parent, type, search term, played state; sorted and paged. */
  async items(query: ItemsQuery = {}, options: RequestOptions = {}): Promise<ItemPage> {
    return this.list(
      'Items',
      {
        parentId: query.parentId,
        includeItemTypes: query.includeItemTypes?.join(','),
        recursive: query.recursive,
        searchTerm: query.searchTerm,
        sortBy: query.sortBy?.join(','),
        sortOrder: query.sortOrder,
        startIndex: query.startIndex,
        limit: query.limit,
        isPlayed: query.isPlayed,
        fields: LIST_FIELDS,
        enableImages: false,
      },
      options,
    );
  }

  /** Continue watching: items with a resume position, most recently played first. */
  async resume(options: RequestOptions & { limit?: number } = {}): Promise<MediaItem[]> {
    const { limit, ...rest } = options;
    return (await this.list('UserItems/Resume', { limit, fields: LIST_FIELDS, enableImages: false }, rest)).items;
  }

  /** Next episode of each series in progress (or of one series). */
  async nextUp(query: { seriesId?: string; limit?: number } = {}, options: RequestOptions = {}): Promise<MediaItem[]> {
    return (await this.list('Shows/NextUp', { seriesId: query.seriesId, limit: query.limit, fields: LIST_FIELDS, enableImages: false }, options)).items;
  }

  /** A series' seasons. */
  async seasons(seriesId: string, options: RequestOptions = {}): Promise<MediaItem[]> {
    return (await this.list(`Shows/${encodeURIComponent(seriesId)}/Seasons`, { fields: LIST_FIELDS, enableImages: false }, options)).items;
  }

  /** A series' episodes, or one season's; `isMissing: false` leaves out episodes the server knows of but has no file for. */
  async episodes(seriesId: string, query: { seasonId?: string; isMissing?: boolean } = {}, options: RequestOptions = {}): Promise<MediaItem[]> {
    return (await this.list(`Shows/${encodeURIComponent(seriesId)}/Episodes`, { seasonId: query.seasonId, isMissing: query.isMissing, fields: LIST_FIELDS, enableImages: false }, options)).items;
  }

  /** One item with all its fields and the user's watch state. */
  async item(id: string, options: RequestOptions = {}): Promise<MediaItem> {
    const reply = await this.request('GET', `Items/${encodeURIComponent(id)}`, options);
    return toMediaItem(this.validate(reply, (value) => asItem(value) as BaseItemDto));
  }

  /** The media source and play session to stream an item with. */
  async playbackInfo(id: string, options: RequestOptions = {}): Promise<PlaybackSource> {
    const reply = await this.request('GET', `Items/${encodeURIComponent(id)}/PlaybackInfo`, { ...options, searchParams: { userId: this.userId } });
    const source = toPlaybackSource(this.validate(reply, asPlaybackInfo), id);
    if (!source) throw new ApiError(`${this.serverUrl}: this item has nothing to play`, { kind: 'permanent' });
    // External subtitles come as server paths; mpv needs the whole address (base path kept).
    return { ...source, streams: source.streams.map((stream) => (stream.url !== undefined ? { ...stream, url: `${this.serverUrl}${stream.url}` } : stream)) };
  }

  /**
   * The item's intro, recap, credits… (Jellyfin 10.10+). A server without the endpoint, or an
   * item it does not know segments for, gives an empty list: segments are a comfort, not a need.
   */
  async mediaSegments(itemId: string, options: RequestOptions = {}): Promise<MediaSegmentInfo[]> {
    try {
      const reply = await this.request('GET', `MediaSegments/${encodeURIComponent(itemId)}`, options);
      return (this.validate(reply, asMediaSegments).Items ?? []).flatMap((segment) => toMediaSegment(segment) ?? []);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  }

  /** Whether the server lets a device sign in with a code approved elsewhere (anonymous). */
  async quickConnectEnabled(options: RequestOptions = {}): Promise<boolean> {
    return this.validate(await this.request('GET', 'QuickConnect/Enabled', options), asBoolean);
  }

  /** Starts a Quick Connect request: the code to show the user, and the secret to poll with. */
  async initiateQuickConnect(options: RequestOptions = {}): Promise<QuickConnectRequest> {
    let reply: unknown;
    try {
      reply = await this.request('POST', 'QuickConnect/Initiate', options);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new ApiError(`${this.serverUrl}: Quick Connect is turned off on this server (an administrator can enable it in the dashboard)`, { kind: 'permanent', status: 401, cause: error });
      }
      throw error;
    }
    const request = toQuickConnect(this.validate(reply, asQuickConnectResult));
    registerSecret(request.secret);
    return request;
  }

  /** Whether a Quick Connect request has been approved; a 404 means it expired or is unknown. */
  async quickConnectState(secret: string, options: RequestOptions = {}): Promise<QuickConnectRequest> {
    const reply = await this.request('GET', 'QuickConnect/Connect', { ...options, searchParams: { secret } });
    return toQuickConnect(this.validate(reply, asQuickConnectResult));
  }

  /** Signs in with an approved Quick Connect request and keeps the token, like `authenticateByName`. */
  async authenticateWithQuickConnect(secret: string, options: RequestOptions = {}): Promise<SignIn> {
    const reply = await this.request('POST', 'Users/AuthenticateWithQuickConnect', { ...options, json: { Secret: secret } });
    return this.keepSignIn(reply);
  }

  /** The direct-stream URL for mpv. It carries no token: pass `authorizationHeader()` as an HTTP header. */
  streamUrl(id: string, mediaSourceId: string): string {
    const query = new URLSearchParams({ static: 'true', MediaSourceId: mediaSourceId });
    return `${this.serverUrl}/Videos/${encodeURIComponent(id)}/stream?${query.toString()}`;
  }

  /** `POST /Sessions/Playing`. The server stamps its own clock and (before 12.0) clears Played: never send it late. */
  async reportPlaybackStart(info: PlaybackReport, options: RequestOptions = {}): Promise<void> {
    const body: PlaybackStartInfo = { ...this.reportBody(info), ...tracksBody(info), IsPaused: info.isPaused ?? false, CanSeek: true, PlayMethod: 'DirectPlay' };
    await this.request('POST', 'Sessions/Playing', { ...options, json: body }, false);
  }

  /** `POST /Sessions/Playing/Progress`: the server applies its 5 % / 90 % resume rules. */
  async reportPlaybackProgress(info: PlaybackReport, options: RequestOptions = {}): Promise<void> {
    const body: PlaybackProgressInfo = { ...this.reportBody(info), ...tracksBody(info), IsPaused: info.isPaused ?? false, CanSeek: true, PlayMethod: 'DirectPlay' };
    await this.request('POST', 'Sessions/Playing/Progress', { ...options, json: body }, false);
  }

  /**
   * `POST /Sessions/Playing/Stopped` with the final position. With `failed`, the server only
   * ends its session for the item (its idle stop then has nothing to write) and keeps user data.
   */
  async reportPlaybackStopped(info: PlaybackReport, options: RequestOptions = {}): Promise<void> {
    const body: PlaybackStopInfo = { ...this.reportBody(info), ...(info.failed === true ? { Failed: true } : {}) };
    await this.request('POST', 'Sessions/Playing/Stopped', { ...options, json: body }, false);
  }

  /** Marks an item (a folder: every episode) watched; `datePlayed` is kept as LastPlayedDate. */
  async markPlayed(itemId: string, datePlayed?: Date, options: RequestOptions = {}): Promise<WatchState> {
    const reply = await this.request('POST', `UserPlayedItems/${encodeURIComponent(itemId)}`, {
      ...options,
      searchParams: { datePlayed: datePlayed?.toISOString() },
    });
    return toWatchState(this.validate(reply, asUserItemData));
  }

  /** Marks an item unwatched: position, play count and LastPlayedDate are cleared. */
  async markUnplayed(itemId: string, options: RequestOptions = {}): Promise<WatchState> {
    const reply = await this.request('DELETE', `UserPlayedItems/${encodeURIComponent(itemId)}`, options);
    return toWatchState(this.validate(reply, asUserItemData));
  }

  /** The user's watch state for one item, straight from the server. */
  async getUserData(itemId: string, options: RequestOptions = {}): Promise<WatchState> {
    const reply = await this.request('GET', `UserItems/${encodeURIComponent(itemId)}/UserData`, options);
    return toWatchState(this.validate(reply, asUserItemData));
  }

  /** Several items' watch state in one request (an unknown id is left out). */
  async watchStates(ids: readonly string[], options: RequestOptions = {}): Promise<Map<string, WatchState>> {
    if (ids.length === 0) return new Map();
    const page = await this.list('Items', { ids: ids.join(','), enableImages: false, enableUserData: true, limit: ids.length }, options);
    return new Map(page.items.map((item) => [item.id, item.userData]));
  }

  /** The user's watch state for one item as its item answer carries it (allowed where the UserData route is not). */
  async itemUserData(itemId: string, options: RequestOptions = {}): Promise<WatchState> {
    return (await this.item(itemId, options)).userData;
  }

  /** Writes watch state verbatim (server 10.9+): no resume rules, the given LastPlayedDate kept. */
  async updateUserData(itemId: string, data: UserDataWrite, options: RequestOptions = {}): Promise<WatchState> {
    const body: UpdateUserItemDataDto = {
      PlaybackPositionTicks: data.playbackPositionTicks === undefined ? undefined : ticks(data.playbackPositionTicks),
      Played: data.played,
      LastPlayedDate: data.lastPlayedDate?.toISOString(),
    };
    const reply = await this.request('POST', `UserItems/${encodeURIComponent(itemId)}/UserData`, { ...options, json: body });
    return toWatchState(this.validate(reply, asUserItemData));
  }

  private reportBody(info: PlaybackReport): PlaybackStopInfo {
    return {
      ItemId: info.itemId,
      PositionTicks: ticks(info.positionTicks),
      PlaySessionId: info.playSessionId,
      MediaSourceId: info.mediaSourceId,
    };
  }

  private async list(path: string, params: SearchParams, options: RequestOptions): Promise<ItemPage> {
    const result = this.validate(await this.request('GET', path, { ...options, searchParams: params }), asItemList);
    const items = (result.Items ?? []).map(toMediaItem);
    return { items, total: result.TotalRecordCount ?? items.length, startIndex: result.StartIndex ?? 0 };
  }

}
