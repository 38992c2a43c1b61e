// What the user sees: a series with its first two episodes watched (once each). They press `w` on
// the series to mark the rest watched. On the Plex server the first two episodes now say
// "played 2 times": reelterm sent one `/:/scrobble` on the series, which Plex applies to every
// episode below it and which adds a play on every call (PLEX.md §0.2, §5.2 "recursive").
// Expected (issue 18: "viewCount raised exactly once per watch the user made"): marking a
// series watched leaves the episodes already watched as they were and counts one play for each
// of the others.
// Suspected: src/servers/plex/deliver.ts `countOnce()` for a `played` op on a folder: it checks
// the folder's own state (`client.ts watchStates`: "watched when every episode is") and then
// scrobbles the folder, rather than scrobbling only the episodes not yet watched.
import { describe, expect, it } from 'vitest';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt } from '../attack17/sync-helpers.js';

const demo = usePlexDemo();

describe('`w` on a series some of whose episodes are already watched', () => {
  it('leaves the watched episodes at one play and counts one for each of the others', async () => {
    const show = demo().library.first('show');
    const episodes = demo().library.leaves(show);
    const lastWeek = Math.floor((Date.now() - 7 * 86_400_000) / 1000);
    for (const episode of episodes.slice(0, 2)) demo().state.set(episode.ratingKey, { viewCount: 1, lastViewedAt: lastWeek });
    const { outbox } = await outboxAt(demo());
    const handle = await outbox.enqueue({ itemId: show.ratingKey, kind: 'played', title: show.title });
    expect(await handle.outcome).toBe('delivered');
    expect(episodes.map((episode) => demo().state.watch(episode.ratingKey).viewCount ?? 0)).toEqual(episodes.map(() => 1));
  });
});
