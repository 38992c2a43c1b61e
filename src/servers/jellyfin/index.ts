import { log } from '../../log.js';
import type { MediaItem, MediaServer, PlayOptions, PlayPlan } from '../types.js';
import { JellyfinClient, type JellyfinClientOptions } from './client.js';
import { JellyfinDeliver } from './deliver.js';
import { jellyfinPlayback } from './playback.js';
import { approveQuickConnect } from './quick-connect.js';
import { resumeState, seenFrom } from './replay-rules.js';
import type { StreamProxy } from '../http/stream-proxy.js';
import type { ItemsQuery } from './types.js';

export { JellyfinClient, type JellyfinClientOptions } from './client.js';

/** The kind's name, as the queue and the saved sign-in record it. */
export const JELLYFIN = 'jellyfin';

/** Whether a Jellyfin server of this version clears Played when playback starts (before 12.0); undefined when unknown. */
export function startClearsPlayed(version: string | undefined): boolean | undefined {
  const major = version === undefined ? Number.NaN : Number.parseInt(version, 10);
  return Number.isFinite(major) ? major < 12 : undefined;
}

/**
 * A Jellyfin server behind the `MediaServer` interface, for one client (its address, this
 * device, the signed-in user's token). mpv reaches the server's files through a loopback proxy
 * that holds the token (started at the first play), so mpv never has it.
 */
export function jellyfinServer(client: JellyfinClient): MediaServer {
  let proxy: Promise<StreamProxy> | undefined;
  const streamProxy = () =>
    (proxy ??= import('../http/stream-proxy.js').then(({ startStreamProxy }) =>
      startStreamProxy({ serverUrl: client.serverUrl, headers: () => ({ authorization: client.authorizationHeader() }), insecure: client.insecure }),
    ));
  /** Whether an item was played or marked here since it was listed: the server may remember tracks for it the listing does not show. */
  let changedHere: (itemId: string) => boolean = () => false;
  const playing = jellyfinPlayback(client, (itemId) => changedHere(itemId), streamProxy);
  const reachable = new Set<() => void>();
  client.onReachable = () => {
    for (const listener of reachable) listener();
  };
  let version: string | undefined;
  /** Reads the server's version (a 10.x start clears Played, a 12.0 one does not); a failure leaves it unknown, to be asked again. */
  const readVersion = () =>
    client.publicInfo().then(
      (info) => void (version = info.version),
      (error: unknown) => log.info('server version unknown for now', { error: (error as Error).message }),
    );
  const deliver = new JellyfinDeliver(client);

  async function preparePlay(items: MediaItem[], options: PlayOptions = {}): Promise<PlayPlan> {
    if (options.changedHere) changedHere = options.changedHere;
    const [first, ...rest] = items;
    if (first === undefined) throw new Error('nothing to play');
    // The version decides what a start does to Played: still unknown (the server was starting), it is asked again now.
    const [source] = await Promise.all([client.playbackInfo(first.id), version === undefined ? readVersion() : undefined]);
    // The episodes after it play from their primary version (its id is the item's).
    const sources = [{ mediaSourceId: source.mediaSourceId, ...(source.playSessionId ? { playSessionId: source.playSessionId } : {}), ...(source.runtimeTicks !== undefined ? { runtimeTicks: source.runtimeTicks } : {}) }, ...rest.map((item) => ({ mediaSourceId: item.id }))];
    const firstDetails = playing.details(first.id, first.userData, source);
    // Asked while the addresses are checked and mpv starts; a failure is the caller's, when it waits for them.
    firstDetails.catch(() => undefined);
    const direct = sources.map((entry, index) => client.streamUrl(items[index]!.id, entry.mediaSourceId));
    // (a redirect away is refused here with a clear message; the proxy refuses any later one)
    await playing.checkOrigins(direct);
    const via = await streamProxy();
    const urls = direct.map((url) => via.url(url));
    return {
      entries: sources.map((entry, index) => ({ ...entry, url: urls[index]! })),
      httpHeaders: [],
      firstDetails,
      details: (index) => playing.details(items[index]!.id, items[index]!.userData),
    };
  }

  return {
    kind: JELLYFIN,
    url: client.serverUrl,
    capabilities: { remembersTracks: true, segments: true, datedWrites: true, quickConnect: true },
    library: {
      userViews: () => client.userViews(),
      resume: () => client.resume({ limit: 20 }),
      nextUp: () => client.nextUp({ limit: 20 }),
      items: (query) => client.items({ sortBy: ['SortName'], ...query } as ItemsQuery),
      seasons: (seriesId) => client.seasons(seriesId),
      // Only episodes with a file when asked: a "missing" one would stop mpv's playlist.
      episodes: (seriesId, options = {}) =>
        client.episodes(seriesId, { ...(options.seasonId !== undefined ? { seasonId: options.seasonId } : {}), ...(options.playable ? { isMissing: false } : {}) }),
    },
    preparePlay,
    rules: {
      resumeState,
      startClearsPlayed: () => startClearsPlayed(version),
      seenFrom: (watch, readAt) => seenFrom(watch, readAt, undefined),
    },
    deliver,
    signIn: {
      password: (userName, password) => client.authenticateByName(userName, password),
      quickConnect: (options) => approveQuickConnect(client, options),
      logout: () => client.logout(),
    },
    onReachable(listener) {
      reachable.add(listener);
    },
    forget() {
      playing.forget();
    },
    warmUp() {
      // Asked in the background: start-up never waits for the server.
      void readVersion();
    },
  };
}

/** A Jellyfin client and its server, from what a command knows (address, device, sign-in). */
export function openJellyfin(options: JellyfinClientOptions): { server: MediaServer; client: JellyfinClient } {
  const client = new JellyfinClient(options);
  return { server: jellyfinServer(client), client };
}
