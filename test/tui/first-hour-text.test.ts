import { describe, expect, it } from 'vitest';
import type { MediaItem } from '../../src/servers/jellyfin/types.js';
import { LocalWatchState } from '../../src/session/local-watch-state.js';
import type { SyncStatus } from '../../src/sync/status.js';
import { breadcrumb } from '../../src/tui/breadcrumb.js';
import { markNothing, markQuestion } from '../../src/tui/folder-mark.js';
import { footerHint, footerText } from '../../src/tui/footer-text.js';
import { alikeIndexes, itemRow } from '../../src/tui/item-label.js';
import { messageLines, wrapText } from '../../src/tui/wrap-text.js';

const watch = { positionTicks: 0, played: false, playCount: 0 };
const item = (over: Partial<MediaItem>): MediaItem => ({ id: 'x', name: 'X', type: 'Movie', isFolder: false, userData: watch, ...over });
const series = item({ id: 's', name: 'Amber Lighthouse', type: 'Series', isFolder: true, year: 2010, childCount: 3, recursiveItemCount: 24 });
const season = item({ id: 'n', name: 'Season 1', type: 'Season', isFolder: true, seriesId: 's', seriesName: 'Amber Lighthouse', childCount: 8, recursiveItemCount: 8 });
const episode = item({ id: 'e', name: 'Pilot', type: 'Episode', seriesId: 's', seasonId: 'n', seriesName: 'Amber Lighthouse', parentIndexNumber: 1, indexNumber: 1, runtimeTicks: 600_000_000 });

describe('wrapping a message', () => {
  it('breaks at spaces within the width, and cuts a word longer than a line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghij kl', 4)).toEqual(['abcd', 'efgh', 'ij', 'kl']);
  });

  it('keeps a message to three rows and says how to read the rest', () => {
    const shown = messageLines('word '.repeat(40).trim(), 20);
    expect(shown.cut).toBe(true);
    expect(shown.lines).toHaveLength(3);
    expect(shown.lines[2]).toMatch(/… m: read all$/);
    expect(shown.lines.every((line) => line.length <= 20)).toBe(true);
    expect(messageLines('short', 20)).toEqual({ lines: ['short'], cut: false });
  });
});

describe('the footer at 80 columns', () => {
  const base: SyncStatus = { state: 'retrying', pending: 3, live: 0, otherAccounts: 0, inFlight: 0, waitingSince: null, attempts: 4, nextRetryAt: 12_000, lastError: 'Cannot reach http://jf: connection refused', deadLetters: 2, expired: 0, superseded: 0, notice: null, lastSyncedAt: null };

  it('drops the key hint when the retry line needs the room, and keeps it when there is room', () => {
    const line = footerText(base, 0);
    expect(footerHint(line, '? help · q quit', 80)).toBeUndefined();
    expect(footerHint(footerText({ ...base, deadLetters: 0 }, 0), '? help · q quit', 80)).toBe('? help · q quit');
  });
});

describe('rows', () => {
  it('says seasons of a series and episodes of a season, in the right number', () => {
    expect(itemRow(series, undefined)).toBe('  Amber Lighthouse · 3 seasons');
    expect(itemRow(season, undefined)).toBe('  Season 1 · 8 episodes');
    expect(itemRow({ ...series, childCount: 1 }, undefined)).toBe('  Amber Lighthouse · 1 season');
    expect(itemRow(item({ type: 'CollectionFolder', isFolder: true, childCount: 1 }), undefined)).toBe('  X · 1 item');
  });

  it('gives the year to rows that would read the same, and kinds to search results', () => {
    const twins = [series, { ...series, id: 't', year: 1994 }, item({ name: 'Other', type: 'Series', isFolder: true })];
    expect([...alikeIndexes(twins)]).toEqual([0, 1]);
    expect(itemRow(twins[1]!, undefined, { year: true })).toBe('  Amber Lighthouse (1994) · 3 seasons');
    expect(itemRow(episode, undefined, { kind: true })).toBe('  S01E01 · Pilot · episode · Amber Lighthouse · 1:00');
    expect(itemRow(item({ name: 'Heat', year: 1995 }), undefined, { kind: true })).toBe('  Heat (1995) · film');
    expect(itemRow(episode, undefined, { series: false })).toBe('  S01E01 · Pilot · 1:00');
  });
});

describe('marking a series', () => {
  it('asks naming how many episodes', () => {
    expect(markQuestion(series, true)).toBe('Mark all 24 episodes of Amber Lighthouse watched? y/n');
    expect(markQuestion(season, false)).toBe('Mark all 8 episodes of Amber Lighthouse · Season 1 unwatched? y/n');
    expect(markQuestion({ ...season, recursiveItemCount: 1 }, true)).toBe('Mark the 1 episode of Amber Lighthouse · Season 1 watched? y/n');
    // and a season with none asks nothing
    expect(markNothing({ ...season, recursiveItemCount: 0 })).toBe('Amber Lighthouse · Season 1 has no episodes to mark.');
    expect(markNothing(season)).toBeUndefined();
  });

  it('shows every episode of a marked series marked, until one of them is changed again', () => {
    const state = new LocalWatchState();
    state.set('e', { played: false, positionTicks: 5 });
    state.markFolder('s', true);
    expect(state.of(episode)).toEqual({ played: true, positionTicks: 0 });
    expect(state.of(season)).toEqual({ played: true, positionTicks: 0 });
    state.set('e', { played: false, positionTicks: 0 });
    expect(state.of(episode)).toEqual({ played: false, positionTicks: 0 });
    expect(state.of({ id: 'other' })).toBeUndefined();
  });
});

describe('words', () => {
  it('names the library, series and season in the trail, and shortens it from the middle', () => {
    const screens = [{ kind: 'home' as const }, { kind: 'library' as const, parent: item({ name: 'Shows', isFolder: true }) }, { kind: 'seasons' as const, series }, { kind: 'episodes' as const, seriesId: 's', season }];
    const withIds = screens.map((screen, i) => ({ ...screen, id: String(i) }));
    expect(breadcrumb(withIds, 80)).toBe('Home › Shows › Amber Lighthouse › Season 1');
    expect(breadcrumb(withIds, 30)).toBe('Home › … › Season 1');
  });
});
