import { DEFAULT_SETTINGS, type Settings } from '../config/settings.js';
import { log } from '../log.js';
import { LocalWatchState } from '../session/local-watch-state.js';
import { PlaybackRun, type RunEntry, type RunPlayer } from '../session/playback-run.js';
import type { Outbox } from '../sync/outbox.js';
import type { MediaItem, MediaServer, SignedInUser } from '../servers/types.js';
import { loginCommandFor } from '../servers/index.js';
import { readFailure } from '../sync/deliver.js';
import type { SeenState } from '../sync/op.js';
import { newestSeen } from '../sync/seen.js';
import type { SettingsStore } from '../tui/components/SettingsScreen.js';
import type { HomeLists, PlaybackControls, SignInState, TuiServices } from '../tui/services.js';

/** A file for mpv: the stream URL (no secret in it), its title and where to start. */
export interface LaunchEntry {
  url: string;
  title: string;
  startSeconds: number;
}

/** Starts mpv on a playlist of loopback addresses (the stream proxy holds the token; mpv has none). `src/player`'s `Player` is the handle. */
export type LaunchPlayer = (options: { entries: LaunchEntry[]; httpHeaders: string[] }) => Promise<RunPlayer>;

/** The playback settings `play` reads at each start (the settings screen may change them). */
export type PlaybackSettings = Pick<Settings, 'continuousPlay' | 'audioLanguages' | 'subtitleLanguages' | 'skipSegments' | 'skipSegmentTypes'>;

/** How the app names an item in mpv's title and in the queue. */
export function titleOf(item: MediaItem): string {
  if (item.type === 'Episode' && item.seriesName) {
    const code = item.parentIndexNumber !== undefined && item.indexNumber !== undefined ? ` S${String(item.parentIndexNumber).padStart(2, '0')}E${String(item.indexNumber).padStart(2, '0')}` : '';
    return `${item.seriesName}${code} · ${item.name}`;
  }
  return item.year ? `${item.name} (${item.year})` : item.name;
}

/** A settings store that refuses to save (for services built without a config file). */
function defaultsOnly(): SettingsStore {
  const values: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: '' };
  return { values: () => values, save: () => 'cannot be saved here', path: '(not saved)' };
}

/** What the now-playing screen drives: one playback run. */
export function controlsOf(run: PlaybackRun): PlaybackControls {
  return {
    view: () => run.view,
    subscribe: (listener) => run.subscribe(listener),
    togglePause: () => run.togglePause(),
    seek: (delta) => run.seek(delta),
    stop: () => run.stop(),
    skip: (direction) => run.skip(direction),
    cycleTrack: (kind) => run.cycleTrack(kind),
    skipSegment: () => run.skipSegment(),
    ended: run.ended,
    settle: (timeoutMs) => run.settle(timeoutMs),
  };
}

/** How many episodes after the chosen one go into mpv's playlist (and have their address checked). */
const MAX_FOLLOWING = 50;

/** A play that cannot start because another is starting or playing. */
export class AlreadyPlayingError extends Error {
  override name = 'AlreadyPlayingError';
  constructor() {
    super('mpv is already playing: stop it first (s)');
  }
}

/** A start stopped (by a quit) before mpv played anything. */
export class StartCancelledError extends Error {
  override name = 'StartCancelledError';
  constructor() {
    super('stopped before mpv started');
  }
}

/** `work`, or a `StartCancelledError` as soon as `signal` aborts (the work itself is left to end on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new StartCancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StartCancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The services the TUI talks to, built on a media server (any kind), the outbox and mpv. Marks
 * and finished playbacks update the local watch state at once; the outbox carries them to the server.
 */
export function createServices(options: {
  server: MediaServer;
  outbox: Outbox;
  launch: LaunchPlayer;
  /** How long leaving the player or quitting waits for sync; a function when the settings can change it. */
  syncWaitMs: number | (() => number);
  who: string;
  /** Start-up messages to show first. */
  notices?: readonly string[];
  /** Home's lists, when start-up asked for them early (`askForHomeEarly`). */
  homeAtStart?: () => HomeLists | undefined;
  helpLines?: readonly string[];
  /** The settings screen's store; without one, the screen shows the defaults and saves nothing. */
  settings?: SettingsStore;
  /** Continuous play, languages and segment skipping; read at each start. Defaults: none of them. */
  playback?: PlaybackSettings;
  /** The signed-in user; a new token from signing in again is handed to `onSignedIn` (to be saved). */
  account: { server: string; userName: string; userId?: string };
  /** How to sign in as someone else, or to another server, as the form says it (default: quit and run the kind's login command). */
  switchAccount?: string;
  onSignedIn?: (signIn: SignedInUser) => void;
}): TuiServices {
  const { server, outbox } = options;
  const watch = new LocalWatchState();
  const playback = (): PlaybackSettings =>
    options.playback ?? { continuousPlay: false, audioLanguages: [], subtitleLanguages: [], skipSegments: 'off', skipSegmentTypes: [] };
  /** The one playback: set from the moment a start is asked for until its last stop is queued. */
  let playing: { stop(): Promise<void> } | undefined;
  /** What a replay compares with: the listing the item came from, or what reelterm's own updates left since, whichever is newer. */
  function seenOf(item: MediaItem): { seen?: SeenState } {
    const listed = item.userData.readAt !== undefined ? server.rules.seenFrom(item.userData, item.userData.readAt) : undefined;
    const seen = newestSeen(server.deliver.seen?.(item.id), listed);
    return seen !== undefined ? { seen } : {};
  }

  function entryFor(item: MediaItem, mediaSourceId: string, startSeconds: number, runtimeTicks?: number, playSessionId?: string): RunEntry {
    const local = watch.overlay(item, { played: item.userData.played, positionTicks: item.userData.positionTicks });
    const runtime = runtimeTicks ?? item.runtimeTicks;
    return {
      item: {
        id: item.id,
        title: titleOf(item),
        positionTicks: local.positionTicks,
        played: local.played,
        ...(runtime !== undefined ? { runtimeTicks: runtime } : {}),
        ...seenOf(item),
      },
      mediaSourceId,
      ...(playSessionId ? { playSessionId } : {}),
      startSeconds,
    };
  }

  /** The episodes after `item` in the series, in broadcast order; none if they cannot be listed. */
  async function following(item: MediaItem): Promise<MediaItem[]> {
    if (!playback().continuousPlay || item.type !== 'Episode' || !item.seriesId) return [];
    try {
      // Only episodes with a file: a "missing" one would stop mpv's playlist.
      const episodes = await server.library.episodes(item.seriesId, { playable: true });
      const at = episodes.findIndex((episode) => episode.id === item.id);
      return at === -1 ? [] : episodes.slice(at + 1, at + 1 + MAX_FOLLOWING).filter((episode) => !episode.isFolder);
    } catch (error) {
      log.warn('could not list the next episodes; playing this one only', { error: (error as Error).message });
      return [];
    }
  }

  async function start(item: MediaItem, startSeconds: number, signal: AbortSignal): Promise<PlaybackControls> {
    const next = await untilAborted(following(item), signal);
    const plan = await untilAborted(server.preparePlay([item, ...next], { changedHere: (itemId) => watch.get(itemId) !== undefined }), signal);
    // (the server may make fewer ready than asked: the run ends before one it cannot play)
    const items = [item, ...next].slice(0, plan.entries.length);
    const entries = items.map((each, index) => {
      const ready = plan.entries[index]!;
      // The episodes after the first play from their start.
      return entryFor(each, ready.mediaSourceId, index === 0 ? startSeconds : 0, ready.runtimeTicks, ready.playSessionId);
    });
    const launching = options.launch({
      entries: entries.map((entry, index) => ({ url: plan.entries[index]!.url, title: entry.item.title, startSeconds: entry.startSeconds })),
      httpHeaders: plan.httpHeaders,
    });
    // Awaited below, once the details are in: a launch that fails first (mpv missing) must not
    // count as an unhandled rejection meanwhile, which ends the process with a stack trace.
    launching.catch(() => undefined);
    let firstDetails;
    try {
      firstDetails = await untilAborted(plan.firstDetails, signal);
    } catch (error) {
      // No run will own this mpv: it stops here, once it has started, rather than play on alone.
      void launching.then(
        (player) => player.stop(),
        () => undefined,
      );
      throw error;
    }
    const player = await launching;
    if (signal.aborted) {
      await player.stop();
      throw new StartCancelledError();
    }
    const settings = playback();
    const clears = server.rules.startClearsPlayed();
    const run = new PlaybackRun({
      entries,
      player,
      outbox,
      rules: server.rules,
      firstDetails,
      details: (entry) => plan.details(entries.indexOf(entry)),
      languages: { audioLanguages: settings.audioLanguages, subtitleLanguages: settings.subtitleLanguages },
      segments: { mode: settings.skipSegments, types: settings.skipSegmentTypes },
      ...(clears !== undefined ? { startClearsPlayed: clears } : {}),
      onItemEnded: (itemId, view) => watch.set(itemId, { played: view.played, positionTicks: view.positionTicks }),
    });
    run.start();
    // The server may end the playback itself (Plex: an admin stopped the stream).
    const unsubscribe = server.deliver.onPlaybackEnded?.((ended) => {
      if (entries.some((entry) => entry.item.id === ended.itemId && entry.playSessionId === ended.playSessionId)) run.endedByServer(ended.itemId, ended.text);
    });
    if (unsubscribe !== undefined) void run.ended.then(unsubscribe);
    return controlsOf(run);
  }

  /** Starts a playback; refuses while another is starting or playing (one mpv at a time). */
  function play(item: MediaItem, startSeconds: number): Promise<PlaybackControls> {
    if (playing !== undefined) return Promise.reject(new AlreadyPlayingError());
    const abort = new AbortController();
    const started = start(item, startSeconds, abort.signal);
    const ended = started.then(
      (controls) => controls.ended,
      () => undefined,
    );
    const current = {
      async stop() {
        // A start still waiting for the server gives up now (nothing played, so nothing is
        // lost): a stalled server would otherwise hold a quit for its requests' timeout.
        abort.abort();
        (await started.catch(() => undefined))?.stop();
        await ended;
      },
    };
    playing = current;
    void ended.then(() => {
      if (playing === current) playing = undefined;
    });
    return started;
  }

  /** A 401 from browsing or playing signs the app out, as one from syncing does (the outbox's `auth` state). */
  let account: SignInState = { signedOut: false, signIns: 0 };
  const accountListeners = new Set<() => void>();
  const setAccount = (next: SignInState) => {
    account = next;
    for (const listener of accountListeners) listener();
  };
  function noticeRefusal<T>(request: Promise<T>): Promise<T> {
    return request.catch((error: unknown) => {
      if (readFailure(error).kind === 'auth' && !account.signedOut) setAccount({ ...account, signedOut: true });
      throw error;
    });
  }
  const signedInAgain = () => {
    server.forget();
    setAccount({ signedOut: false, signIns: account.signIns + 1 });
    outbox.resumeAfterSignIn();
  };

  // A mark that lands later (sent again from the sync screen) shows, unless the user has a newer one queued.
  outbox.onSettled((op, outcome) => {
    if (outcome !== 'delivered' || (op.kind !== 'played' && op.kind !== 'unplayed')) return;
    if (outbox.pendingOps().some((queued) => queued.itemId === op.itemId)) return;
    watch.landed(op.itemId, op.kind === 'played');
  });

  async function setWatched(item: MediaItem, played: boolean): Promise<void> {
    // The server marks a series or season recursively: one op on the folder, every episode shown at once.
    const change = item.type === 'Series' || item.type === 'Season' ? watch.markFolder(item.id, played) : watch.set(item.id, { played, positionTicks: 0 });
    const handle = await outbox.enqueue({ itemId: item.id, kind: played ? 'played' : 'unplayed', title: titleOf(item) });
    // A mark the server never takes (refused for good, changed elsewhere, discarded) stops showing as done.
    void handle.outcome.then((outcome) => {
      if (outcome !== 'delivered') watch.forget(item.id, change);
    });
    await handle.persisted;
  }

  return {
    library: {
      userViews: () => noticeRefusal(server.library.userViews()),
      resume: () => noticeRefusal(server.library.resume()),
      nextUp: () => noticeRefusal(server.library.nextUp()),
      items: (query) => noticeRefusal(server.library.items(query)),
      seasons: (seriesId) => noticeRefusal(server.library.seasons(seriesId)),
      episodes: (seriesId, query) => noticeRefusal(server.library.episodes(seriesId, query)),
    },
    sync: outbox,
    watch,
    play: (item, startSeconds) => noticeRefusal(play(item, startSeconds)),
    setWatched,
    get syncWaitMs() {
      return typeof options.syncWaitMs === 'function' ? options.syncWaitMs() : options.syncWaitMs;
    },
    settings: options.settings ?? defaultsOnly(),
    ...(options.homeAtStart ? { homeAtStart: options.homeAtStart } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
    ...(options.helpLines ? { helpLines: options.helpLines } : {}),
    who: options.who,
    /** Stops mpv, if it plays (or is starting), and resolves once its final position is queued (for quitting). */
    async stopPlayback() {
      await playing?.stop();
    },
    signIn: {
      server: options.account.server,
      user: options.account.userName,
      switchAccount: options.switchAccount ?? `quit and run \`${loginCommandFor(server.kind)}\``,
      state: () => account,
      subscribe(listener) {
        accountListeners.add(listener);
        return () => accountListeners.delete(listener);
      },
      async submit(password) {
        try {
          if (server.signIn.password === undefined) return 'This server does not sign in with a password: quit and run `' + loginCommandFor(server.kind) + '`.';
          const result = await server.signIn.password(options.account.userName, password);
          if (options.account.userId !== undefined && result.userId !== options.account.userId) {
            // Same name, another user (deleted and created again): the queue is the old one's.
            await server.signIn.logout().catch(() => undefined);
            return `${options.account.userName} on this server is not the user the queued updates belong to any more; quit and run \`${loginCommandFor(server.kind)}\` to sign in as the new one.`;
          }
          options.onSignedIn?.(result);
          signedInAgain();
          return undefined;
        } catch (error) {
          return `Sign-in failed: ${(error as Error).message}`;
        }
      },
      ...(server.signIn.codeLink !== undefined
        ? {
            async codeLink(onCode: (code: string, url: string) => void, signal: AbortSignal) {
              const result = await server.signIn.codeLink!({ onCode, signal });
              if ('error' in result) return result.error;
              const sameUser = options.account.userId !== undefined ? result.userId === options.account.userId : result.userName.toLowerCase() === options.account.userName.toLowerCase();
              if (!sameUser) return `That code was entered as ${result.userName}; enter it as ${options.account.userName}, or quit and run \`${loginCommandFor(server.kind)}\` to switch.`;
              options.onSignedIn?.(result);
              signedInAgain();
              return undefined;
            },
          }
        : {}),
      async quickConnect(onCode, signal) {
        if (server.signIn.quickConnect === undefined) return 'This server does not offer Quick Connect: sign in with the password.';
        const result = await server.signIn.quickConnect({ onCode, signal });
        if ('error' in result) return result.error;
        const sameUser = options.account.userId !== undefined ? result.userId === options.account.userId : result.userName.toLowerCase() === options.account.userName.toLowerCase();
        if (!sameUser) {
          // The queue belongs to the signed-in account: another user's approval must not take it over.
          await server.signIn.logout().catch(() => undefined);
          return `That code was approved by ${result.userName}; approve it as ${options.account.userName}, or quit and run \`${loginCommandFor(server.kind)}\` to switch.`;
        }
        options.onSignedIn?.(result);
        signedInAgain();
        return undefined;
      },
    },
  };
}
