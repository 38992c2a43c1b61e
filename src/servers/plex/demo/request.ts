/**
 * One request as the demo Plex server's handlers see it: the path parameters, the query, and the
 * `X-Plex-*` values read from headers or, as Plex allows, from the query string (PLEX.md §1).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { PlexAccount } from './accounts.js';

/** The `X-Plex-*` values a client sends (PLEX.md §2.1). */
export interface PlexHeaders {
  token?: string;
  clientIdentifier?: string;
  sessionIdentifier?: string;
  product?: string;
  version?: string;
  platform?: string;
  device?: string;
  deviceName?: string;
}

/** One request, matched to its route. */
export interface PlexRequest {
  method: string;
  path: string;
  /** Route parameters (`{ids}` …), URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  plex: PlexHeaders;
  /** Whether the client asked for JSON (`Accept: application/json`); otherwise Plex answers XML (PLEX.md §1). */
  json: boolean;
  /** The account the token belongs to (set on every route but the anonymous ones). */
  account?: PlexAccount;
  /** What the handler made of the request (e.g. a timeline's effect), copied to the journal. */
  outcome?: string;
}

/** A request the server refuses with this status (rendered as the half renders errors). */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 501,
    message = '',
    /** plex.tv's error code (`{"errors":[{"code":…}]}`), for the plex.tv half. */
    readonly code?: number,
  ) {
    super(message);
  }
}

const HEADER_NAMES: ReadonlyArray<[keyof PlexHeaders, string]> = [
  ['token', 'x-plex-token'],
  ['clientIdentifier', 'x-plex-client-identifier'],
  ['sessionIdentifier', 'x-plex-session-identifier'],
  ['product', 'x-plex-product'],
  ['version', 'x-plex-version'],
  ['platform', 'x-plex-platform'],
  ['device', 'x-plex-device'],
  ['deviceName', 'x-plex-device-name'],
];

/** A query parameter by name, compared case-insensitively (clients spell `X-Plex-Token` several ways). */
export function queryValue(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The `X-Plex-*` values: a header wins over the same name in the query; empty values count as absent. */
export function readPlexHeaders(headers: IncomingHttpHeaders, query: URLSearchParams): PlexHeaders {
  const out: PlexHeaders = {};
  for (const [field, name] of HEADER_NAMES) {
    const header = headers[name];
    const value = (Array.isArray(header) ? header[0] : header) ?? queryValue(query, name);
    if (value !== undefined && value !== '') out[field] = value;
  }
  return out;
}

/** Whether the `Accept` header asks for JSON. */
export function acceptsJson(headers: IncomingHttpHeaders): boolean {
  return /\bapplication\/json\b/i.test(headers.accept ?? '');
}

/** The account of a route that needs one (the server answers 401 before the handler otherwise). */
export function currentAccount(request: PlexRequest): PlexAccount {
  if (!request.account) throw new Error(`${request.path} needs a signed-in account`);
  return request.account;
}

/** A whole-number query value; 400 when present and not one. */
export function intParam(request: PlexRequest, name: string): number | undefined {
  const raw = queryValue(request.query, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new HttpError(400, `${name} must be a whole number`);
  return Number(raw);
}

/** A `0`/`1` flag (Plex also takes `true`/`false`). */
export function flagParam(request: PlexRequest, name: string): boolean {
  const raw = queryValue(request.query, name)?.trim().toLowerCase();
  return raw === '1' || raw === 'true';
}
