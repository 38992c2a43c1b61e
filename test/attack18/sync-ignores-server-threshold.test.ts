// What the user sees: their Plex server counts a film watched at 80 % (Settings → Library →
// "Video played threshold", read by reelterm at /:/prefs). They watch a film offline to 85 %
// and stop; reelterm shows it watched (it read the 80 %). Later `reelterm sync` (or the drain
// that starts with the app, before any browsing) delivers the stop, and the server ends with
// nothing: not watched, no resume point (an offline report past the server's completion point
// stores nothing, PLEX.md §0.5). The update is reported delivered; the watch is lost.
// Expected: a watch that reelterm itself counted as watched (the op says `played: true`,
// decided with the server's own threshold) is counted once on the server, whichever process
// delivers it.
// Suspected: src/servers/plex/index.ts: `playedPercent` is only read by `warmUp()`,
// `userViews()` and `preparePlay()`; src/commands/run-sync.ts (`reelterm sync`) never calls any,
// and src/commands/app.ts opens the outbox (which starts draining) before `warmUp()`. So
// PlexDeliver's `reached` (src/servers/plex/deliver.ts) uses the 90 % default, ignores the op's
// own `played` decision, and `replay()` sends no guarded scrobble.
import { describe, expect, it } from 'vitest';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt, SECOND } from '../attack17/sync-helpers.js';

const demo = usePlexDemo({ threshold: 80 });
const RUNTIME = 600 * SECOND;

describe('`reelterm sync` delivering a film watched offline past the server\'s 80 % threshold', () => {
  it('counts the watch on the server', async () => {
    const film = demo().library.first('movie');
    // A fresh process (as `reelterm sync` builds it): nothing browsed, nothing played here
    const { outbox } = await outboxAt(demo());
    const at = new Date(Date.now() - 3 * 3600_000);
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'plane-1', playsBefore: 0 };
    // What the earlier run queued: the start, and the stop at 85 %, which it decided was watched (80 %)
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'started', at, title: film.title, payload: { ...payload, positionTicks: 0 } });
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: new Date(at.getTime() + 510_000), title: film.title, payload: { ...payload, positionTicks: 510 * SECOND, played: true } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });
});
