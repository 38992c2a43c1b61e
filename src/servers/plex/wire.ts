/**
 * Plex's JSON as reelterm reads it (PLEX.md §1, §3, §4): every answer is a `MediaContainer`;
 * numbers and booleans may come as strings ("1", "true"); user-state fields are left out when
 * unset; durations and offsets are milliseconds, dates epoch seconds. Readers here are lenient
 * with types and strict with shape: a field of the wrong kind is absent, never a crash.
 */
import { sanitizeText } from '../../text/sanitize.js';

/** A JSON object, or nothing. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number, also from a numeric string ("600000"); undefined otherwise. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A boolean, also from 1/0 and "1"/"0"/"true"/"false". */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

/** A string from the server, sanitised (no terminal control, no bidi); numbers as text (a `ratingKey` may be either). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return sanitizeText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An array of objects under `key` (Plex leaves an empty one out). */
export function list(container: Json | undefined, key: string): Json[] {
  const value = container?.[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A shape Plex's answers do not have. */
export class PlexShapeError extends Error {
  override name = 'PlexShapeError';
}

/** The `MediaContainer` of an answer; anything else is not Plex's JSON. */
export function container(reply: unknown): Json {
  if (!isObject(reply) || !isObject(reply.MediaContainer)) throw new PlexShapeError('no MediaContainer');
  return reply.MediaContainer;
}

/** Plex's `/identity`: the server's own id and version. */
export interface PlexIdentity {
  machineIdentifier: string;
  version?: string;
  claimed?: boolean;
}

export function toIdentity(reply: unknown): PlexIdentity {
  const media = container(reply);
  const machineIdentifier = text(media.machineIdentifier);
  if (machineIdentifier === undefined || machineIdentifier === '') throw new PlexShapeError('no machineIdentifier');
  const version = text(media.version);
  const claimed = bool(media.claimed);
  return { machineIdentifier, ...(version !== undefined ? { version } : {}), ...(claimed !== undefined ? { claimed } : {}) };
}

/** One page of items and where it sits in the whole listing. */
export interface PlexPage {
  items: Json[];
  offset: number;
  totalSize: number;
}

/**
 * A listing's page (`Metadata`, or `Directory` for sections and folders). Paginated answers
 * carry `offset` and `totalSize`; an answer that is not paginated is the whole listing.
 */
export function toPage(reply: unknown, key: 'Metadata' | 'Directory' = 'Metadata'): PlexPage {
  const media = container(reply);
  const items = list(media, key);
  return { items, offset: num(media.offset) ?? 0, totalSize: num(media.totalSize) ?? num(media.size) ?? items.length };
}

/** The `Metadata` of every hub in a `Hub[]` answer (continue watching, search), in order. */
export function hubItems(reply: unknown): Json[] {
  const media = container(reply);
  const hubs = list(media, 'Hub');
  return hubs.length > 0 ? hubs.flatMap((hub) => list(hub, 'Metadata')) : list(media, 'Metadata');
}

/** A Plex stream: 1 video, 2 audio, 3 subtitle (PLEX.md §4.2). */
export interface PlexStream {
  id: number;
  streamType: number;
  /** Its place in the file; absent for a sidecar subtitle. */
  index?: number;
  codec?: string;
  languageCode?: string;
  language?: string;
  title?: string;
  displayTitle?: string;
  isDefault: boolean;
  selected: boolean;
  forced: boolean;
  /** A sidecar subtitle's address on the server (`/library/streams/{id}`). */
  key?: string;
}

export function toStream(raw: Json): PlexStream | undefined {
  const id = num(raw.id);
  const streamType = num(raw.streamType);
  if (id === undefined || streamType === undefined) return undefined;
  const optional = {
    index: num(raw.index),
    codec: text(raw.codec),
    languageCode: text(raw.languageCode),
    language: text(raw.language),
    title: text(raw.title),
    displayTitle: text(raw.displayTitle),
    key: text(raw.key),
  };
  return {
    id,
    streamType,
    isDefault: bool(raw.default) === true,
    selected: bool(raw.selected) === true,
    forced: bool(raw.forced) === true,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** The first file of an item: the part mpv plays and its streams. */
export interface PlexPart {
  id: string;
  /** `/library/parts/{id}/{changestamp}/{file}`, used verbatim (PLEX.md §4.1). */
  key: string;
  durationMs?: number;
  streams: PlexStream[];
}

export function firstPart(metadata: Json): PlexPart | undefined {
  const part = list(list(metadata, 'Media')[0], 'Part')[0];
  const id = text(part?.id);
  const key = text(part?.key);
  if (part === undefined || id === undefined || key === undefined || !key.startsWith('/')) return undefined;
  const durationMs = num(part.duration);
  return { id, key, ...(durationMs !== undefined ? { durationMs } : {}), streams: list(part, 'Stream').flatMap((raw) => toStream(raw) ?? []) };
}

/** An intro, credits or commercial marker, in ms (`includeMarkers=1`, PLEX.md §4.3). */
export interface PlexMarker {
  type: string;
  startMs: number;
  endMs: number;
}

export function markers(metadata: Json): PlexMarker[] {
  return list(metadata, 'Marker').flatMap((raw) => {
    const type = text(raw.type);
    const startMs = num(raw.startTimeOffset);
    const endMs = num(raw.endTimeOffset);
    return type !== undefined && startMs !== undefined && endMs !== undefined && endMs > startMs ? [{ type, startMs, endMs }] : [];
  });
}
