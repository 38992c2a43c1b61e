/**
 * The demo Plex server's answers in Plex's forms (PLEX.md §1, §6): a `MediaContainer` as JSON
 * or XML by the `Accept` header, HTML error pages even to JSON clients, the XML "Maintenance"
 * 503, the empty `text/html` 200 of scrobble, and plex.tv's JSON errors.
 */
import type { Reply } from '../../demo-kit/index.js';
import type { PlexRequest } from './request.js';
import { toXml } from './xml.js';

export type { Reply };

const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'text/xml;charset=utf-8';
const HTML_TYPE = 'text/html';

/** Any JSON value. */
export function jsonReply(value: unknown, status = 200, headers: Record<string, string | number> = {}): Reply {
  return { status, headers: { ...headers, 'content-type': JSON_TYPE }, body: JSON.stringify(value) };
}

/** `{"MediaContainer":{…}}`, as JSON when the client asked for it, else as XML (PLEX.md §1). */
export function container(request: Pick<PlexRequest, 'json'>, fields: Record<string, unknown>, headers: Record<string, string | number> = {}): Reply {
  const document = { MediaContainer: fields };
  if (request.json) return jsonReply(document, 200, headers);
  return { status: 200, headers: { ...headers, 'content-type': XML_TYPE }, body: toXml(document) };
}

/** An empty 200 `text/html`, what scrobble, unscrobble and the other "actions" answer (PLEX.md §5.2). */
export function emptyHtml(): Reply {
  return { status: 200, headers: { 'content-type': HTML_TYPE }, body: '' };
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * PMS's error page, sent whatever the `Accept` header says (PLEX.md §0.12, §6):
 * `<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>`.
 */
export function htmlError(status: number): Reply {
  const title = TITLES[status] ?? 'Error';
  return { status, headers: { 'content-type': HTML_TYPE }, body: `<html><head><title>${title}</title></head><body><h1>${status} ${title}</h1></body></html>` };
}

/** The 503 a server running database migrations answers, as XML even to JSON clients (PLEX.md §0.12, §6). */
export function maintenance(retryAfter?: number): Reply {
  const headers: Record<string, string | number> = { 'content-type': XML_TYPE };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  return {
    status: 503,
    headers,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response code="503" title="Maintenance" status="Plex Media Server is currently running database migrations."/>\n',
  };
}

/** plex.tv's JSON error (PLEX.md §6): `{"errors":[{"code":1001,"message":"…","status":401}]}`. */
export function plexTvError(status: number, code: number, message: string, headers: Record<string, string | number> = {}): Reply {
  return jsonReply({ errors: [{ code, message, status }] }, status, headers);
}
