import type { LibrarySource, MediaItem } from '../servers/types.js';
import type { LocalWatchState } from '../session/local-watch-state.js';
import type { RunView } from '../session/playback-run.js';
import type { SessionView } from '../session/playback-session.js';
import type { SettleResult } from '../sync/outbox.js';
import type { SettingsStore } from './components/SettingsScreen.js';
import type { SyncQueue } from './components/SyncScreen.js';

export type { ItemPage, LibrarySource } from '../servers/types.js';

/** A playback the now-playing screen controls: one item, or several in a row (continuous play). */
export interface PlaybackControls {
  view(): RunView;
  subscribe(listener: () => void): () => void;
  togglePause(): void;
  seek(deltaSeconds: number): void;
  stop(): void;
  /** Next (`n`) or previous (`p`) item of the run. */
  skip(direction: 'next' | 'previous'): void;
  /** The next audio stream (`a`) or subtitle stream, "off" included (`c`). */
  cycleTrack(kind: 'audio' | 'subtitle'): void;
  /** Skips the intro, recap or credits on offer. */
  skipSegment(): void;
  /** Resolves when playback has ended (stop, end of the last file, mpv closed or crashed) and the stop is queued. */
  ended: Promise<SessionView>;
  /** Waits for the updates of every item played to land, or the timeout. */
  settle(timeoutMs: number): Promise<SettleResult>;
}

/** The account as the TUI shows it; a new object on every change. */
export interface SignInState {
  /** The server refused the token (a 401 on browsing or playing); syncing says so through the outbox's own `auth` state. */
  signedOut: boolean;
  signIns: number;
}

/** Home's three lists. */
export interface HomeLists {
  resume: MediaItem[];
  nextUp: MediaItem[];
  views: MediaItem[];
}

/** Everything the TUI talks to. Components never reach mpv or HTTP except through these. */
export interface TuiServices {
  library: LibrarySource;
  /**
   * Home's lists when start-up already has them all (asked for while the TUI's code loaded), taken
   * once: the first frame is then home with them, not "Loading…" and a second full redraw.
   */
  homeAtStart?(): HomeLists | undefined;
  sync: SyncQueue & { settle(options: { itemId?: string; timeoutMs: number }): Promise<SettleResult> };
  watch: LocalWatchState;
  play(item: MediaItem, startSeconds: number): Promise<PlaybackControls>;
  /** Stops mpv if it plays (or is starting); resolves once its last position is queued. */
  stopPlayback(): Promise<void>;
  /** Marks watched or unwatched: local at once, queued for the server (a series or season: every episode in it, one op on the folder). */
  setWatched(item: MediaItem, played: boolean): Promise<void>;
  /** How long leaving the player or quitting waits for sync (read when it is needed: the settings may change it). */
  readonly syncWaitMs: number;
  /** Messages from start-up for the user (an invalid setting named by key, a corrupt file moved aside). */
  notices?: readonly string[];
  /** Lines for the `?` help about where things are (the demo server's addresses and switches). */
  helpLines?: readonly string[];
  /** The settings screen's store. */
  settings: SettingsStore;
  /** "ann on Demo Server", for the header. */
  who: string;
  /** Signing in again after the server refused the token: who, and how (resolves with an error message, or undefined). */
  signIn: {
    server: string;
    user: string;
    /** How to sign in as someone else or to another server ("quit and run `reelterm login`"; the demo's own way in demo mode). */
    switchAccount: string;
    /** Whether a request was refused with a 401 since the last sign-in, and how many sign-ins there were since start. */
    state(): SignInState;
    /** Called when `state()` changes. */
    subscribe(listener: () => void): () => void;
    submit(password: string): Promise<string | undefined>;
    /** Signs in again with Quick Connect as the same user; resolves with an error message, or undefined. */
    quickConnect(onCode: (code: string) => void, signal: AbortSignal): Promise<string | undefined>;
    /** Signs in again with a code entered at the server's web page (Plex's plex.tv/link), where the server offers it. */
    codeLink?(onCode: (code: string, url: string) => void, signal: AbortSignal): Promise<string | undefined>;
  };
}
