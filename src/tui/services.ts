import type { MediaItem } from '../jellyfin/types.js';
import type { LocalWatchState } from '../session/local-watch-state.js';
import type { SessionView } from '../session/playback-session.js';
import type { SettleResult } from '../sync/outbox.js';
import type { SyncQueue } from './components/SyncScreen.js';

/** One page of a library listing. */
export interface ItemPage {
  items: MediaItem[];
  total: number;
  startIndex: number;
}

/** Browsing, as the TUI needs it (the Jellyfin client provides it). */
export interface LibrarySource {
  userViews(): Promise<MediaItem[]>;
  resume(): Promise<MediaItem[]>;
  nextUp(): Promise<MediaItem[]>;
  items(query: { parentId?: string; searchTerm?: string; recursive?: boolean; includeItemTypes?: string[]; startIndex?: number; limit?: number }): Promise<ItemPage>;
  seasons(seriesId: string): Promise<MediaItem[]>;
  episodes(seriesId: string, options?: { seasonId?: string }): Promise<MediaItem[]>;
}

/** A playback the now-playing screen controls. */
export interface PlaybackControls {
  title: string;
  view(): SessionView;
  subscribe(listener: (view: SessionView) => void): () => void;
  togglePause(): void;
  seek(deltaSeconds: number): void;
  stop(): void;
  /** Resolves when playback has ended (stop, end of file, mpv closed or crashed) and the stop is queued. */
  ended: Promise<SessionView>;
  /** Waits for this item's updates to land, or the timeout. */
  settle(timeoutMs: number): Promise<SettleResult>;
}

/** Everything the TUI talks to. Components never reach mpv or HTTP except through these. */
export interface TuiServices {
  library: LibrarySource;
  sync: SyncQueue & { settle(options: { itemId?: string; timeoutMs: number }): Promise<SettleResult> };
  watch: LocalWatchState;
  play(item: MediaItem, startSeconds: number): Promise<PlaybackControls>;
  /** Marks watched or unwatched: local at once, queued for the server. */
  setWatched(item: MediaItem, played: boolean): Promise<void>;
  /** How long leaving the player or quitting waits for sync. */
  syncWaitMs: number;
  /** "ann on Demo Server", for the header. */
  who: string;
  /** Signing in again after the server refused the token: who, and how (resolves with an error message, or undefined). */
  signIn: { server: string; user: string; submit(password: string): Promise<string | undefined> };
}
