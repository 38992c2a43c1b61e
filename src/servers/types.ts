import type { EntryDetails } from '../session/playback-run.js';
import type { ResumeRule } from '../session/playback-session.js';
import type { Deliver } from '../sync/deliver.js';
import type { SeenState } from '../sync/op.js';

// What reelterm knows of "a media server", whatever its kind: the model every screen, the
// session and the sync engine read, and the one interface a kind implements (MediaServer).
// A kind lives in src/servers/<kind>/; src/servers/index.ts is the one place that picks it.

/** One user's watch state for an item, as the server last reported it. */
export interface WatchState {
  positionTicks: number;
  played: boolean;
  playCount: number;
  /** When the item was last started (server clock) or marked/written with a date. */
  lastPlayedDate?: Date;
  /** Derived by the server: position over runtime (videos) or played over total (folders). */
  playedPercentage?: number;
  /** Folders only: how many episodes below are unplayed. */
  unplayedItemCount?: number;
  /** This machine's epoch ms when the server said so. */
  readAt?: number;
}

/** A library, folder, movie, series, season or episode, with every server string sanitised. */
export interface MediaItem {
  id: string;
  name: string;
  /**
   * What the item is, in the words every screen reads: `Movie`, `Series`, `Season`, `Episode`,
   * `CollectionFolder` (a library) … (Jellyfin's `BaseItemKind`; another kind maps its own to these).
   */
  type: string;
  year?: number;
  runtimeTicks?: number;
  overview?: string;
  seriesId?: string;
  seriesName?: string;
  seasonId?: string;
  seasonName?: string;
  /** Episode number, or season number for a season. */
  indexNumber?: number;
  /** Season number of an episode. */
  parentIndexNumber?: number;
  isFolder: boolean;
  childCount?: number;
  /** The videos below a series or season (its episodes); absent for a library. */
  recursiveItemCount?: number;
  /** A library's content: `movies`, `tvshows` … */
  collectionType?: string;
  userData: WatchState;
}

/** One page of a listing. */
export interface ItemPage {
  items: MediaItem[];
  /** Matches in all pages (`TotalRecordCount`). */
  total: number;
  startIndex: number;
}

/** A page of a listing to ask for: a library's items, a search, one kind of item. */
export interface LibraryQuery {
  parentId?: string;
  searchTerm?: string;
  recursive?: boolean;
  /** `MediaItem.type` words: `Movie`, `Series`, `Episode` … */
  includeItemTypes?: string[];
  startIndex?: number;
  limit?: number;
}

/** Browsing, as the screens need it. Every string in an answer is stripped of terminal control and bidi sequences. */
export interface LibrarySource {
  /** The user's libraries. */
  userViews(): Promise<MediaItem[]>;
  /** Continue watching: items with a resume point, latest first. */
  resume(): Promise<MediaItem[]>;
  /** Next up: the next episode of each series in progress. */
  nextUp(): Promise<MediaItem[]>;
  /** A page of a library, a folder or a search, by name. */
  items(query: LibraryQuery): Promise<ItemPage>;
  seasons(seriesId: string): Promise<MediaItem[]>;
  /** A series' episodes in order (of one season with `seasonId`); `playable` leaves out those without a file. */
  episodes(seriesId: string, options?: { seasonId?: string; playable?: boolean }): Promise<MediaItem[]>;
}

/** One item made ready for mpv. */
export interface PlayableEntry {
  /** What mpv opens: an address without any secret in it (the server's token stays in reelterm). */
  url: string;
  /** The server's id for the version of the item that plays (Jellyfin's media source), carried by the reports. */
  mediaSourceId: string;
  /** The server's id for this playback, when it gives one, carried by the reports. */
  playSessionId?: string;
  /** The length the server gives for that version, when it differs from the listing's. */
  runtimeTicks?: number;
}

/** Items made ready to play in a row: their addresses, the first one's details, and how to ask for the others'. */
export interface PlayPlan {
  /** The items that can play, in order: all of them, or the first ones (an item without a file ends the run). */
  entries: PlayableEntry[];
  /** Extra HTTP headers mpv sends with each request (none when a local proxy holds the credentials). */
  httpHeaders: string[];
  /** The first item's tracks and segments (asked while mpv starts). */
  firstDetails: Promise<EntryDetails>;
  /** The tracks and segments of the entry at `index` (asked while the one before plays). */
  details(index: number): Promise<EntryDetails>;
}

/** What the app knows that the server's listing may not. */
export interface PlayOptions {
  /** Whether the item was played or marked here since it was listed. */
  changedHere?(itemId: string): boolean;
}

/** What a server's rules make of a playback, for the session and for the screens. */
export interface WatchRules extends ResumeRule {
  /** Whether a start report clears Played on this server (undefined: not known yet). */
  startClearsPlayed(): boolean | undefined;
  /** What a replay compares with, read from a listing's watch state at `readAt` (undefined: the listing says too little). */
  seenFrom(watch: WatchState, readAt: number): SeenState | undefined;
}

/** Who signed in: the server's token (a secret) and ids. */
export interface SignedInUser {
  token: string;
  userId: string;
  userName: string;
  /** The server's own id, when it gives one (the queue records it). */
  serverId?: string;
}

/** How a sign-in with a code approved elsewhere waits. */
export interface QuickConnectOptions {
  /** Shown to the user: the code to enter in another app where they are signed in. */
  onCode(code: string): void;
  /** How long to wait for approval. */
  timeoutMs?: number;
  /** How often to ask the server whether the code was approved. */
  pollMs?: number;
  /** Aborting stops waiting (esc, Ctrl+C); nothing is stored. */
  signal?: AbortSignal;
}

/** How the server lets a user sign in. A method it does not offer is absent. */
export interface SignInMethods {
  /** Name and password; rejects with an error whose `kind` is `auth` for a wrong one. */
  password?(userName: string, password: string): Promise<SignedInUser>;
  /** A code shown here, approved in another app where the user is signed in. Resolves with the user or what went wrong, worded for a person. */
  quickConnect?(options: QuickConnectOptions): Promise<SignedInUser | { error: string }>;
  /**
   * A code the user enters at the server's web page on another device (Plex's plex.tv/link),
   * for this same server: `onCode` shows the code and its link. Resolves with the user or what went wrong.
   */
  codeLink?(options: { onCode(code: string, url: string): void; signal?: AbortSignal }): Promise<SignedInUser | { error: string }>;
  /**
   * Ends the session the token stands for, on the server. A server with no way for a client to
   * do that (Plex) resolves with a sentence for the user saying so and where it can be ended.
   */
  logout(): Promise<void | string>;
}

/** What a server can do that another may not. */
export interface ServerCapabilities {
  /** It keeps, per item, the audio and subtitle tracks the user last played (reports must name them). */
  remembersTracks: boolean;
  /** It marks parts of an item (intro, credits) that a key can skip. */
  segments: boolean;
  /** A mark or a replayed position can carry the user's own time, not the server's time of arrival. */
  datedWrites: boolean;
  /** It lets a user sign in with a code approved elsewhere. */
  quickConnect: boolean;
}

/**
 * One signed-in account on one media server, whatever its kind: what the screens browse, how an
 * item is played, how each queued update is delivered and replayed (`deliver`), the played and
 * resume rules, the ways to sign in, and what the server can do.
 */
export interface MediaServer {
  /** The kind's name, as the queue records it (for records and logs; nothing branches on it). */
  readonly kind: string;
  /** The server's base address. */
  readonly url: string;
  readonly capabilities: ServerCapabilities;
  readonly library: LibrarySource;
  /** Makes items ready to play in a row (one item, or an episode and those after it). */
  preparePlay(items: MediaItem[], options?: PlayOptions): Promise<PlayPlan>;
  readonly rules: WatchRules;
  /** How the sync engine delivers each kind of update, and replays a late one. */
  readonly deliver: Deliver;
  readonly signIn: SignInMethods;
  /** Calls `listener` whenever a request of browsing or playing got an answer (the server is reachable). */
  onReachable(listener: () => void): void;
  /** A new sign-in: forget what was read for the one before (what it remembers, its settings). */
  forget(): void;
  /** Work done in the background at start (e.g. reading the server's version); start-up never waits for it. */
  warmUp?(): void;
}
