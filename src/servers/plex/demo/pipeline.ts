/**
 * How either half of the demo handles one request: journal it, let the faults disturb it, find
 * the route, check the token, run the handler, and render refusals the way that half does (PMS:
 * HTML pages and the XML 503; plex.tv: JSON errors).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaultPlan, writeReply, type FaultInjector, type MalformedKind } from '../../demo-kit/index.js';
import type { PlexAccount } from './accounts.js';
import type { PlexDemoState } from './context.js';
import { redactQuery, type PlexHalf, type PlexJournal } from './journal.js';
import type { Reply } from './reply.js';
import { acceptsJson, HttpError, readPlexHeaders, type PlexRequest } from './request.js';
import type { Router } from './router.js';

/** What makes one half different from the other. */
export interface HalfSpec {
  half: PlexHalf;
  router: Router;
  faults: FaultInjector;
  /** The probe a status fault spares unless asked (`/identity` on PMS). */
  isProbe(path: string): boolean;
  /** The account a token gives on this half, for routes that are not anonymous. */
  authenticate(token: string | undefined): PlexAccount | undefined;
  /** A refusal (400/401/404/405/501) in this half's form. */
  refusal(error: HttpError | { status: number }): Reply;
  /** What a status fault answers. */
  statusFault(code: number, retryAfter: number | undefined): Reply;
  malformed(kind: MalformedKind): Reply;
  /**
   * Headers on this half's own answers (routes and refusals), never on a fault's: PMS marks
   * each of its answers `X-Plex-Protocol: 1.0`, which a middlebox answering in its place lacks.
   */
  ownHeaders: Record<string, string>;
}

/** Reads a form body (`strong=true` may come that way) into the query; other bodies are drained and ignored. */
async function mergeBody(request: IncomingMessage, query: URLSearchParams): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0 || !/application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) return;
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) if (!query.has(name)) query.append(name, value);
}

/** The request handler of one half. */
export function halfHandler(spec: HalfSpec, state: PlexDemoState, journal: PlexJournal, clock: () => Date): (request: IncomingMessage, response: ServerResponse) => void {
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    const query = url.searchParams;
    const method = request.method ?? 'GET';
    const plex = readPlexHeaders(request.headers, query);
    const entry = journal.record({
      half: spec.half,
      method,
      path: url.pathname,
      query: redactQuery(query),
      hasToken: plex.token !== undefined,
      clientIdentifier: plex.clientIdentifier,
      sessionIdentifier: plex.sessionIdentifier,
      product: plex.product,
      time: new Date(),
    });
    response.on('finish', () => {
      entry.status = response.statusCode;
    });
    let reply: Reply;
    let own: Record<string, string> = {};
    try {
      await mergeBody(request, query);
      const plan = spec.faults.plan(spec.isProbe(url.pathname));
      const faulted = await applyFaultPlan(plan, { request, response, entry }, {
        partialJson: '{"MediaContainer":{"size":',
        status: (status) => spec.statusFault(status.code, status.retryAfter),
        malformed: (kind) => spec.malformed(kind),
      });
      if (faulted === 'answered') return;
      if (faulted !== undefined) {
        reply = faulted;
      } else {
        own = spec.ownHeaders;
        const match = spec.router.match(method, url.pathname);
        if (match === undefined) {
          reply = spec.refusal({ status: 404 });
        } else if (match === 'method-not-allowed') {
          reply = spec.refusal({ status: 405 });
        } else {
          entry.route = match.route.path;
          const plexRequest: PlexRequest = { method, path: url.pathname, params: match.params, query, headers: request.headers, plex, json: acceptsJson(request.headers) };
          if (!match.route.anonymous) {
            plexRequest.account = spec.authenticate(plex.token);
            if (!plexRequest.account) throw new HttpError(401);
            entry.account = plexRequest.account.username;
          }
          reply = await match.route.handle(plexRequest, state);
          entry.outcome = plexRequest.outcome;
        }
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = spec.refusal(error);
    }
    // Every answer carries the half's own clock, which a client may read to correct for skew (PLEX.md §5.4).
    if (!response.destroyed) writeReply(request, response, { ...reply, headers: { date: clock().toUTCString(), ...own, ...reply.headers } });
  }
  return (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) writeReply(request, response, { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><head><title>Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>' });
      else response.destroy();
    });
  };
}
