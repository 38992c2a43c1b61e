/**
 * What the demo Plex server remembers of each request, on either half: never a token, only
 * whether one came (header or query), and the client's identity headers.
 */
import { BoundedJournal, REDACTED } from '../../demo-kit/index.js';

/** Which half answered. */
export type PlexHalf = 'pms' | 'plex.tv';

/** One request received. */
export interface PlexJournalEntry {
  half: PlexHalf;
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The matched route template (`/library/metadata/{ids}`), when one matched. */
  route?: string;
  /** Query parameters as sent, `X-Plex-Token` redacted. */
  query: Record<string, string>;
  /** Whether a token came (header or query); the token itself is never kept. */
  hasToken: boolean;
  clientIdentifier?: string;
  sessionIdentifier?: string;
  product?: string;
  /** The account the token belonged to, when it was valid. */
  account?: string;
  /** What the handler made of it, e.g. a timeline's effect ("resume point", "watched", "ignored: …"). */
  outcome?: string;
  time: Date;
  /** The status answered; undefined while in flight or when the answer never completed (stall, reset). */
  status?: number;
  fault?: 'stall' | 'reset' | 'status' | 'malformed';
}

/** A query without its token values. */
export function redactQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query) out[name] = name.toLowerCase() === 'x-plex-token' ? REDACTED : value;
  return out;
}

/** The journal both halves write to. */
export class PlexJournal extends BoundedJournal<PlexJournalEntry> {}
