/**
 * The Jellyfin demo's request journal: what an entry holds and how secrets are redacted; the
 * bounded log itself is the demo kit's.
 */
import { BoundedJournal, REDACTED } from '../../demo-kit/journal.js';

export { REDACTED };

/** One request the demo server received, with secrets redacted. */
export interface JournalEntry {
  method: string;
  /** The path as sent (case preserved), without the query. */
  path: string;
  /** The matched route template (`/Items/{itemId}`), when one matched. */
  route?: string;
  /** Query parameters as sent; `ApiKey`/`api_key` and Quick Connect `secret` values redacted. */
  query: Record<string, string>;
  /** The parsed JSON body, when one was sent; `Pw` and a Quick Connect `Secret` redacted. */
  body?: unknown;
  /** The client's `Authorization` identity; the token is never kept, only whether one was sent. */
  client?: { client?: string; device?: string; deviceId?: string; version?: string; hasToken: boolean };
  /** The user the token belonged to, when it was valid. */
  user?: string;
  time: Date;
  /** The status answered; undefined while in flight, or when the answer never completed (stall, reset). */
  status?: number;
  /** The fault that disturbed this request, if any. */
  fault?: 'stall' | 'reset' | 'status' | 'malformed';
}

const SECRET_QUERY = new Set(['apikey', 'api_key', 'secret']);
const SECRET_BODY = new Set(['pw', 'secret']);

/** A query without its token values. */
export function redactQuery(entries: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(entries.map(([name, value]) => [name, SECRET_QUERY.has(name.toLowerCase()) ? REDACTED : value]));
}

/** A JSON body without its password or Quick Connect secret. */
export function redactBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, SECRET_BODY.has(key.toLowerCase()) ? REDACTED : value]));
}

/** A bounded request log (the demo kit's): the oldest entries go first, so a long `--demo` session cannot grow it forever. */
export class Journal extends BoundedJournal<JournalEntry> {}
