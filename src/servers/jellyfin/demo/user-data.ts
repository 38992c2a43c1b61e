import type { UserItemDataDto } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoItem, DemoLibrary } from './library.js';
import { formatDate } from './wire.js';

/** One user's watch state for one item, as Jellyfin's `UserItemData` holds it. */
export interface StoredUserData {
  playbackPositionTicks: number;
  playCount: number;
  played: boolean;
  isFavorite: boolean;
  lastPlayedDate?: Date;
  likes?: boolean;
  rating?: number;
  /** The audio stream the user last played, remembered by `SessionManager.UpdatePlaybackSettings`. */
  audioStreamIndex?: number;
  /** The subtitle stream the user last played (-1: subtitles off), remembered the same way. */
  subtitleStreamIndex?: number;
}

function blank(): StoredUserData {
  return { playbackPositionTicks: 0, playCount: 0, played: false, isFavorite: false };
}

/** Every user's watch state, keyed by user id then item id. */
export class UserDataStore {
  private readonly byUser = new Map<string, Map<string, StoredUserData>>();

  /** A copy of the stored state (a fresh default when nothing is stored yet). */
  get(userId: string, itemId: string): StoredUserData {
    const stored = this.byUser.get(userId)?.get(itemId);
    return stored ? { ...stored } : blank();
  }

  /** Stores the state for one item, replacing what was there. */
  save(userId: string, itemId: string, data: StoredUserData): void {
    let items = this.byUser.get(userId);
    if (!items) {
      items = new Map();
      this.byUser.set(userId, items);
    }
    items.set(itemId, { ...data });
  }

  /** Item ids this user has any stored state for. */
  itemIds(userId: string): Iterable<string> {
    return this.byUser.get(userId)?.keys() ?? [];
  }
}

/**
 * The `UserItemDataDto` the server sends for an item. A video's `PlayedPercentage` is derived from
 * its position (omitted at 0). A series' or season's `UnplayedItemCount` and `Played` come from its
 * episodes, as `Folder.FillUserDataDtoValues` (10.11) computes them; its `PlayedPercentage` only
 * when the item's `RecursiveItemCount` was computed too (`Fields=RecursiveItemCount`, or every field
 * on `/Items/{id}`) and is above 0, so never on the UserData and mark routes, which pass no item DTO.
 * A library (`ICollectionFolder`) has `SupportsUserDataFromChildren` false: only its own data.
 */
export function userItemDataDto(library: DemoLibrary, store: UserDataStore, userId: string, item: DemoItem, recursiveItemCount?: number): UserItemDataDto {
  const data = store.get(userId, item.id);
  const dto: UserItemDataDto = {
    Rating: data.rating,
    PlaybackPositionTicks: data.playbackPositionTicks,
    PlayCount: data.playCount,
    IsFavorite: data.isFavorite,
    Likes: data.likes,
    LastPlayedDate: data.lastPlayedDate ? formatDate(data.lastPlayedDate) : undefined,
    Played: data.played,
    Key: item.id,
    ItemId: item.id,
  };
  if (item.isFolder && supportsUserDataFromChildren(item)) {
    const unplayed = library.leaves(item).filter((leaf) => !store.get(userId, leaf.id).played).length;
    dto.UnplayedItemCount = unplayed;
    if (recursiveItemCount !== undefined && recursiveItemCount > 0) {
      // Folder.cs computes it from the unplayed share, which rounds differently from played / total.
      dto.PlayedPercentage = 100 - (unplayed / recursiveItemCount) * 100;
      dto.Played = dto.PlayedPercentage >= 100;
    } else {
      dto.Played = unplayed === 0;
    }
  } else if (!item.isFolder && item.runTimeTicks && data.playbackPositionTicks > 0) {
    dto.PlayedPercentage = (100 * data.playbackPositionTicks) / item.runTimeTicks;
  }
  return dto;
}

/**
 * `Folder.SupportsUserDataFromChildren`: false for a library (`ICollectionFolder`), whose
 * `UserData` then carries neither counts nor `RecursiveItemCount`; true for series and seasons.
 */
export function supportsUserDataFromChildren(item: DemoItem): boolean {
  return item.isFolder && item.type !== 'CollectionFolder';
}
