// What the user sees: on a Plex server that counts a mark once (a watched item stays at its count
// when marked watched again: the demo's `scrobble: 'once'` switch, which reelterm must cope
// with), they re-watch a film they had watched before, offline, to the end. When the server is
// reachable again the update never leaves the queue: the footer says "1 pending" for ever,
// `reelterm sync` times out, quitting waits, and reelterm keeps sending `/:/scrobble` (every
// retry one more) at the backoff's pace, for good.
// Expected: the update is delivered once the server holds it watched (there is nothing more a
// client can do), or at worst is set aside with a reason; never an endless retry loop.
// Suspected: src/servers/plex/deliver.ts `countOnce()`: after the scrobble it requires
// `after.viewCount > now.viewCount` and otherwise throws a *retryable* "the server did not count
// the play", even when the answer was the server's own 200 and the item is watched.
import { describe, expect, it } from 'vitest';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt, SECOND } from '../attack17/sync-helpers.js';

const demo = usePlexDemo({ rules: { scrobble: 'once' } });
const RUNTIME = 600 * SECOND;

describe('an offline re-watch on a server whose scrobble counts once', () => {
  it('is delivered (the film is watched) instead of being retried for ever', async () => {
    const film = demo().library.first('movie');
    const yesterday = Math.floor((Date.now() - 86_400_000) / 1000);
    demo().state.set(film.ratingKey, { viewCount: 1, lastViewedAt: yesterday });
    const { outbox } = await outboxAt(demo());
    const at = new Date(Date.now() - 2 * 3600_000);
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'rewatch-once', playsBefore: 1 };
    const seen = { positionTicks: 0, played: true, playCount: 1, lastPlayedDate: new Date(yesterday * 1000).toISOString(), at: at.getTime() - 60_000 };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'started', at, seen, title: film.title, payload: { ...payload, positionTicks: 0 } });
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: new Date(at.getTime() + 590_000), seen, title: film.title, payload: { ...payload, positionTicks: 590 * SECOND, played: true } });
    const settled = await outbox.settle({ timeoutMs: 6000 });
    const scrobbles = demo().journal.filter((entry) => entry.path === '/:/scrobble').length;
    expect({ settled: settled.settled, pending: outbox.pendingOps().map((op) => op.lastError), scrobbles }).toMatchObject({ settled: true, pending: [] });
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });
});
