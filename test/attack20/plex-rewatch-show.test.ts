import { describe, expect, it } from 'vitest';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { op, plexAt } from '../attack17/sync-helpers.js';

// Found while attacking 666a8e0 (no watch counted twice): a show unmarked and marked again while
// the server could not be reached (one queued watched mark that replaced the unwatched one)
// starts each episode's count over, as the two marks would. A show's own count says only whether
// all of it is watched, so one with some episodes watched was never unmarked first, and those
// episodes were counted once more.

const demo = usePlexDemo({ library: { films: 2, shows: 1, seasonsPerShow: 1, episodesPerSeason: 4 } });

describe('a half-watched show marked unwatched, then watched again, before either reached the server', () => {
  it('has each episode counted once, the one watched before too', async () => {
    const show = demo().library.first('show');
    const episodes = demo().library.leaves(show);
    demo().state.set(episodes[0]!.ratingKey, { viewCount: 1, lastViewedAt: Math.floor((Date.now() - 3600_000) / 1000) });
    const { server } = plexAt(demo());
    const mark = op({ itemId: show.ratingKey, kind: 'played', title: show.title, payload: { unmarkedFirst: true } });

    await expect(server.deliver.send(mark, { signal: new AbortController().signal, now: Date.now() })).resolves.toBe('delivered');

    expect(episodes.map((episode) => demo().state.watch(episode.ratingKey).viewCount)).toEqual(episodes.map(() => 1));
  });
});
