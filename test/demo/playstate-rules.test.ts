import { describe, expect, it } from 'vitest';
import type { DemoItem } from '../../src/servers/jellyfin/demo/library.js';
import { applyPlaybackStart, updatePlayState } from '../../src/servers/jellyfin/demo/playstate.js';
import type { StoredUserData } from '../../src/servers/jellyfin/demo/user-data.js';

const SECOND = 10_000_000;

function video(seconds: number | undefined): DemoItem {
  return { id: 'a'.repeat(32), type: 'Movie', name: 'x', sortName: 'x', isFolder: false, dateCreated: new Date(0), runTimeTicks: seconds === undefined ? undefined : seconds * SECOND };
}

function fresh(): StoredUserData {
  return { playbackPositionTicks: 0, playCount: 0, played: false, isFavorite: false };
}

describe('UpdatePlayState', () => {
  it.each([
    // runtime s, position s, stored position s, played
    [600, 20, 0, false],
    [600, 30, 30, false],
    [600, 540, 540, false],
    [600, 541, 0, true],
    [600, 0, 0, false],
    [5, 4.2, 0, true], // under 90 % but within the last second (10.11's tolerance)
    [60, 30, 0, true], // a runtime under MinResumeDurationSeconds (300 s) cannot hold a position
    [299, 100, 0, true],
    [300, 100, 100, false],
  ])('runtime %s s, position %s s → %s s, played %s', (runtime, position, stored, played) => {
    const data = fresh();
    updatePlayState(video(runtime), data, position * SECOND);
    expect([data.playbackPositionTicks / SECOND, data.played]).toEqual([stored, played]);
  });

  it('marks an item without a runtime played', () => {
    const data = fresh();
    updatePlayState(video(undefined), data, 30 * SECOND);
    expect(data).toMatchObject({ played: true, playbackPositionTicks: 0 });
  });

  it('never unsets Played', () => {
    const data = { ...fresh(), played: true };
    updatePlayState(video(600), data, 300 * SECOND);
    expect(data).toMatchObject({ played: true, playbackPositionTicks: 300 * SECOND });
  });
});

describe('OnPlaybackStart', () => {
  it.each([
    ['10.11.11', false],
    ['12.0.0', true],
  ] as const)('on %s leaves Played %s after a start', (version, played) => {
    const data = { ...fresh(), played: true, playCount: 3 };
    const now = new Date('2025-01-01T00:00:00Z');
    applyPlaybackStart(version, data, now);
    expect(data).toMatchObject({ played, playCount: 4, lastPlayedDate: now });
  });
});
