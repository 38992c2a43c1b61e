/**
 * The Plex Media Server API reelterm uses (PLEX.md §3–§5), over `PlexTransport`: identity,
 * libraries and their pages, an item's details with its file, streams and markers, seasons and
 * episodes, continue watching, search, the stream selection, and the watch-state writes.
 */
import type { MediaItem } from '../types.js';
import { toLibrary, toMediaItem } from './mappers.js';
import { PlexTransport, type PlexTransportOptions, type WriteAck } from './transport.js';
import { container, hubItems, list, num, text, toIdentity, toPage, type Json, type PlexIdentity } from './wire.js';

type Signal = { signal?: AbortSignal };

/** The library identifier every watch-state call names (PLEX.md §5.2). */
const LIBRARY = 'com.plexapp.plugins.library';

/** A timeline report (PLEX.md §5.1): where the playback is, in ms, and in which state. */
export interface TimelineReport {
  ratingKey: string;
  state: 'playing' | 'paused' | 'stopped';
  timeMs: number;
  durationMs?: number;
  /** This playback's id (`X-Plex-Session-Identifier`): the server keys its session on it. */
  sessionId?: string;
  /** A report that waited: sent as one `stopped` with `offline=1` and the user's time (epoch ms). */
  offlineAt?: number;
  /** Another item follows in this sitting. */
  continuing?: boolean;
}

/** What the server said back to a timeline report. */
export interface TimelineReply {
  /** The server ended the playback (`terminationCode`, e.g. 2006 "Admin terminated playback with reason: …"). */
  termination?: { code: number; text: string };
}

/** An item's watch state on the server (PLEX.md §5): fields as on the wire. */
export interface PlexWatchState {
  viewOffsetMs: number;
  viewCount: number;
  /** Epoch seconds, on the server's clock. */
  lastViewedAt?: number;
  /** A show or a season: watched (count 1) when all its episodes are. */
  folder?: 'show' | 'season';
}

export class PlexClient extends PlexTransport {
  constructor(options: PlexTransportOptions) {
    super(options);
  }

  /** The server's own id and version; the one request that needs no token. */
  identity(options: Signal = {}): Promise<PlexIdentity> {
    return this.read('identity', options, toIdentity);
  }

  /** The libraries, as the screens open them. */
  sections(options: Signal = {}): Promise<MediaItem[]> {
    return this.read('library/sections', options, (reply) => toPage(reply, 'Directory').items.flatMap((raw) => toLibrary(raw) ?? []));
  }

  /** A page of a library: `X-Plex-Container-Start/Size` asked by header and query both (PLEX.md §3 "Paging"). */
  async sectionItems(sectionId: string, page: { start: number; size: number; type?: number }, options: Signal = {}): Promise<{ items: MediaItem[]; total: number; startIndex: number }> {
    const readAt = Date.now();
    const paging = { 'X-Plex-Container-Start': String(page.start), 'X-Plex-Container-Size': String(page.size) };
    return this.read(`library/sections/${encodeURIComponent(sectionId)}/all`, { ...options, headers: paging, searchParams: { ...paging, sort: 'titleSort', type: page.type } }, (reply) => {
      const found = toPage(reply);
      return { items: found.items.flatMap((raw) => toMediaItem(raw, readAt) ?? []), total: found.totalSize, startIndex: found.offset || page.start };
    });
  }

  /** Items' full details (comma list of keys), with markers: file, streams, user state. */
  async metadata(ratingKeys: readonly string[], options: Signal = {}): Promise<Json[]> {
    if (ratingKeys.length === 0) return [];
    const path = `library/metadata/${ratingKeys.map(encodeURIComponent).join(',')}`;
    return this.read(path, { ...options, searchParams: { includeMarkers: 1 } }, (reply) => toPage(reply).items);
  }

  /** One item as the screens show it. */
  async item(ratingKey: string, options: Signal = {}): Promise<MediaItem> {
    const readAt = Date.now();
    const [raw] = await this.metadata([ratingKey], options);
    const item = raw === undefined ? undefined : toMediaItem(raw, readAt);
    if (item === undefined) throw new Error(`${this.baseUrl}: no item ${ratingKey}`);
    return item;
  }

  /** A show's seasons, or a season's episodes, in order (undocumented but universal, PLEX.md §3). */
  children(ratingKey: string, options: Signal = {}): Promise<MediaItem[]> {
    const readAt = Date.now();
    return this.read(`library/metadata/${encodeURIComponent(ratingKey)}/children`, { ...options, searchParams: { excludeAllLeaves: 1 } }, (reply) =>
      toPage(reply).items.flatMap((raw) => toMediaItem(raw, readAt) ?? []),
    );
  }

  /** All of a show's episodes, in order. */
  allLeaves(showKey: string, options: Signal = {}): Promise<MediaItem[]> {
    const readAt = Date.now();
    return this.read(`library/metadata/${encodeURIComponent(showKey)}/allLeaves`, options, (reply) => toPage(reply).items.flatMap((raw) => toMediaItem(raw, readAt) ?? []));
  }

  /** Continue watching: films and episodes in progress and the next episodes of shows under way (PLEX.md §3). */
  continueWatching(count: number, options: Signal = {}): Promise<MediaItem[]> {
    const readAt = Date.now();
    return this.read('hubs/continueWatching', { ...options, searchParams: { count } }, (reply) => hubItems(reply).flatMap((raw) => toMediaItem(raw, readAt) ?? []));
  }

  /** Search as the user types: every hub's films, shows and episodes. */
  search(query: string, limit: number, options: Signal = {}): Promise<MediaItem[]> {
    const readAt = Date.now();
    return this.read('hubs/search', { ...options, searchParams: { query, limit } }, (reply) =>
      hubItems(reply)
        .filter((raw) => raw.type === 'movie' || raw.type === 'show' || raw.type === 'episode')
        .flatMap((raw) => toMediaItem(raw, readAt) ?? []),
    );
  }

  /** The server's preferences (`LibraryVideoPlayedThreshold`, …) as id → value. */
  prefs(options: Signal = {}): Promise<Map<string, unknown>> {
    return this.read(':/prefs', options, (reply) => new Map(list(container(reply), 'Setting').map((setting) => [String(setting.id), setting.value])));
  }

  /** Keeps the user's audio and subtitle choice for a file (PLEX.md §4.2; subtitle 0: none). Idempotent. */
  selectStreams(partId: string, streams: { audio?: number; subtitle?: number }, options: Signal = {}): Promise<WriteAck> {
    return this.request('PUT', `library/parts/${encodeURIComponent(partId)}`, { ...options, searchParams: { audioStreamID: streams.audio, subtitleStreamID: streams.subtitle, allParts: 1 } }, 'empty');
  }

  /**
   * A playback report (PLEX.md §5.1). `time` never passes `duration` (the server answers 400
   * to that); a report that waited goes as `stopped` with `offline=1` and the user's time.
   */
  async timeline(report: TimelineReport, options: Signal = {}): Promise<TimelineReply> {
    const time = Math.max(0, Math.round(report.durationMs !== undefined ? Math.min(report.timeMs, report.durationMs) : report.timeMs));
    const offline = report.offlineAt !== undefined;
    const reply = (await this.request(
      'POST',
      ':/timeline',
      {
        ...options,
        headers: report.sessionId !== undefined ? { 'x-plex-session-identifier': report.sessionId } : {},
        searchParams: {
          ratingKey: report.ratingKey,
          key: `/library/metadata/${report.ratingKey}`,
          identifier: LIBRARY,
          state: offline ? 'stopped' : report.state,
          time,
          duration: report.durationMs !== undefined ? Math.round(report.durationMs) : undefined,
          continuing: report.continuing === undefined ? undefined : report.continuing ? 1 : 0,
          offline: offline ? 1 : undefined,
          updated: offline ? Math.floor(report.offlineAt! / 1000) : undefined,
        },
      },
      'container',
    )) as Json;
    // The server ended this playback (an admin, a limit): it says so in the reply (PLEX.md §5.1).
    const code = num(reply.terminationCode);
    return code === undefined ? {} : { termination: { code, text: text(reply.terminationText) ?? `The server ended this playback (code ${code}).` } };
  }

  /** Items' watch state as the server holds it now (one request for many; unknown keys are left out). */
  async watchStates(ratingKeys: readonly string[], options: Signal = {}): Promise<Map<string, PlexWatchState>> {
    if (ratingKeys.length === 0) return new Map();
    const path = `library/metadata/${ratingKeys.map(encodeURIComponent).join(',')}`;
    return this.read(path, options, (reply) => {
      const states = new Map<string, PlexWatchState>();
      for (const raw of toPage(reply).items) {
        const key = text(raw.ratingKey);
        if (key === undefined) continue;
        const lastViewedAt = num(raw.lastViewedAt);
        const leaves = num(raw.leafCount);
        const folder = raw.type === 'show' || raw.type === 'season' ? raw.type : undefined;
        // A show or season has no count of its own: watched when every episode is (one play, as a mark reads it).
        const viewCount = folder !== undefined ? (leaves !== undefined && leaves > 0 && num(raw.viewedLeafCount) === leaves ? 1 : 0) : (num(raw.viewCount) ?? 0);
        states.set(key, { viewOffsetMs: num(raw.viewOffset) ?? 0, viewCount, ...(lastViewedAt !== undefined ? { lastViewedAt } : {}), ...(folder !== undefined ? { folder } : {}) });
      }
      return states;
    });
  }

  /** Marks played (adds one to the play count: not idempotent, PLEX.md §0.2). */
  scrobble(ratingKey: string, options: Signal = {}): Promise<WriteAck> {
    return this.request('PUT', ':/scrobble', { ...options, searchParams: { identifier: LIBRARY, key: ratingKey } }, 'empty');
  }

  /** Marks unplayed: clears the play count, the resume point and the last viewed date (idempotent). */
  unscrobble(ratingKey: string, options: Signal = {}): Promise<WriteAck> {
    return this.request('PUT', ':/unscrobble', { ...options, searchParams: { identifier: LIBRARY, key: ratingKey } }, 'empty');
  }
}
