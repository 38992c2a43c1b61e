import { classifyHttpError, type ApiError, type ErrorBodies } from '../http/errors.js';

export { ApiError, kindForStatus, parseRetryAfter, type ApiErrorDetails, type ApiErrorKind } from '../http/errors.js';

/**
 * Whether a 4xx body is Jellyfin's own: ASP.NET's ProblemDetails JSON, a controller's message
 * as a JSON string, or the text its exception middleware writes. A 403/404 page from a portal or a proxy is not, and says
 * nothing about the item: it must not fail an update for good.
 */
export function isJellyfinErrorBody(contentType: string | undefined, body: unknown): boolean {
  const type = (contentType ?? '').toLowerCase();
  const text = typeof body === 'string' ? body.trim() : '';
  if (/[/+]json\b/.test(type)) {
    if (text === '') return false;
    try {
      // ASP.NET's ProblemDetails: a status and a title or type. A gateway's own JSON
      // ({"message":"no Route matched"}) is not Jellyfin's answer about the item.
      const parsed = JSON.parse(text) as { status?: unknown; title?: unknown; type?: unknown } | string | null;
      // A controller's `StatusCode(403, "User is not allowed to update this item user data.")`: a JSON string.
      if (typeof parsed === 'string') return parsed.trim() !== '';
      return typeof parsed === 'object' && parsed !== null && typeof parsed.status === 'number' && (typeof parsed.title === 'string' || typeof parsed.type === 'string');
    } catch {
      return false;
    }
  }
  return type.startsWith('text/plain') && /^Error processing request/i.test(text);
}

/** Jellyfin's own error answers: a bare 401 challenge, ProblemDetails JSON, its middleware's text. */
const JELLYFIN_BODIES: ErrorBodies = { product: 'Jellyfin', isOwn: isJellyfinErrorBody };

/**
 * Turns anything thrown by an `HttpSender` exchange (or by response validation) into an ApiError.
 * `server` names the server in messages ("Cannot reach https://jf.example: connection refused").
 */
export function classifyError(error: unknown, server: string, now: number = Date.now()): ApiError {
  return classifyHttpError(error, server, JELLYFIN_BODIES, now);
}
