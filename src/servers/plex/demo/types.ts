/**
 * The demo Plex server's public shape: the options it starts with and what a test (or
 * `reelterm --demo --plex`) holds while it runs.
 */
import type { PlexAccount, PlexAccountOptions } from './accounts.js';
import type { ConnectionReachability } from './context.js';
import type { PlexFaults } from './faults.js';
import type { PlexJournalEntry } from './journal.js';
import type { PlexLibrary, PlexLibraryShape } from './library.js';
import type { StreamSelection } from './media.js';
import type { PlexRules } from './rules.js';
import type { NowPlaying } from './sessions.js';
import type { HistoryRow, WatchState } from './watch-state.js';

/** Options for `startPlexDemoServer`. */
export interface PlexDemoOptions {
  /** The PMS half's port; 0 (default) picks a free one. */
  port?: number;
  /** The plex.tv half's port; 0 (default) picks a free one. */
  plexTvPort?: number;
  /** How big the generated library is (default 36 films, 4 shows × 2 seasons × 6 episodes). */
  library?: PlexLibraryShape;
  /** Seed of the generated titles and years (default 20240601). */
  seed?: number;
  /** `LibraryVideoPlayedThreshold` in percent (default 90); the same as `rules.threshold`. */
  threshold?: number;
  /** Rule switches over the "pms-1.43" profile (see `PlexRules`). */
  rules?: Partial<PlexRules>;
  /** The accounts (default: the owner "demo" and a managed Home user "kid"); the first owns the server. */
  accounts?: PlexAccountOptions[];
  /** The server's name (default "reelterm demo"). */
  friendlyName?: string;
  /** Requests kept in the journal (default 10,000, oldest dropped first). */
  journalLimit?: number;
  /**
   * Link every new PIN to the owner as soon as it is created (for `reelterm --demo --plex`, where
   * nobody can visit plex.tv/link). Default false: tests link with `linkPin`.
   */
  autoLinkPins?: boolean;
}

/** What tests read (and may set) of the server's watch state. */
export interface PlexWatchView {
  /** An account's state of an item (default: the owner); fields absent when unset, as on the wire. */
  watch(ratingKey: string, username?: string): WatchState;
  /** Overwrites part of an account's state (e.g. "another device watched this later"); `undefined` clears a field. */
  set(ratingKey: string, state: WatchState, username?: string): void;
  /** The open "Now Playing" sessions. */
  sessions(): NowPlaying[];
  /** Play history rows (crossings only), oldest first; all accounts' or one's. */
  history(username?: string): HistoryRow[];
  /**
   * Ends open sessions (all, or one client's or item's) from the server side: their next report's reply
   * carries `terminationCode`/`terminationText` (PLEX.md §5.1). Returns how many were marked.
   */
  terminate(options?: { code?: number; text?: string; clientIdentifier?: string; ratingKey?: string }): number;
  /** An account's audio and subtitle choice for a part (`PUT /library/parts/{id}`). */
  selection(partId: number, username?: string): StreamSelection;
}

/** A running demo Plex server. */
export interface PlexDemoServer {
  /** The PMS half: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /**
   * The plex.tv half, on its own port: a client's plex.tv base URL in tests (`https://plex.tv` in
   * real life). Its `/__demo/link`, `/__demo/faults` and `/__demo/rules` are the switches for a
   * person (see `admin.ts`).
   */
  readonly plexTvUrl: string;
  /** The relay connection resources lists (a TCP forwarder to the PMS half). */
  readonly relayUrl: string;
  /** The server's `machineIdentifier` (= `clientIdentifier` of its resource). */
  readonly machineIdentifier: string;
  readonly version: string;
  readonly library: PlexLibrary;
  /** The accounts; the first is the owner. Tokens change when revoked, so read them when needed. */
  readonly users: readonly PlexAccount[];
  readonly owner: PlexAccount;
  /** The PMS half's faults. */
  readonly faults: PlexFaults;
  /** The plex.tv half's faults (plex.tv down while the server is up, PLEX.md §6). */
  readonly plexTvFaults: PlexFaults;
  /** Every request received on either half, oldest first; no tokens. */
  readonly journal: readonly PlexJournalEntry[];
  clearJournal(): void;
  /** Watch state, sessions and history, for assertions. */
  readonly state: PlexWatchView;
  /** The rules in force. */
  readonly rules: Readonly<PlexRules>;
  /** Changes rule switches while running; returns the rules in force. */
  configureRules(changes: Partial<PlexRules>): Readonly<PlexRules>;
  /** The user enters a PIN's code at plex.tv/link: links it to an account (default the owner); false when no live PIN has the code. */
  linkPin(code: string, username?: string): boolean;
  /** Makes resources' connections lead to the server or to a refused port (default: local refused, remote and relay working). */
  setReachability(changes: Partial<ConnectionReachability>): ConnectionReachability;
  close(): Promise<void>;
}
