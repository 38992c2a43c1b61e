import type { BaseItemKind, CollectionType, ItemSortBy, SortOrder } from '@jellyfin/sdk/lib/generated-client/models/index.js';

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
}

/** A library, folder, movie, series, season or episode, with every server string sanitised. */
export interface MediaItem {
  id: string;
  name: string;
  /** A `BaseItemKind` (`Movie`, `Series`, `Season`, `Episode`, `CollectionFolder` …). */
  type: BaseItemKind | (string & {});
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
  collectionType?: CollectionType | (string & {});
  userData: WatchState;
}

/** One page of a listing. */
export interface ItemPage {
  items: MediaItem[];
  /** Matches in all pages (`TotalRecordCount`). */
  total: number;
  startIndex: number;
}

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
}

/** What mpv needs to play an item directly. */
export interface PlaybackSource {
  mediaSourceId: string;
  playSessionId?: string;
  runtimeTicks?: number;
}

/** A playstate report (`/Sessions/Playing…`). Positions are ticks (10,000,000 per second). */
export interface PlaybackReport {
  itemId: string;
  positionTicks: number;
  isPaused?: boolean;
  playSessionId?: string;
  mediaSourceId?: string;
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
