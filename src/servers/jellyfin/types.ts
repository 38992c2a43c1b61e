import type { BaseItemKind, ItemSortBy, SortOrder } from '@jellyfin/sdk/lib/generated-client/models/index.js';

export type { ItemPage, MediaItem, WatchState } from '../types.js';

/** A filter for `items()`; the server's names, in camelCase. */
export interface ItemsQuery {
  parentId?: string;
  includeItemTypes?: BaseItemKind[];
  recursive?: boolean;
  searchTerm?: string;
  sortBy?: ItemSortBy[];
  sortOrder?: SortOrder;
  startIndex?: number;
  limit?: number;
  isPlayed?: boolean;
}

/** What a successful sign-in yields; the token is a secret. */
export interface SignIn {
  token: string;
  userId: string;
  userName: string;
  serverId: string;
}

/** `/System/Info/Public`, sanitised. */
export interface ServerInfo {
  id: string;
  serverName: string;
  version: string;
  productName?: string;
}

/** The signed-in user. */
export interface UserProfile {
  id: string;
  name: string;
  serverId?: string;
  /** `Configuration.RememberAudioSelections`: the server keeps the audio stream last played of each item as its default (Jellyfin's default: on). */
  rememberAudioSelections: boolean;
  /** `Configuration.RememberSubtitleSelections`: the same for the subtitle stream, "off" included (Jellyfin's default: on). */
  rememberSubtitleSelections: boolean;
}

/** An audio or subtitle stream of a media source, sanitised. */
export interface MediaStreamInfo {
  /** The stream's index: its index in the file for embedded streams. */
  index: number;
  type: 'Audio' | 'Subtitle';
  /** What the user reads: language and flags ("English (default)", "German · external"); the codec only to tell two alike apart. */
  label: string;
  /** ISO 639-2 code such as `eng`. */
  language?: string;
  codec?: string;
  isDefault: boolean;
  isExternal: boolean;
  /** An external text subtitle's address, without any token (the header carries it). */
  url?: string;
}

/** What mpv needs to play an item directly. */
export interface PlaybackSource {
  mediaSourceId: string;
  playSessionId?: string;
  runtimeTicks?: number;
  /** Audio and subtitle streams, in the server's order. */
  streams: MediaStreamInfo[];
  defaultAudioIndex?: number;
  /** The server's subtitle pick for this user; -1 or absent means none. */
  defaultSubtitleIndex?: number;
}

/** A part of an item the server marked (`/MediaSegments`, Jellyfin 10.10+). */
export interface MediaSegmentInfo {
  /** `Intro`, `Outro`, `Recap`, `Preview`, `Commercial` or `Unknown`. */
  type: string;
  startTicks: number;
  endTicks: number;
}

/** A Quick Connect request: the code to show, and the secret to poll with (a secret). */
export interface QuickConnectRequest {
  code: string;
  secret: string;
  authenticated: boolean;
}

/** A playstate report (`/Sessions/Playing…`). Positions are ticks (10,000,000 per second). */
export interface PlaybackReport {
  itemId: string;
  positionTicks: number;
  isPaused?: boolean;
  playSessionId?: string;
  mediaSourceId?: string;
  /**
   * Start and progress: the Jellyfin `Index` of the playing audio stream and of the shown
   * subtitle stream (-1: subtitles off). A 10.11 server stores both as the user's remembered
   * choice on every report, absent ones as "none": omitting them erases what another client
   * remembered.
   */
  audioStreamIndex?: number;
  subtitleStreamIndex?: number;
  /** Stop only: the playback failed. The server ends its session for the item and leaves the user's data alone. */
  failed?: boolean;
}

/** A verbatim UserData write (`POST /UserItems/{id}/UserData`): no resume rules are applied. */
export interface UserDataWrite {
  playbackPositionTicks?: number;
  played?: boolean;
  lastPlayedDate?: Date;
}

/** Per-call options: every client method can be cancelled. */
export interface RequestOptions {
  signal?: AbortSignal;
}
