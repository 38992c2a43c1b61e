/**
 * Plex's container paging (PLEX.md §3 "Paging"): `X-Plex-Container-Start`/`-Size` as request
 * headers or query parameters; a paged answer carries `offset`, `size` and `totalSize` in the
 * body and `X-Plex-Container-Start`/`-Total-Size` headers. Only the page is ever turned into
 * JSON, so a 50,000-film section pages cheaply.
 */
import { HttpError, queryValue, type PlexRequest } from './request.js';

/** One page of a list, with what the container and headers must say about it. */
export interface Page<T> {
  items: T[];
  /** `offset`/`totalSize` for the container (empty when the request did not page). */
  fields: Record<string, number>;
  headers: Record<string, number>;
}

function pagingValue(request: PlexRequest, name: string): number | undefined {
  const header = request.headers[name.toLowerCase()];
  const raw = (Array.isArray(header) ? header[0] : header) ?? queryValue(request.query, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new HttpError(400, `${name} must be a whole number`);
  return Number(raw);
}

/**
 * The requested page of `all`: everything when the client did not page (and then no paging
 * fields, "the response must be checked to see if the response is in fact paginated"); size 0
 * answers only the total.
 */
export function pageOf<T>(request: PlexRequest, all: readonly T[]): Page<T> {
  const start = pagingValue(request, 'X-Plex-Container-Start');
  const size = pagingValue(request, 'X-Plex-Container-Size');
  if (start === undefined && size === undefined) return { items: [...all], fields: {}, headers: {} };
  const offset = start ?? 0;
  const items = all.slice(offset, size === undefined ? undefined : offset + size);
  return {
    items,
    fields: { offset, totalSize: all.length },
    headers: { 'X-Plex-Container-Start': offset, 'X-Plex-Container-Total-Size': all.length },
  };
}
