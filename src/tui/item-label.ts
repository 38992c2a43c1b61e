import { formatTicks } from '../text/time.js';
import type { MediaItem } from '../servers/types.js';
import type { LocalWatch } from '../session/local-watch-state.js';
import { counted } from './plural.js';

/**
 * The item's name as a list shows it: `S01E02 · Name` for episodes, `Name (1979)` for films;
 * `withYear` adds the year to a series too (two rows would otherwise look the same).
 */
export function itemTitle(item: MediaItem, withYear = false): string {
  if (item.type === 'Episode') {
    const s = item.parentIndexNumber !== undefined ? `S${String(item.parentIndexNumber).padStart(2, '0')}` : '';
    const e = item.indexNumber !== undefined ? `E${String(item.indexNumber).padStart(2, '0')}` : '';
    const code = `${s}${e}`;
    return code ? `${code} · ${item.name}` : item.name;
  }
  return item.year !== undefined && (withYear || !item.isFolder) ? `${item.name} (${item.year})` : item.name;
}

/** Whether two rows would read the same without the year. */
export function looksAlike(a: MediaItem | undefined, b: MediaItem | undefined): boolean {
  return a !== undefined && b !== undefined && a.id !== b.id && itemTitle(a) === itemTitle(b);
}

/** The indexes of items whose row would read the same as another's, wherever they are in the list. */
export function alikeIndexes(items: readonly MediaItem[]): Set<number> {
  const byTitle = new Map<string, number[]>();
  items.forEach((item, index) => byTitle.set(itemTitle(item), [...(byTitle.get(itemTitle(item)) ?? []), index]));
  return new Set([...byTitle.values()].filter((indexes) => indexes.length > 1).flat());
}

const KINDS: Record<string, string> = { Movie: 'film', Series: 'series', Season: 'season', Episode: 'episode' };

/** Watched state after the user's own changes. */
export function watchOf(item: MediaItem, local: LocalWatch | undefined): LocalWatch {
  return local ?? { played: item.userData.played, positionTicks: item.userData.positionTicks };
}

/** What is inside a folder: `3 seasons` for a series, `8 episodes` for a season, `120 items` for a library. */
function contents(item: MediaItem): string | undefined {
  if (item.type === 'Series') return item.childCount !== undefined ? counted(item.childCount, 'season') : undefined;
  if (item.type === 'Season') {
    const episodes = item.recursiveItemCount ?? item.childCount;
    return episodes !== undefined ? counted(episodes, 'episode') : undefined;
  }
  return item.childCount !== undefined ? counted(item.childCount, 'item') : undefined;
}

/** How a row is drawn where it is. */
export interface RowOptions {
  /** Say what it is (film, series, episode), where kinds are mixed (search results). */
  kind?: boolean;
  /** Name an episode's series; off under a heading that already names it. */
  series?: boolean;
  /** Add the year to a series (another row reads the same). */
  year?: boolean;
}

/** A one-line row: watched mark, title, and runtime or saved position, or what a folder holds. */
export function itemRow(item: MediaItem, local: LocalWatch | undefined, options: RowOptions = {}): string {
  const watch = watchOf(item, local);
  const mark = watch.played ? '✓' : watch.positionTicks > 0 ? '◐' : ' ';
  const parts = [`${mark} ${itemTitle(item, options.year)}`];
  const kind = KINDS[item.type];
  if (options.kind && kind !== undefined) parts.push(kind);
  if (item.type === 'Episode' && item.seriesName && options.series !== false) parts.push(item.seriesName);
  if (!item.isFolder && item.runtimeTicks) {
    parts.push(watch.positionTicks > 0 && !watch.played ? `${formatTicks(watch.positionTicks)} of ${formatTicks(item.runtimeTicks)}` : formatTicks(item.runtimeTicks));
  }
  const inside = item.isFolder ? contents(item) : undefined;
  if (inside !== undefined) parts.push(inside);
  return parts.join(' · ');
}
