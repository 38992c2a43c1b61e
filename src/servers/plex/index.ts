/**
 * A Plex Media Server behind the `MediaServer` interface (PLEX.md): browsing, playing through
 * the loopback stream proxy (which adds `X-Plex-Token`; mpv never has it), the server's
 * tracks and markers, its watch rules (nothing under a minute is kept, 90 % is watched), and
 * delivering each queued update (./deliver.ts).
 */
import { randomUUID } from 'node:crypto';
import { log } from '../../log.js';
import type { EntryDetails } from '../../session/playback-run.js';
import type { SeenState } from '../../sync/op.js';
import { ApiError } from '../http/errors.js';
import type { StreamProxy } from '../http/stream-proxy.js';
import type { MediaItem, MediaServer, PlayPlan, WatchState } from '../types.js';
import { PlexClient } from './client.js';
import { PlexDeliver } from './deliver.js';
import { PLEX_TYPE_NUMBERS, TICKS_PER_MS, toSegments, toTracks } from './mappers.js';
import type { PlexTransportOptions } from './transport.js';
import { firstPart, type Json } from './wire.js';
import { linkAccount, PlexTv } from './plex-tv.js';

export { PlexClient } from './client.js';

/** The kind's name, as the queue and the saved sign-in record it. */
export const PLEX = 'plex';

/** Plex keeps no resume point for the first minute (PLEX.md §0.4). */
const IGNORED_START_MS = 60_000;
/** `LibraryVideoPlayedThreshold`'s default (PLEX.md §0.6). */
const PLAYED_PERCENT = 90;

/**
 * Where a Plex server counts an item watched (PLEX.md §0.6, `LibraryVideoPlayedAtBehaviour`):
 * 0 at the threshold; 1 and 2 at the credits; 3 (the default) the earlier of the two. An item
 * without credits markers: the threshold.
 */
export function completionTicks(runtimeTicks: number, playedPercent = PLAYED_PERCENT, creditsTicks?: number, behaviour = 3): number {
  const byThreshold = (runtimeTicks * playedPercent) / 100;
  if (creditsTicks === undefined || behaviour === 0) return byThreshold;
  return behaviour === 3 ? Math.min(byThreshold, creditsTicks) : creditsTicks;
}

/** What a final position leaves on a Plex server: nothing under a minute, watched from 90 % (or the credits). */
export function plexResumeState(
  positionTicks: number,
  runtimeTicks: number | undefined,
  before?: { positionTicks: number },
  playedPercent = PLAYED_PERCENT,
  creditsTicks?: number,
  behaviour = 3,
): { positionTicks: number; played?: true } {
  if (runtimeTicks !== undefined && runtimeTicks > 0 && positionTicks >= completionTicks(runtimeTicks, playedPercent, creditsTicks, behaviour)) return { positionTicks: 0, played: true };
  // The server ignores a report in the first minute: what it had stays (PLEX.md §0.4).
  if (positionTicks <= IGNORED_START_MS * TICKS_PER_MS) return { positionTicks: before?.positionTicks ?? 0 };
  return { positionTicks };
}

function seenOf(watch: WatchState, readAt: number): SeenState {
  return {
    positionTicks: watch.positionTicks,
    played: watch.played,
    playCount: watch.playCount,
    ...(watch.lastPlayedDate !== undefined ? { lastPlayedDate: watch.lastPlayedDate.toISOString() } : {}),
    at: readAt,
  };
}

/** A Plex server for one signed-in client (its address, this installation, the server's token). */
export function plexServer(client: PlexClient, options: { plexTvUrl?: string } = {}): MediaServer {
  let proxy: Promise<StreamProxy> | undefined;
  const streamProxy = () =>
    (proxy ??= import('../http/stream-proxy.js').then(({ startStreamProxy }) =>
      startStreamProxy({ serverUrl: client.baseUrl, headers: () => client.authHeaders(), insecure: client.insecure }),
    ));
  /** The server's `LibraryVideoPlayedThreshold` once read (PLEX.md §0.6); Plex's default until then. */
  let playedPercent: number | undefined;
  /** `LibraryVideoPlayedAtBehaviour` once read: where the credits count (Plex's default, 3, until then). */
  let playedAt = 3;
  const readThreshold = () =>
    client.prefs().then(
      (prefs) => {
        const value = Number(prefs.get('LibraryVideoPlayedThreshold'));
        playedPercent = Number.isFinite(value) && value > 0 && value <= 100 ? value : PLAYED_PERCENT;
        const behaviour = Number(prefs.get('LibraryVideoPlayedAtBehaviour'));
        playedAt = [0, 1, 2, 3].includes(behaviour) ? behaviour : 3;
      },
      (error: unknown) => log.info('plex played threshold unknown for now; 90 % assumed', { error: (error as Error).message }),
    );
  /** Home asks for continue watching and next up together: one hub request answers both. */
  let hub: { at: number; items: Promise<MediaItem[]> } | undefined;
  const continueWatching = () => {
    if (hub === undefined || Date.now() - hub.at > 1000) {
      const items = client.continueWatching(20);
      hub = { at: Date.now(), items };
      // A failure is not kept: the next ask tries again.
      items.catch(() => {
        if (hub?.items === items) hub = undefined;
      });
    }
    return hub.items;
  };
  /** One read of the threshold at a time, for whoever needs it first (a drain with no screen: `reelterm sync`). */
  let reading: Promise<void> | undefined;
  let triedAt = -Infinity;
  // (a server that does not tell, a managed user's, is asked again only every few minutes: Plex's default holds meanwhile)
  const thresholdKnown = () => {
    if (playedPercent !== undefined || Date.now() - triedAt < 300_000) return reading ?? Promise.resolve();
    triedAt = Date.now();
    return (reading ??= readThreshold().finally(() => (reading = undefined)));
  };
  const deliver = new PlexDeliver(client, {
    reached: (positionTicks, runtimeTicks, creditsTicks) => plexResumeState(positionTicks, runtimeTicks, undefined, playedPercent, creditsTicks, playedAt).played === true,
    ready: thresholdKnown,
  });
  const reachable = new Set<() => void>();
  client.onReachable = () => {
    for (const listener of reachable) listener();
  };

  /** What mpv needs of one item's details: its tracks (sidecar subtitles through the proxy) and markers. */
  function detailsOf(metadata: Json, via: StreamProxy, playedBefore: boolean): EntryDetails {
    const part = firstPart(metadata);
    if (part === undefined) return { segments: toSegments(metadata) };
    const tracks = toTracks(part.streams, (key) => via.url(`${client.baseUrl}${key}`));
    // Plex's `selected` streams are the user's own choice once they played the item (else the account's languages).
    return { tracks: { ...tracks, remembered: { audio: playedBefore, subtitle: playedBefore } }, segments: toSegments(metadata) };
  }

  async function preparePlay(items: MediaItem[], options: { changedHere?(itemId: string): boolean } = {}): Promise<PlayPlan> {
    if (items.length === 0) throw new Error('nothing to play');
    // The threshold decides what a stop shows as watched: still unknown, it is asked now.
    const [metadata, via] = await Promise.all([client.metadata(items.map((item) => item.id)), streamProxy(), playedPercent === undefined ? readThreshold() : undefined]);
    const byKey = new Map(metadata.map((raw) => [String(raw.ratingKey), raw]));
    const sessionId = randomUUID();
    const entries = [];
    for (const item of items) {
      const raw = byKey.get(item.id);
      const part = raw === undefined ? undefined : firstPart(raw);
      if (part === undefined && entries.length === 0) throw new ApiError(`${client.baseUrl}: ${item.name} has no file to play`, { kind: 'permanent' });
      // An episode after the first without a file ends the run there: mpv plays up to it.
      if (part === undefined) {
        log.info('plex: an episode without a file ends continuous play there', { item: item.id });
        break;
      }
      entries.push({
        url: via.url(`${client.baseUrl}${part.key}`),
        mediaSourceId: part.id,
        // Every item of the sitting shares the playback's id; the server keys its session on it and the item.
        playSessionId: sessionId,
        ...(part.durationMs !== undefined ? { runtimeTicks: part.durationMs * TICKS_PER_MS } : {}),
      });
    }
    const playedBefore = (item: MediaItem) => options.changedHere?.(item.id) === true || item.userData.playCount > 0 || item.userData.positionTicks > 0;
    const details = (index: number): EntryDetails => detailsOf(byKey.get(items[index]!.id)!, via, playedBefore(items[index]!));
    return { entries, httpHeaders: [], firstDetails: Promise.resolve(details(0)), details: async (index) => details(index) };
  }

  return {
    kind: PLEX,
    url: client.baseUrl,
    capabilities: { remembersTracks: true, segments: true, datedWrites: false, quickConnect: false },
    library: {
      userViews: () => {
        // The first browse also reads the played threshold, so what a stop shows matches the server.
        if (playedPercent === undefined) void readThreshold();
        return client.sections();
      },
      resume: async () => (await continueWatching()).filter((item) => item.userData.positionTicks > 0),
      nextUp: async () => (await continueWatching()).filter((item) => item.userData.positionTicks === 0 && item.type === 'Episode'),
      async items(query) {
        const size = query.limit ?? 100;
        if (query.searchTerm !== undefined) {
          const found = await client.search(query.searchTerm, size);
          const wanted = query.includeItemTypes;
          const items = wanted === undefined ? found : found.filter((item) => wanted.includes(item.type));
          return { items, total: items.length, startIndex: 0 };
        }
        if (query.parentId === undefined) return { items: [], total: 0, startIndex: 0 };
        const type = query.includeItemTypes?.length === 1 ? PLEX_TYPE_NUMBERS[query.includeItemTypes[0]!] : undefined;
        return client.sectionItems(query.parentId, { start: query.startIndex ?? 0, size, ...(type !== undefined ? { type } : {}) });
      },
      seasons: (seriesId) => client.children(seriesId),
      episodes: (seriesId, options = {}) => (options.seasonId !== undefined ? client.children(options.seasonId) : client.allLeaves(seriesId)),
    },
    preparePlay,
    rules: {
      resumeState: (positionTicks, runtimeTicks, before, creditsTicks) => plexResumeState(positionTicks, runtimeTicks, before, playedPercent, creditsTicks, playedAt),
      // A Plex start leaves the play count alone.
      startClearsPlayed: () => false,
      seenFrom: seenOf,
    },
    deliver,
    signIn: {
      async codeLink({ onCode, signal }) {
        // A code for plex.tv/link, then this very server among the account's, with its own new token.
        const plexTv = new PlexTv({ identity: client.device, ...(options.plexTvUrl ? { baseUrl: options.plexTvUrl } : {}) });
        const linked = await linkAccount(plexTv, { onCode, ...(signal ? { signal } : {}) });
        if ('error' in linked) return linked;
        plexTv.setToken(linked.token);
        try {
          const [account, servers, identity] = await Promise.all([plexTv.account(), plexTv.servers(), client.identity()]);
          const resource = servers.find((server) => server.clientIdentifier === identity.machineIdentifier);
          if (resource === undefined) return { error: `The Plex account ${account.userName} has no access to this server; quit and run \`reelterm login --plex\` to choose another.` };
          client.setToken(resource.accessToken);
          return { token: resource.accessToken, userId: account.id, userName: account.userName, serverId: resource.clientIdentifier };
        } catch (error) {
          return { error: `Signed in to plex.tv, but could not reach this server's sign-in: ${(error as Error).message}` };
        }
      },
      // Plex has no way for a client to revoke its token (PLEX.md §2): signing out forgets it here.
      logout: async () =>
        'Plex has no way for an app to revoke its token: it is forgotten here, and stays valid until you remove this device at https://plex.tv (Settings → Authorized Devices, "reelterm").',
    },
    onReachable(listener) {
      reachable.add(listener);
    },
    forget() {},
    warmUp() {
      void readThreshold();
    },
  };
}

/** A Plex client and its server, from what a command knows. */
export function openPlex(options: PlexTransportOptions & { plexTvUrl?: string }): { server: MediaServer; client: PlexClient } {
  const { plexTvUrl, ...transport } = options;
  const client = new PlexClient(transport);
  return { server: plexServer(client, plexTvUrl ? { plexTvUrl } : {}), client };
}
