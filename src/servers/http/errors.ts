import { HttpStatusError, HttpTimeoutError } from './sender.js';

/**
 * How the outbox should treat a failure:
 * - `retryable`: try again later with backoff (server sick, network down).
 * - `auth`: the token is not accepted; nothing will succeed until the user signs in.
 * - `permanent`: this request will never succeed as sent (item deleted, bad request).
 */
export type ApiErrorKind = 'retryable' | 'auth' | 'permanent';

/** Extra facts about a failure, used by the outbox's retry policy. */
export interface ApiErrorDetails {
  kind: ApiErrorKind;
  /** The server could not be reached at all (refused, reset, DNS, unreachable). */
  offline?: boolean;
  /** The server's TLS certificate is not trusted: like offline, it passes (a portal, a renewal) or needs `--insecure`. */
  untrusted?: boolean;
  /** HTTP status, when the server answered. */
  status?: number;
  /** Server-requested wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** The request surely never reached the server (no connection was made): it cannot have acted on it. */
  unsent?: boolean;
  cause?: unknown;
}

/** A failure talking to the server, typed for the outbox and worded for a person. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly offline: boolean;
  readonly untrusted: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly unsent: boolean;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, { cause: details.cause });
    this.name = 'ApiError';
    this.kind = details.kind;
    this.offline = details.offline ?? false;
    this.untrusted = details.untrusted ?? false;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.unsent = details.unsent ?? false;
  }
}

/** Connection failures before any byte of the request left: the server cannot have acted on it. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
};

/** Which HTTP statuses are worth retrying, which need a sign-in, and which never succeed. */
export function kindForStatus(status: number): ApiErrorKind {
  if (status === 401) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  // Any size of number or date is read without overflow; the engine caps the wait itself.
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, Number.MAX_SAFE_INTEGER);
  const date = Date.parse(trimmed);
  if (!Number.isFinite(date)) return undefined;
  return Math.max(0, date - now);
}

function describeStatus(status: number): string {
  switch (status) {
    case 400: return 'the server rejected the request (400)';
    case 401: return 'the server no longer accepts your sign-in (401)';
    case 403: return 'the server refused: not allowed for this user (403)';
    case 404: return 'the item no longer exists on the server (404)';
    case 408: return 'the server timed out (408)';
    case 410: return 'the item is gone from the server (410)';
    case 429: return 'the server is rate-limiting (429)';
    case 503: return 'the server is unavailable or starting (503)';
    default: return status >= 500 ? `the server failed (${status})` : `the server answered ${status}`;
  }
}

/** How a kind of server tells its own error answers from a gateway's, a portal's or a proxy's. */
export interface ErrorBodies {
  /** The product's name, for messages ("a page that is not Jellyfin's"). */
  product: string;
  /** Whether an error answer's body is the server's own (else it says nothing about the request). */
  isOwn(contentType: string | undefined, body: unknown): boolean;
  /** Whether a 401 with no body of the server's own (a login page) is a gate in front of the server; default: when the body is not empty. */
  gated?(contentType: string | undefined, body: string): boolean;
}

/**
 * Turns anything thrown by an `HttpSender` exchange (or by response validation) into an ApiError.
 * `server` names the server in messages ("Cannot reach https://jf.example: connection refused");
 * `bodies` tells the server's own error answers from those of something in front of it.
 */
export function classifyHttpError(error: unknown, server: string, bodies: ErrorBodies, now: number = Date.now()): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HttpStatusError) {
    const { statusCode: status, headers, body: text } = error.response;
    const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
    const kind = kindForStatus(status);
    // A login page in place of the server's own 401 is a gate in front of it (an SSO proxy, a
    // portal), which says nothing about the token: never "signed out".
    const body = text.trim();
    const contentType = headers['content-type'];
    const gated = bodies.gated ? bodies.gated(contentType, body) : body !== '' && !bodies.isOwn(contentType, body);
    if (kind === 'auth' && gated) {
      return new ApiError(`${server}: answered 401 with a login page that is not ${bodies.product}'s (a sign-in gate in front of it?); kept and retried`, {
        kind: 'retryable',
        status,
        retryAfterMs,
        cause: error,
      });
    }
    if (kind === 'permanent' && !bodies.isOwn(contentType, text)) {
      return new ApiError(`${server}: answered ${status} with a page that is not ${bodies.product}'s (a proxy or a login portal?); kept and retried`, {
        kind: 'retryable',
        status,
        retryAfterMs,
        cause: error,
      });
    }
    return new ApiError(`${server}: ${describeStatus(status)}`, { kind, status, retryAfterMs, cause: error });
  }
  if (error instanceof HttpTimeoutError) {
    return new ApiError(`${server} did not answer in time (request timeout)`, {
      kind: 'retryable',
      cause: error,
    });
  }
  if (isNodeError(error)) {
    const code = error.code ?? '';
    const what = CONNECTION_CODES[code];
    if (what !== undefined) {
      return new ApiError(`Cannot reach ${server}: ${what}`, { kind: 'retryable', offline: true, unsent: UNSENT_CODES.has(code), cause: error });
    }
    if (error.name === 'AbortError') {
      return new ApiError(`Request to ${server} was cancelled`, { kind: 'retryable', cause: error });
    }
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || code.startsWith('UNABLE_TO_')) {
      return new ApiError(
        `${server}: TLS certificate not trusted (${code}); if you trust this server, use --insecure (or the insecure setting)`,
        { kind: 'retryable', untrusted: true, unsent: true, cause: error },
      );
    }
    return new ApiError(`Cannot reach ${server}: ${error.message}`, {
      kind: 'retryable',
      offline: true,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(`${server}: ${message}`, { kind: 'retryable', cause: error });
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
