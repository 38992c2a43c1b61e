/**
 * HTTP to Plex (a Plex Media Server, or plex.tv): the identity headers every request carries
 * (PLEX.md §2.1), the token in `X-Plex-Token` only (never a URL, never a log), JSON asked for
 * and checked, every failure an `ApiError` the outbox can act on, and the server's clock read
 * from each answer's `Date`. It never retries: the outbox owns retrying.
 */
import { HttpSender, type HttpMethod, type SearchParams } from '../http/sender.js';
import { release } from 'node:os';
import { log, registerSecret } from '../../log.js';
import { sanitizeText } from '../../text/sanitize.js';
import { ApiError, classifyHttpError, type ErrorBodies } from '../http/errors.js';
import { PlexShapeError } from './wire.js';

/** Who this installation is, to Plex. */
export interface PlexClientIdentity {
  /** Generated once per installation and kept (PLEX.md §2.1): the server knows this device by it. */
  clientIdentifier: string;
  version: string;
  deviceName: string;
}

export interface PlexTransportOptions {
  /** The server's (or plex.tv's) base address. */
  baseUrl: string;
  identity: PlexClientIdentity;
  token?: string;
  /** Whole-request timeout (default 10 s). */
  timeoutMs?: number;
  insecure?: boolean;
  /** This machine's clock (the sync engine's, in tests). */
  now?: () => number;
}

/**
 * How a write (`/:/scrobble`, `/:/unscrobble`, a part's streams) was acknowledged. Plex Media
 * Server marks every answer of its own with `X-Plex-Protocol: 1.0`; a 200 with nothing in it,
 * which is all PMS answers to these writes, is also what a middlebox answering in its place
 * sends (a captive portal, a filtering proxy), and that one carries no such header.
 */
export interface WriteAck {
  /** The answer carries PMS's own `X-Plex-Protocol` header: the server itself took the write. */
  fromServer: boolean;
}

/** One request's query, extra headers and abort signal. */
export interface PlexCall {
  searchParams?: SearchParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Plex's own error answers (PLEX.md §0.12, §6): an HTML page whose heading is the status
 * ("<h1>401 Unauthorized</h1>"), the XML `<Response code="503" title="Maintenance"…/>`, or
 * plex.tv's JSON `{"errors":[…]}`. Anything else (a portal's page, a proxy's JSON) says nothing
 * about the request.
 */
export function isPlexErrorBody(contentType: string | undefined, body: unknown): boolean {
  const answer = typeof body === 'string' ? body.trim() : '';
  const type = (contentType ?? '').toLowerCase();
  if (/<h1>\s*\d{3}\b/i.test(answer) && /<title>/i.test(answer)) return true;
  if (/<Response\b[^>]*\bcode="\d{3}"/.test(answer)) return true;
  if (/[/+]json\b/.test(type)) {
    try {
      const parsed = JSON.parse(answer) as { errors?: unknown };
      return Array.isArray(parsed.errors);
    } catch {
      return false;
    }
  }
  return false;
}

/** A reply's MediaContainer, from JSON or from XML (`<MediaContainer size="0" terminationCode="2006" …/>`); undefined when there is none. */
export function containerAttributes(body: string): Record<string, unknown> | undefined {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { MediaContainer?: unknown };
      const found = parsed.MediaContainer;
      return typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  const tag = /^(?:<\?xml[^>]*\?>\s*)?<MediaContainer\b([^>]*)>/.exec(trimmed);
  if (tag === null) return undefined;
  const attributes: Record<string, unknown> = {};
  for (const [, name, value] of tag[1]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
    attributes[name!] = value!.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return attributes;
}

const PLEX_BODIES: ErrorBodies = { product: 'Plex', isOwn: isPlexErrorBody };

/** The `X-Plex-*` headers of this installation (the token apart). */
export function identityHeaders(identity: PlexClientIdentity): Record<string, string> {
  return {
    'x-plex-client-identifier': identity.clientIdentifier,
    'x-plex-product': 'reelterm',
    'x-plex-version': identity.version,
    'x-plex-platform': 'Linux',
    'x-plex-platform-version': release(),
    'x-plex-device': 'Linux',
    // Non-ASCII header values go as UTF-8 (PLEX.md §1); a header cannot carry a newline.
    'x-plex-device-name': identity.deviceName.replace(/[\r\n]/g, ' '),
  };
}

export class PlexTransport {
  /** The base address, without credentials or a trailing slash. */
  readonly baseUrl: string;
  readonly insecure: boolean;
  readonly device: PlexClientIdentity;
  private readonly http: HttpSender;
  private token: string | undefined;
  private offsetMs: number | undefined;
  private readonly now: () => number;
  /** Called after every proper answer (the sync engine ends offline mode on it). */
  onReachable: (() => void) | undefined;

  constructor(options: PlexTransportOptions) {
    const base = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
    if (base?.protocol !== 'http:' && base?.protocol !== 'https:') throw new ApiError(`${options.baseUrl} is not an http(s) address`, { kind: 'permanent' });
    base.username = '';
    base.password = '';
    base.search = '';
    base.hash = '';
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.insecure = options.insecure === true;
    this.device = options.identity;
    this.token = options.token;
    this.now = options.now ?? Date.now;
    registerSecret(options.token);
    this.http = new HttpSender({ baseUrl: this.baseUrl, timeoutMs: options.timeoutMs, insecure: options.insecure, headers: { accept: 'application/json', 'user-agent': `reelterm/${options.identity.version}`, ...identityHeaders(options.identity) } });
  }

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  /** The headers a request for the server's files needs (the stream proxy adds them; mpv never has them). */
  authHeaders(): Record<string, string> {
    return { ...identityHeaders(this.device), ...(this.token !== undefined ? { 'x-plex-token': this.token } : {}) };
  }

  /** Uses `token` from now on (registered as a secret, so logs never show it). */
  setToken(token: string | undefined): void {
    registerSecret(token);
    this.token = token;
  }

  /** The server's clock minus this machine's, in ms, once an answer's `Date` has told it. */
  clockOffsetMs(): number | undefined {
    return this.offsetMs;
  }

  /**
   * Sends one request and resolves with its JSON (`expect: 'json'`); with `'empty'`, whether PMS
   * itself acknowledged it (an empty body or a MediaContainer acknowledges); with `'container'`,
   * the reply's MediaContainer attributes (JSON, or the XML a server may send instead), which
   * must be there. Throws only `ApiError`.
   */
  request(method: HttpMethod, path: string, call: PlexCall, expect: 'empty'): Promise<WriteAck>;
  request(method: HttpMethod, path: string, call?: PlexCall, expect?: 'json' | 'container'): Promise<unknown>;
  async request(method: HttpMethod, path: string, call: PlexCall = {}, expect: 'json' | 'empty' | 'container' = 'json'): Promise<unknown> {
    const started = Date.now();
    const sentAt = this.now();
    let response;
    try {
      response = await this.http.send(path.replace(/^\/+/, ''), {
        method,
        searchParams: call.searchParams,
        signal: call.signal,
        headers: { ...call.headers, ...(this.token !== undefined ? { 'x-plex-token': this.token } : {}) },
      });
    } catch (error) {
      const failure = classifyHttpError(error, this.baseUrl, PLEX_BODIES);
      log.debug('plex request failed', { method, path, kind: failure.kind, status: failure.status, message: failure.message, ms: Date.now() - started });
      throw failure;
    }
    log.debug('plex request', { method, path, status: response.statusCode, ms: Date.now() - started });
    this.noteClock(response.headers.date, sentAt);
    if (response.statusCode >= 300) {
      throw new ApiError(`${this.baseUrl}: the server redirected elsewhere; use that address instead`, { kind: 'retryable', status: response.statusCode });
    }
    const contentType = typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : '';
    if (expect === 'container') {
      // A write Plex answers with a MediaContainer (`/:/timeline`): nothing, or a page, acknowledges nothing (a middlebox answered).
      const attributes = containerAttributes(response.body);
      if (attributes === undefined) {
        throw new ApiError(`${this.baseUrl}: the server's reply is not Plex's (got ${response.body.trim() === '' ? 'an empty reply' : sanitizeText(contentType.split(';')[0] ?? '') || 'no content type'})`, { kind: 'retryable', status: response.statusCode });
      }
      this.onReachable?.();
      return attributes;
    }
    if (expect === 'empty') {
      // Plex acknowledges a write with nothing (`/:/scrobble`) or an empty MediaContainer
      // (`/:/timeline`). A page in its place (a portal, a proxy) acknowledges nothing: the update stays queued.
      const body = response.body.trim();
      if (body !== '' && containerAttributes(body) === undefined) {
        throw new ApiError(`${this.baseUrl}: the server's reply is not Plex's (got ${sanitizeText(contentType.split(';')[0] ?? '') || 'no content type'})`, { kind: 'retryable', status: response.statusCode });
      }
      this.onReachable?.();
      const ack: WriteAck = { fromServer: response.headers['x-plex-protocol'] !== undefined };
      return ack;
    }
    if (!/[/+]json\b/i.test(contentType)) {
      throw new ApiError(`${this.baseUrl}: the server's reply is not Plex JSON (got ${sanitizeText(contentType.split(';')[0] ?? '') || 'no content type'})`, { kind: 'retryable', status: response.statusCode });
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch (error) {
      throw new ApiError(`${this.baseUrl}: the server's reply is not valid JSON (cut off or corrupt)`, { kind: 'retryable', status: response.statusCode, cause: error });
    }
  }

  /** Reads a JSON answer with a reader; an answer of another shape is not Plex's (retryable), one that reads counts as the server reachable. */
  async read<T>(path: string, call: PlexCall, reader: (reply: unknown) => T): Promise<T> {
    const reply = await this.request('GET', path, call);
    try {
      const value = reader(reply);
      this.onReachable?.();
      return value;
    } catch (error) {
      if (error instanceof PlexShapeError) throw new ApiError(`${this.baseUrl}: the server's reply is not Plex JSON (${error.message})`, { kind: 'retryable', cause: error });
      throw error;
    }
  }

  private noteClock(header: string | undefined, sentAt: number): void {
    const serverTime = header === undefined ? Number.NaN : Date.parse(header);
    if (!Number.isFinite(serverTime)) return;
    const offset = serverTime + 500 - (sentAt + this.now()) / 2;
    // A header in whole seconds cannot tell clocks apart by less: within that they agree.
    this.offsetMs = Math.abs(offset) < 2000 ? 0 : Math.round(offset);
  }
}
