import type { MediaItem } from '../servers/types.js';
import { counted } from './plural.js';

/** What `w` does to a row: mark the item, ask before marking a whole series or season, or refuse. */
export type MarkKind = 'item' | 'folder' | 'library' | 'other-folder';

/** How `w` treats the item. */
export function markKind(item: MediaItem): MarkKind {
  if (item.type === 'Series' || item.type === 'Season') return 'folder';
  if (!item.isFolder) return 'item';
  return item.type === 'CollectionFolder' || item.type === 'UserView' || item.collectionType !== undefined ? 'library' : 'other-folder';
}

/** What `w` on a series or season without episodes says (the server counted none): nothing to ask. */
export function markNothing(item: MediaItem): string | undefined {
  return item.recursiveItemCount === 0 ? `${folderName(item)} has no episodes to mark.` : undefined;
}

/** What `w` on a folder that cannot be marked says. */
export function markRefusal(kind: 'library' | 'other-folder'): string {
  return kind === 'library' ? 'A whole library cannot be marked: open it and mark a series or an item.' : 'Only a series or a season can be marked as a whole: open it and mark an item.';
}

/** The folder as the question names it: `Amber Lighthouse`, `Amber Lighthouse · Season 1`. */
function folderName(item: MediaItem): string {
  return item.type === 'Season' && item.seriesName ? `${item.seriesName} · ${item.name}` : item.name;
}

/** "all 24 episodes of Amber Lighthouse"; "the episode of …" when there is one; "every episode of …" when the count is unknown. */
function episodesOf(item: MediaItem): string {
  const n = item.recursiveItemCount;
  const of = `of ${folderName(item)}`;
  if (n === undefined) return `every episode ${of}`;
  return n === 1 ? `the 1 episode ${of}` : `all ${counted(n, 'episode')} ${of}`;
}

/** The y/n question before marking a series or season: "Mark all 24 episodes of Amber Lighthouse watched? y/n". */
export function markQuestion(item: MediaItem, played: boolean): string {
  return `Mark ${episodesOf(item)} ${played ? 'watched' : 'unwatched'}? y/n`;
}

/** What is said once the user said yes. */
export function markDone(item: MediaItem, played: boolean): string {
  const what = episodesOf(item);
  return `Marked ${what} ${played ? 'watched' : 'unwatched'}.`;
}
