/**
 * The demo Plex server's fault switches: the demo kit's, plus Plex's names for two of them
 * (`maintenance`: the 503 "Maintenance" XML of a server running database migrations, PLEX.md §6;
 * `revokeTokens`: every token answers 401 until signed in again) and the answers each half gives.
 */
import { FaultInjector, type MalformedKind, type StatusFaultOptions } from '../../demo-kit/index.js';
import { htmlError, maintenance, plexTvError, type Reply } from './reply.js';

/** The switches of one half. */
export class PlexFaults extends FaultInjector {
  /** Answer 503 "Maintenance" (XML) to everything but the probe (`/identity`), unless `includePing`. */
  maintenance(options: StatusFaultOptions = {}): void {
    this.status(503, options);
  }

  /** Revoke every token of every account (both halves): 401 after, until a new sign-in. */
  revokeTokens(): void {
    this.expireTokens();
  }
}

/** A PMS status fault: the Maintenance XML for 503, Plex's HTML page for anything else. */
export function pmsStatusFault(code: number, retryAfter: number | undefined): Reply {
  if (code === 503) return maintenance(retryAfter);
  const page = htmlError(code);
  return retryAfter === undefined ? page : { ...page, headers: { ...page.headers, 'retry-after': retryAfter } };
}

/** A plex.tv status fault: its JSON errors (429 is "API rate limit exceeded", code 1003, PLEX.md §6). */
export function plexTvStatusFault(code: number, retryAfter: number | undefined): Reply {
  const headers: Record<string, string | number> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
  if (code === 429) return plexTvError(429, 1003, 'API rate limit exceeded', headers);
  return plexTvError(code, 0, 'Service unavailable', headers);
}

/** A 200 that is not what the client expects: a captive portal's page, or JSON cut off mid-document. */
export function malformedReply(kind: MalformedKind): Reply {
  if (kind === 'html') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html><html><body><h1>Sign in to the network</h1></body></html>' };
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"MediaContainer":{"size":50,"Metadata":[{"ratingKey":"10' };
}
