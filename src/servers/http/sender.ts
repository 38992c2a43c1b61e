/**
 * How a server kind's client talks HTTP: one `HttpSender` per server client, on `node:http` or
 * `node:https` with its own keep-alive agent. It never retries a request the server may have
 * seen (the outbox owns retrying), bounds every exchange by one timeout, checks certificates
 * unless told not to, and talks to the server's own origin only: a redirect elsewhere is handed
 * back as an answer, never followed (it would carry the token there).
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/**
 * `node:https` and `node:zlib`, loaded when first needed: an http:// server (the demo, most
 * home servers) needs neither to start, and loading TLS took about 6 ms of the first frame.
 */
const https = () => process.getBuiltinModule('node:https');
const zlib = () => process.getBuiltinModule('node:zlib');

/** The methods the servers' APIs use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request's query; undefined values are left out of the URL. */
export type SearchParams = Record<string, string | number | boolean | undefined>;

/** One request: method, query, JSON body, extra headers, abort signal. */
export interface HttpCall {
  method?: HttpMethod;
  searchParams?: SearchParams;
  /** Sent as `application/json`. */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Hand 4xx and 5xx answers back instead of throwing `HttpStatusError` (default: throw). */
  throwHttpErrors?: boolean;
}

/** A whole answer: the last one, after redirects within the origin. */
export interface HttpAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as text (utf8), decompressed. */
  body: string;
  /** Where this answer came from (after redirects). */
  url: string;
}

/** The server answered with an error status (4xx, 5xx); the answer is whole. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(readonly response: HttpAnswer) {
    super(`the server answered ${response.statusCode}`);
  }
}

/** No whole answer came within the exchange's timeout (connecting, sending, or reading the body). */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  constructor(timeoutMs: number) {
    super(`no whole answer within ${timeoutMs} ms`);
  }
}

/** The caller's `AbortSignal` stopped the exchange. */
export class HttpAbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor() {
    super('the request was cancelled');
  }
}

/** How many redirects within the origin an exchange follows (this sender and the stream proxy). */
export const MAX_REDIRECTS = 5;

class TooManyRedirects extends Error {
  readonly code = 'ERR_TOO_MANY_REDIRECTS';
  constructor() {
    super(`redirected ${MAX_REDIRECTS} times within the server (a redirect loop?)`);
  }
}

const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);
/** What a connection reused from the pool fails with when the server had closed it while idle. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);
/**
 * How long an idle connection is kept (got, through Node's global agent, kept 5 s): below the
 * idle timeouts servers commonly keep (Apache and Node's own 5 s, nginx 75 s, Kestrel under
 * Jellyfin 130 s), so it is this side that closes an idle connection, never the server at the
 * moment a request goes out on it. A server that announces its own (`Keep-Alive: timeout=N`) is
 * believed: Node's agent then closes at N − 1 s. Within a drain no connection sits idle that long.
 */
const IDLE_SOCKET_MS = 4000;

const noop = () => undefined;

/** One server's HTTP: a base address, the headers every request carries, a keep-alive agent. */
export class HttpSender {
  private readonly base: string;
  private readonly origin: string;
  private readonly secure: boolean;
  private readonly agent: HttpAgent;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: { baseUrl: string; timeoutMs?: number; insecure?: boolean; headers: Record<string, string> }) {
    const base = new URL(options.baseUrl);
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.origin = base.origin;
    this.secure = base.protocol === 'https:';
    this.timeoutMs = options.timeoutMs ?? 10_000;
    // Compressed answers are welcome, as they were with got: a long item list shrinks several times.
    this.headers = { 'accept-encoding': 'gzip, deflate, br', ...options.headers };
    // LIFO hands out the connection used last, the one least likely to have been closed.
    const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    this.agent = this.secure ? new (https().Agent)({ ...agentOptions, rejectUnauthorized: options.insecure !== true }) : new HttpAgent(agentOptions);
  }

  /** Sends `path` (below the base address) and resolves with the whole answer; 4xx/5xx throw `HttpStatusError` unless `throwHttpErrors` is false. */
  send(path: string, call: HttpCall = {}): Promise<HttpAnswer> {
    const url = new URL(`${this.base}/${path}`);
    if (call.searchParams !== undefined) {
      for (const name in call.searchParams) {
        const value = call.searchParams[name];
        if (value !== undefined) url.searchParams.append(name, String(value));
      }
    }
    return this.exchange(url, call, false);
  }

  /**
   * Sends a GET for `url` (on the server's origin) and resolves with the status and headers of
   * the answer, then hangs up without reading the body (a stream's first bytes, say); any status.
   */
  async peek(url: string, call: Pick<HttpCall, 'headers' | 'signal'> = {}): Promise<Omit<HttpAnswer, 'body'>> {
    const target = new URL(url);
    if (target.origin !== this.origin) throw new Error(`${target.origin} is not the server`);
    const { statusCode, headers, url: at } = await this.exchange(target, { ...call, throwHttpErrors: false }, true);
    return { statusCode, headers, url: at };
  }

  private exchange(start: URL, call: HttpCall, headersOnly: boolean): Promise<HttpAnswer> {
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(new HttpAbortError());
    const payload = call.json === undefined ? undefined : JSON.stringify(call.json);
    const headers = payload === undefined ? { ...this.headers, ...call.headers } : { ...this.headers, ...call.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
    return new Promise((resolve, reject) => {
      let current: ClientRequest | undefined;
      let settled = false;
      // When the timer comes due, the answer may already be waiting, unread, behind work that
      // held the event loop (a long render, the in-process demo server): it is read first, and
      // only an exchange still unanswered then has timed out (as got did).
      const timer = setTimeout(() => setImmediate(() => fail(new HttpTimeoutError(this.timeoutMs))), this.timeoutMs);
      // The connection keeps the process alive while it is needed; the timer alone need not.
      timer.unref();
      const onAbort = () => fail(new HttpAbortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settle();
        current?.destroy();
        reject(error);
      };

      const send = (url: URL, method: string, body: string | undefined, sendHeaders: Record<string, string>, hops: number, resent: boolean) => {
        let request: ClientRequest;
        try {
          request = (this.secure ? https().request : httpRequest)(url, { method, headers: sendHeaders, agent: this.agent });
        } catch (error) {
          // (a header Node refuses to send, say)
          return fail(error);
        }
        current = request;
        let answered = false;
        let readBefore = 0;
        request.once('socket', (socket) => (readBefore = socket.bytesRead));
        request.on('error', (error: NodeJS.ErrnoException) => {
          // (a request left behind by a redirect has nothing more to say)
          if (settled || request !== current) return;
          // A connection from the pool that the server closed while it sat idle fails as soon as
          // it is used, before a byte of answer: no news about the server, and it must not
          // reach the outbox as a failure it counts. A read (GET) is sent again, once, on a new
          // connection. A write is not: from here "closed while idle" cannot be told from "read
          // the request, acted on it, then died", and a write sent twice is not harmless
          // (Plex's scrobble and Jellyfin's start report each count a play). For writes the
          // agent's idle limit (IDLE_SOCKET_MS) keeps the race away: this side closes first.
          if (!resent && !answered && method === 'GET' && request.reusedSocket && request.socket?.bytesRead === readBefore && STALE_SOCKET_CODES.has(error.code ?? '')) {
            this.dropIdleConnections();
            send(url, method, body, sendHeaders, hops, true);
            return;
          }
          fail(error);
        });
        request.on('response', (response: IncomingMessage) => {
          answered = true;
          response.on('error', fail);
          const status = response.statusCode ?? 0;
          const target = REDIRECTS.has(status) ? this.sameOrigin(response.headers.location, url) : undefined;
          if (target !== undefined) {
            // The rest of this answer is read and dropped, so its connection goes back to the pool.
            response.removeListener('error', fail);
            response.on('error', noop).resume();
            if (hops >= MAX_REDIRECTS) return fail(new TooManyRedirects());
            // A 303 asks for a GET of the new address; 301 and 302 keep the method and body (as got did).
            if (status === 303 && method !== 'GET') {
              const { 'content-type': _type, 'content-length': _length, ...rest } = sendHeaders;
              send(target, 'GET', undefined, rest, hops + 1, false);
            } else {
              send(target, method, body, sendHeaders, hops + 1, false);
            }
            return;
          }
          if (headersOnly) {
            if (settled) return;
            settle();
            resolve({ statusCode: status, headers: response.headers, body: '', url: url.href });
            response.destroy();
            return;
          }
          readBody(response, fail, (text) => {
            if (settled) return;
            const answer: HttpAnswer = { statusCode: status, headers: response.headers, body: text, url: url.href };
            if (call.throwHttpErrors !== false && status >= 400) return fail(new HttpStatusError(answer));
            settle();
            resolve(answer);
          });
        });
        request.end(body);
      };

      send(start, call.method ?? 'GET', payload, headers, 0, false);
    });
  }

  /** Where a redirect points, when that is within the server's origin; undefined otherwise. */
  private sameOrigin(location: string | undefined, from: URL): URL | undefined {
    if (location === undefined) return undefined;
    // Node reads header bytes as latin1; a server may send the address in UTF-8.
    const decoded = Buffer.from(location, 'latin1').toString('utf8');
    const target = URL.canParse(decoded, from.href) ? new URL(decoded, from) : undefined;
    if (target?.origin !== this.origin) return undefined;
    // Credentials in the address would go out as Basic auth: the server's own sign-in is in the headers.
    target.username = '';
    target.password = '';
    return target;
  }

  /** Closes the pool's idle connections: when one turned out closed by the server, the older ones were too. */
  private dropIdleConnections(): void {
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}

/** Reads an answer's whole body as text, decompressing what the server compressed. */
function readBody(response: IncomingMessage, fail: (error: unknown) => void, done: (text: string) => void): void {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decompress = encoding === 'gzip' || encoding === 'deflate' ? zlib().unzip : encoding === 'br' ? zlib().brotliDecompress : undefined;
  if (decompress === undefined) {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => done(text));
    return;
  }
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => {
    const packed = Buffer.concat(chunks);
    // An empty body says nothing to decompress (a 204 that names an encoding).
    if (packed.length === 0) return done('');
    decompress(packed, (error, plain) => (error ? fail(error) : done(plain.toString('utf8'))));
  });
}
