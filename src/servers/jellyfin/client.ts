import got, { type Got, type Method } from 'got';
import type {
  BaseItemDto,
  PlaybackProgressInfo,
  PlaybackStartInfo,
  PlaybackStopInfo,
  UpdateUserItemDataDto,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { log, registerSecret } from '../../log.js';
import { authorizationHeader } from './auth-header.js';
import { sanitizeText } from '../../text/sanitize.js';
import { ApiError, classifyError, kindForStatus } from './errors.js';
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
  ShapeError,
} from './guards.js';
import { toMediaItem, toMediaSegment, toPlaybackSource, toQuickConnect, toServerInfo, toSignIn, toUserProfile, toWatchState } from './mappers.js';
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

/** How to reach a server and who this client is. */
export interface JellyfinClientOptions {
  /** `https://jf.example` or `https://example.org/jellyfin` (a base path is kept). */
  serverUrl: string;
  /** Stable per installation: the server keeps one token per (user, DeviceId). */
  deviceId: string;
  deviceName: string;
  clientName?: string;
  clientVersion: string;
  token?: string;
  userId?: string;
  /** Whole-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Accept a TLS certificate that is not trusted (self-signed servers). */
  insecure?: boolean;
  /** Called after every proper answer from the server (the sync engine ends offline mode on it). */
  onReachable?: () => void;
  /** This machine's clock, against which the server's is measured (the sync engine's, in tests). */
  now?: () => number;
}

/** What answered `/System/Info/Public`: see {@link JellyfinClient.probePublicInfo}. */
export interface PublicInfoAnswer {
  status: number;
  /** The answer's media type, lower case (`text/html`); empty when it named none. */
  contentType: string;
  /** Where a redirect points (one to another origin is not followed). */
  location?: string;
  /** The server info, when the answer is Jellyfin's. */
  info?: ServerInfo;
}

type SearchParams = Record<string, string | number | boolean | undefined>;

interface Call extends RequestOptions {
  searchParams?: SearchParams;
  json?: unknown;
}

/** Fields the app shows in listings; everything else stays off the wire. */
const LIST_FIELDS = 'Overview,ChildCount,RecursiveItemCount';

function withoutUndefined(params: SearchParams): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)) as Record<string, string | number | boolean>;
}

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
 */
export class JellyfinClient {
  /** The server's base URL, without credentials or a trailing slash. */
  readonly serverUrl: string;
  /** Whether a certificate that is not trusted is accepted (`--insecure`). */
  readonly insecure: boolean;
  private readonly http: Got;
  private readonly identity: { client: string; device: string; deviceId: string; version: string };
  private token: string | undefined;
  private currentUserId: string | undefined;
  private offsetMs: number | undefined;
  /** When the offset was measured, on this machine's clock and on the monotonic one. */
  private measuredAt = { wall: 0, mono: 0 };
  private readonly now: () => number;
  /** See `JellyfinClientOptions.onReachable`; may be set after construction. */
  onReachable: (() => void) | undefined;

  constructor(options: JellyfinClientOptions) {
    const base = URL.canParse(options.serverUrl) ? new URL(options.serverUrl) : undefined;
    if (base?.protocol !== 'http:' && base?.protocol !== 'https:') {
      throw new ApiError(`${options.serverUrl} is not an http(s) address`, { kind: 'permanent' });
    }
    base.username = '';
    base.password = '';
    base.search = '';
    base.hash = '';
    this.serverUrl = base.href.replace(/\/+$/, '');
    this.insecure = options.insecure === true;
    const origin = base.origin;
    this.identity = {
      client: options.clientName ?? 'reelterm',
      device: options.deviceName,
      deviceId: options.deviceId,
      version: options.clientVersion,
    };
    this.token = options.token;
    this.currentUserId = options.userId;
    this.onReachable = options.onReachable;
    this.now = options.now ?? Date.now;
    registerSecret(options.token);
    this.http = got.extend({
      prefixUrl: `${this.serverUrl}/`,
      retry: { limit: 0 },
      timeout: { request: options.timeoutMs ?? 10_000 },
      https: { rejectUnauthorized: !options.insecure },
      // A redirect to another host would carry the token there; only same-origin ones are followed.
      followRedirect: (response) => {
        const location = response.headers.location;
        return location !== undefined && URL.canParse(location, response.url) && new URL(location, response.url).origin === origin;
      },
      responseType: 'text',
      headers: { accept: 'application/json', 'user-agent': `${this.identity.client}/${this.identity.version}` },
    });
  }

  /** The signed-in user's id, when known. */
  get userId(): string | undefined {
    return this.currentUserId;
  }

  /**
   * The server's clock minus this machine's, in ms, from the `Date` header of the latest answer
   * (to within about a second); undefined until an answer carried one.
   */
  clockOffsetMs(): number | undefined {
    if (this.offsetMs === undefined) return undefined;
    // This machine's clock may have jumped since (set by hand, a board without a clock that
    // learns the date late): the monotonic clock does not, so the jump is taken out.
    const jump = this.now() - this.measuredAt.wall - (performance.now() - this.measuredAt.mono);
    return Math.abs(jump) < 2000 ? this.offsetMs : Math.round(this.offsetMs - jump);
  }

  /** Whether a token is set (it may still have been revoked by the server). */
  get signedIn(): boolean {
    return this.token !== undefined;
  }

  /** The `Authorization: MediaBrowser …` value, with the token when signed in (for mpv's `http-header-fields`). */
  authorizationHeader(): string {
    return authorizationHeader({ ...this.identity, token: this.token });
  }

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
    registerSecret(signIn.token);
    this.token = signIn.token;
    this.currentUserId = signIn.userId;
    return signIn;
  }

  /** Signs out: the server revokes the token, and this client forgets it either way. */
  async logout(options: RequestOptions = {}): Promise<void> {
    if (this.token === undefined) return;
    try {
      await this.request('POST', 'Sessions/Logout', options, false);
    } finally {
      this.token = undefined;
      this.currentUserId = undefined;
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

  /**
   * What answers `/System/Info/Public` at this address, for the sign-in's "is this Jellyfin?"
   * check: any answer is returned as it came (the server info when it is Jellyfin's), so the
   * caller can say what answered instead. Throws `ApiError` only when nothing answered
   * (refused, DNS, timeout, an untrusted certificate).
   */
  async probePublicInfo(options: RequestOptions = {}): Promise<PublicInfoAnswer> {
    let response;
    try {
      response = await this.http('System/Info/Public', {
        method: 'GET',
        throwHttpErrors: false,
        signal: options.signal,
        headers: { authorization: this.authorizationHeader() },
      });
    } catch (error) {
      throw classifyError(error, this.serverUrl);
    }
    const contentType = (typeof response.headers['content-type'] === 'string' ? response.headers['content-type'].split(';')[0] ?? '' : '').trim().toLowerCase();
    const location = typeof response.headers.location === 'string' && URL.canParse(response.headers.location, response.url) ? new URL(response.headers.location, response.url).href : undefined;
    const answer: PublicInfoAnswer = { status: response.statusCode, contentType: sanitizeText(contentType), ...(location !== undefined ? { location } : {}) };
    if (response.statusCode !== 200 || !/[/+]json$/.test(contentType)) return answer;
    try {
      return { ...answer, info: toServerInfo(asPublicSystemInfo(JSON.parse(response.body) as unknown)) };
    } catch {
      return answer;
    }
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
    const reply = await this.request('GET', `Items/${encodeURIComponent(id)}/PlaybackInfo`, { ...options, searchParams: { userId: this.currentUserId } });
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

  /**
   * Checks where the stream answers before mpv is given the token for it: mpv follows
   * redirects and would carry the Authorization header to any host. It asks as mpv will (a
   * `GET`: a server may answer `HEAD` and `GET` differently), reads the headers only and hangs
   * up. A redirect to another origin is refused (permanent); anything else is left for mpv to report.
   */
  async checkStreamOrigin(url: string, options: RequestOptions = {}): Promise<void> {
    let response: { statusCode: number; headers: Record<string, string | string[] | undefined> };
    try {
      response = await new Promise((resolve, reject) => {
        const stream = this.http.stream(url, {
          prefixUrl: '',
          method: 'GET',
          throwHttpErrors: false,
          ...(options.signal ? { signal: options.signal } : {}),
          headers: { authorization: this.authorizationHeader(), range: 'bytes=0-0' },
        });
        stream.on('error', reject);
        stream.once('response', (answer: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
          resolve({ statusCode: answer.statusCode, headers: answer.headers });
          stream.destroy();
        });
      });
    } catch (error) {
      throw classifyError(error, this.serverUrl);
    }
    if (response.statusCode >= 400) {
      throw new ApiError(`${this.serverUrl}: the stream answered ${response.statusCode}`, { kind: kindForStatus(response.statusCode), status: response.statusCode });
    }
    const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
    if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
      const target = URL.canParse(location, url) ? new URL(location, url) : undefined;
      if (target?.origin !== new URL(this.serverUrl).origin) {
        throw new ApiError(`${this.serverUrl}: the stream redirects to ${target?.origin ?? 'another address'}; reelterm will not send your sign-in there`, {
          kind: 'permanent',
          status: response.statusCode,
        });
      }
    }
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

  private validate<T>(reply: unknown, guard: (value: unknown) => T): T {
    try {
      const value = guard(reply);
      this.onReachable?.();
      return value;
    } catch (error) {
      if (error instanceof ShapeError) {
        throw new ApiError(`${this.serverUrl}: the server's reply is not Jellyfin JSON (${error.message})`, { kind: 'retryable', cause: error });
      }
      throw error;
    }
  }

  /** Sends one request; resolves with the parsed JSON (or nothing), throws only `ApiError`. */
  private async request(method: Method, path: string, call: Call, expectJson = true): Promise<unknown> {
    const started = Date.now();
    const sentAt = this.now();
    let response;
    try {
      response = await this.http(path, {
        method,
        searchParams: call.searchParams && withoutUndefined(call.searchParams),
        json: call.json,
        signal: call.signal,
        headers: { authorization: this.authorizationHeader() },
      });
    } catch (error) {
      const failure = classifyError(error, this.serverUrl);
      log.debug('jellyfin request failed', { method, path, kind: failure.kind, status: failure.status, message: failure.message, ms: Date.now() - started });
      throw failure;
    }
    log.debug('jellyfin request', { method, path, status: response.statusCode, ms: Date.now() - started });
    const body = this.readAnswer(response, expectJson);
    this.noteClock(response.headers.date, sentAt);
    // A report's empty answer is all there is to check; a JSON answer counts once its shape does (validate).
    if (!expectJson) this.onReachable?.();
    return body;
  }

  /**
   * Learns the server's clock from an answer's `Date` header (whole seconds: the midpoint of
   * the second is taken, and of the request's round trip), so replays are judged on the
   * server's clock whatever this machine's says.
   */
  private noteClock(header: string | undefined, sentAt: number): void {
    const serverTime = header === undefined ? Number.NaN : Date.parse(header);
    if (!Number.isFinite(serverTime)) return;
    const now = this.now();
    const offset = serverTime + 500 - (sentAt + now) / 2;
    // A header in whole seconds cannot tell clocks apart by less: within that they agree.
    this.offsetMs = Math.abs(offset) < 2000 ? 0 : Math.round(offset);
    this.measuredAt = { wall: now, mono: performance.now() };
  }

  /** Checks an answer is Jellyfin's and parses it; throws `ApiError` otherwise. */
  private readAnswer(response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: string; url: string }, expectJson: boolean): unknown {
    if (response.statusCode >= 300) {
      const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
      const target = location !== undefined && URL.canParse(location, response.url) ? new URL(location, response.url).origin : 'another address';
      // Retryable, not permanent: a captive portal or a proxy redirects for a while, and a queue
      // must not be thrown away for it. The message tells the user what to do if it lasts.
      throw new ApiError(`${this.serverUrl}: the server redirected to ${target}; use that address instead`, {
        kind: 'retryable',
        status: response.statusCode,
      });
    }
    const contentType = typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : '';
    if (!expectJson) {
      // Jellyfin answers these with 204 and no body, and only that acknowledges them. Anything
      // else (a 200 with nothing, a captive portal's page, a proxy's JSON) is not: the update
      // must stay queued.
      if (response.statusCode === 204) return undefined;
      const got = response.body.trim() === '' ? `${response.statusCode} with nothing` : sanitizeText(contentType.split(';')[0] ?? '') || 'no content type';
      throw new ApiError(`${this.serverUrl}: the server's reply is not Jellyfin's (got ${got})`, {
        kind: 'retryable',
        status: response.statusCode,
      });
    }
    if (!/[/+]json\b/i.test(contentType)) {
      throw new ApiError(`${this.serverUrl}: the server's reply is not Jellyfin JSON (got ${sanitizeText(contentType.split(';')[0] ?? '') || 'no content type'})`, {
        kind: 'retryable',
        status: response.statusCode,
      });
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch (error) {
      throw new ApiError(`${this.serverUrl}: the server's reply is not valid JSON (cut off or corrupt)`, {
        kind: 'retryable',
        status: response.statusCode,
        cause: error,
      });
    }
  }
}
