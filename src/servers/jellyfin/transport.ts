/**
 * The transport under `JellyfinClient`: the HTTP sender, sending a request and checking its
 * answer, mapping every failure to `ApiError`, the server's clock offset, and `onReachable`.
 * The API methods live in `client.ts`; this holds the token and puts it in the header.
 */
import { HttpSender, type HttpMethod, type SearchParams } from '../http/sender.js';
import { log, registerSecret } from '../../log.js';
import { authorizationHeader } from './auth-header.js';
import { sanitizeText } from '../../text/sanitize.js';
import { ApiError, classifyError, kindForStatus } from './errors.js';
import { asPublicSystemInfo, ShapeError } from './guards.js';
import { toServerInfo } from './mappers.js';
import type { RequestOptions, ServerInfo } from './types.js';

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

/** What answered `/System/Info/Public`: see {@link JellyfinTransport.probePublicInfo}. */
export interface PublicInfoAnswer {
  status: number;
  /** The answer's media type, lower case (`text/html`); empty when it named none. */
  contentType: string;
  /** Where a redirect points (one to another origin is not followed). */
  location?: string;
  /** The server info, when the answer is Jellyfin's. */
  info?: ServerInfo;
}

export type { SearchParams };

/** One request's query, body and abort signal. */
export interface Call extends RequestOptions {
  searchParams?: SearchParams;
  json?: unknown;
}

/**
 * Talks HTTP to one Jellyfin server for `JellyfinClient`, which extends it: never retries (the
 * outbox owns retrying), and the token travels only in the `Authorization` header.
 */
export class JellyfinTransport {
  /** The server's base URL, without credentials or a trailing slash. */
  readonly serverUrl: string;
  /** Whether a certificate that is not trusted is accepted (`--insecure`). */
  readonly insecure: boolean;
  private readonly http: HttpSender;
  private readonly identity: { client: string; device: string; deviceId: string; version: string };
  private token: string | undefined;
  /** The `Authorization` value for `token`, made when the token changes (every request sends it). */
  private authorization = '';
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
    this.identity = {
      client: options.clientName ?? 'reelterm',
      device: options.deviceName,
      deviceId: options.deviceId,
      version: options.clientVersion,
    };
    this.useToken(options.token);
    this.currentUserId = options.userId;
    this.onReachable = options.onReachable;
    this.now = options.now ?? Date.now;
    registerSecret(options.token);
    this.http = new HttpSender({ baseUrl: this.serverUrl, timeoutMs: options.timeoutMs, insecure: options.insecure, headers: { accept: 'application/json', 'user-agent': `${this.identity.client}/${this.identity.version}` } });
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
    return this.authorization;
  }

  /** Keeps a sign-in's token (registered as a secret, so logs never show it) and its user for later calls. */
  protected keepToken(token: string, userId: string): void {
    registerSecret(token);
    this.useToken(token);
    this.currentUserId = userId;
  }

  /** Forgets the token and the user (signing out). */
  protected forgetToken(): void {
    this.useToken(undefined);
    this.currentUserId = undefined;
  }

  private useToken(token: string | undefined): void {
    this.token = token;
    this.authorization = authorizationHeader({ ...this.identity, token });
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
      response = await this.http.send('System/Info/Public', {
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

  /**
   * Checks where the stream answers before mpv is given the token for it: mpv follows
   * redirects and would carry the Authorization header to any host. It asks as mpv will (a
   * `GET`: a server may answer `HEAD` and `GET` differently), reads the headers only and hangs
   * up. A redirect to another origin is refused (permanent); anything else is left for mpv to report.
   */
  async checkStreamOrigin(url: string, options: RequestOptions = {}): Promise<void> {
    // The token goes with this request: an address that is not the server's own never gets it.
    if (!url.startsWith(`${this.serverUrl}/`)) throw new ApiError(`${this.serverUrl}: a stream address off the server was refused`, { kind: 'permanent' });
    let response;
    try {
      response = await this.http.peek(url, { signal: options.signal, headers: { authorization: this.authorizationHeader(), range: 'bytes=0-0' } });
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

  /** Checks a reply's shape with a guard: a reply that passes counts as the server reachable. */
  protected validate<T>(reply: unknown, guard: (value: unknown) => T): T {
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
  protected async request(method: HttpMethod, path: string, call: Call, expectJson = true): Promise<unknown> {
    const started = Date.now();
    const sentAt = this.now();
    let response;
    try {
      response = await this.http.send(path, {
        method,
        searchParams: call.searchParams,
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
