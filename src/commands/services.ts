import type { JellyfinClient } from '../jellyfin/client.js';
import type { ItemsQuery, MediaItem } from '../jellyfin/types.js';
import { log } from '../log.js';
import { LocalWatchState } from '../session/local-watch-state.js';
import { PlaybackSession, type PlayerEvent } from '../session/playback-session.js';
import type { Outbox } from '../sync/outbox.js';
import type { PlaybackControls, TuiServices } from '../tui/services.js';

/** A running mpv as the app drives it (`src/player`'s `Player` fits). */
export interface PlayerHandle {
  subscribe(listener: (event: PlayerEvent) => void): () => void;
  togglePause(): void | Promise<void>;
  seek(seconds: number, mode: 'relative' | 'absolute'): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** Starts mpv on a stream URL; the header carries the token (never argv). */
export type LaunchPlayer = (options: { url: string; title: string; startSeconds: number; httpHeaders: string[] }) => Promise<PlayerHandle>;

function titleOf(item: MediaItem): string {
  if (item.type === 'Episode' && item.seriesName) {
    const code = item.parentIndexNumber !== undefined && item.indexNumber !== undefined ? ` S${String(item.parentIndexNumber).padStart(2, '0')}E${String(item.indexNumber).padStart(2, '0')}` : '';
    return `${item.seriesName}${code} · ${item.name}`;
  }
  return item.year ? `${item.name} (${item.year})` : item.name;
}

function ignoreRejection(result: void | Promise<void>, what: string): void {
  if (result instanceof Promise) result.catch((error: unknown) => log.warn(`player control failed: ${what}`, { error }));
}

/**
 * The services the TUI talks to, built on the Jellyfin client, the outbox and mpv. Marks and
 * finished playbacks update the local watch state at once; the outbox carries them to the server.
 */
export function createServices(options: {
  client: JellyfinClient;
  outbox: Outbox;
  launch: LaunchPlayer;
  syncWaitMs: number;
  who: string;
  /** The signed-in user; a new token from signing in again is handed to `onSignedIn` (to be saved). */
  account: { server: string; userName: string };
  onSignedIn?: (signIn: { token: string; userId: string; userName: string }) => void;
  /** Servers before 12.0 clear Played when a playback starts. */
  startClearsPlayed?: boolean;
}): TuiServices & { stopPlayback(): Promise<void> } {
  const { client, outbox } = options;
  const watch = new LocalWatchState();
  let playing: { stop(): void; ended: Promise<unknown> } | undefined;

  async function play(item: MediaItem, startSeconds: number): Promise<PlaybackControls> {
    const source = await client.playbackInfo(item.id);
    const title = titleOf(item);
    const local = watch.overlay(item.id, { played: item.userData.played, positionTicks: item.userData.positionTicks });
    const runtimeTicks = source.runtimeTicks ?? item.runtimeTicks;
    const session = new PlaybackSession({
      item: { id: item.id, title, positionTicks: local.positionTicks, played: local.played, ...(runtimeTicks !== undefined ? { runtimeTicks } : {}) },
      outbox,
      mediaSourceId: source.mediaSourceId,
      ...(source.playSessionId ? { playSessionId: source.playSessionId } : {}),
      ...(options.startClearsPlayed !== undefined ? { startClearsPlayed: options.startClearsPlayed } : {}),
    });
    const player = await options.launch({
      url: client.streamUrl(item.id, source.mediaSourceId),
      title,
      startSeconds,
      httpHeaders: [`Authorization: ${client.authorizationHeader()}`],
    });
    session.start(startSeconds);
    const unsubscribe = player.subscribe((event) => session.handle(event));
    const ended = session.ended.then((view) => {
      unsubscribe();
      watch.set(item.id, { played: view.played, positionTicks: view.positionTicks });
      if (playing?.ended === ended) playing = undefined;
      return view;
    });
    playing = { stop: () => ignoreRejection(player.stop(), 'stop'), ended };
    return {
      title,
      view: () => session.view,
      subscribe: (listener) => session.subscribe(listener),
      togglePause: () => ignoreRejection(player.togglePause(), 'pause'),
      seek: (delta) => ignoreRejection(player.seek(delta, 'relative'), 'seek'),
      stop: () => ignoreRejection(player.stop(), 'stop'),
      ended,
      settle: (timeoutMs) => session.settle(timeoutMs),
    };
  }

  async function setWatched(item: MediaItem, played: boolean): Promise<void> {
    watch.set(item.id, { played, positionTicks: 0 });
    const handle = await outbox.enqueue({ itemId: item.id, kind: played ? 'played' : 'unplayed', title: titleOf(item) });
    await handle.persisted;
  }

  return {
    library: {
      userViews: () => client.userViews(),
      resume: () => client.resume({ limit: 20 }),
      nextUp: () => client.nextUp({ limit: 20 }),
      items: (query) => client.items({ sortBy: ['SortName'], ...query } as ItemsQuery),
      seasons: (seriesId) => client.seasons(seriesId),
      episodes: (seriesId, query) => client.episodes(seriesId, query ?? {}),
    },
    sync: outbox,
    watch,
    play,
    setWatched,
    syncWaitMs: options.syncWaitMs,
    who: options.who,
    /** Stops mpv, if it plays, and resolves once its final position is queued (for quitting). */
    async stopPlayback() {
      const current = playing;
      if (current === undefined) return;
      current.stop();
      await current.ended;
    },
    signIn: {
      server: options.account.server,
      user: options.account.userName,
      async submit(password) {
        try {
          const result = await client.authenticateByName(options.account.userName, password);
          options.onSignedIn?.(result);
          outbox.resumeAfterSignIn();
          return undefined;
        } catch (error) {
          return `Sign-in failed: ${(error as Error).message}`;
        }
      },
    },
  };
}
