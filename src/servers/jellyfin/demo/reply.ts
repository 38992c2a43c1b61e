/**
 * The Jellyfin demo's answers in ASP.NET's forms (JSON, ProblemDetails, `ExceptionMiddleware`'s
 * text); the `Reply` type and how it is written are the demo kit's.
 */
import type { Reply } from '../../demo-kit/reply.js';
import { toJson } from './wire.js';

/** What a handler answers (the demo kit's `Reply`); the server writes it (and faults may replace it). */
export type { Reply };

/** 200 (or another status) with a JSON document. */
export function json(value: unknown, status = 200): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: toJson(value) };
}

/** A status with no body: 204 for playstate reports, 401 for a missing or unknown token. */
export function empty(status: number): Reply {
  return { status };
}

/**
 * A controller's bare `NotFound()` (or `Forbid()`…) and ASP.NET's own 400/415 for a request that
 * fails model binding or validation: `application/problem+json` ProblemDetails, which
 * `[ApiController]` (`BaseJellyfinApiController`) writes for status-code results.
 */
export function problem(status: 400 | 403 | 404 | 405 | 415, detail?: string): Reply {
  const titles = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 415: 'Unsupported Media Type' };
  const sections = { 400: '15.5.1', 403: '15.5.4', 404: '15.5.5', 405: '15.5.6', 415: '15.5.16' };
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: toJson({ type: `https://tools.ietf.org/html/rfc9110#section-${sections[status]}`, title: titles[status], status, detail }),
  };
}

/**
 * A controller's `NotFound("…")`, `Unauthorized("…")` or `BadRequest("…")`: an `ObjectResult`
 * whose string the JSON output formatter writes as a JSON string (not ProblemDetails).
 */
export function stringResult(status: number, text: string): Reply {
  return json(text, status);
}

/**
 * An exception turned into a status by Jellyfin's `ExceptionMiddleware` (`ArgumentException` 400,
 * `AuthenticationException` 401, `SecurityException` 403, `ResourceNotFoundException` and
 * file/directory not found 404, anything else 500): a `text/plain` body whose message is hidden
 * outside Development.
 */
export function failure(status: number): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Error processing request.' };
}
