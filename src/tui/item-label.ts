import { formatTicks } from '../commands/format.js';
import type { MediaItem } from '../jellyfin/types.js';
import type { LocalWatch } from '../session/local-watch-state.js';

/** The item's name as a list shows it: `S01E02 · Name` for episodes, `Name (1979)` for films. */
export function itemTitle(item: MediaItem): string {
  if (item.type === 'Episode') {
    const s = item.parentIndexNumber !== undefined ? `S${String(item.parentIndexNumber).padStart(2, '0')}` : '';
    const e = item.indexNumber !== undefined ? `E${String(item.indexNumber).padStart(2, '0')}` : '';
    const code = `${s}${e}`;
    return code ? `${code} · ${item.name}` : item.name;
  }
  return item.year !== undefined && !item.isFolder ? `${item.name} (${item.year})` : item.name;
}

/** Watched state after the user's own changes. */
export function watchOf(item: MediaItem, local: LocalWatch | undefined): LocalWatch {
  return local ?? { played: item.userData.played, positionTicks: item.userData.positionTicks };
}

/** A one-line row: watched mark, title, and runtime or saved position. */
export function itemRow(item: MediaItem, local: LocalWatch | undefined): string {
  const watch = watchOf(item, local);
  const mark = watch.played ? '✓' : watch.positionTicks > 0 ? '◐' : ' ';
  const parts = [`${mark} ${itemTitle(item)}`];
  if (item.type === 'Episode' && item.seriesName) parts.push(item.seriesName);
  if (!item.isFolder && item.runtimeTicks) {
    parts.push(watch.positionTicks > 0 && !watch.played ? `${formatTicks(watch.positionTicks)} of ${formatTicks(item.runtimeTicks)}` : formatTicks(item.runtimeTicks));
  }
  if (item.isFolder && item.childCount !== undefined) parts.push(`${item.childCount} items`);
  return parts.join(' · ');
}
