// What the user sees: a film they watched once and are re-watching (Plex: played once, resume
// point at 5:00). Offline, they press `w` (unwatched) and then `w` again (watched) — a slip of
// the finger, undone. Back online, Plex says the film was played twice: reelterm queued the two
// marks as one "watched" mark and sent `/:/scrobble`, which adds a play (PLEX.md §0.2). Had the
// network been up, the two marks would have left one play (unscrobble, then scrobble).
// Expected: the same end state as the marks delivered one by one (watched, one play, no resume
// point); never a play the user did not make, depending only on whether the network was up.
// Suspected: src/sync/queue-state.ts `replaces()` (a `played` mark replaces a queued
// `unplayed` one: `coalesceKey` 'mark') together with src/servers/plex/deliver.ts
// `alreadyThere()` for `played` (a resume point makes it scrobble): the folded mark lost the
// unscrobble that scrobble's count relies on.
import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt } from '../attack17/sync-helpers.js';

const demo = usePlexDemo();

describe('unwatched then watched again, while offline, on a film played once and resumed', () => {
  it('leaves it watched with one play, as the two marks delivered one by one would', async () => {
    const film = demo().library.first('movie');
    demo().state.set(film.ratingKey, { viewCount: 1, viewOffset: 300_000, lastViewedAt: Math.floor((Date.now() - 86_400_000) / 1000) });
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox } = await outboxAt(demo(), url);
    await proxy.down();
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'unplayed', title: film.title });
    // (offline mode only probes: the second mark cannot race a send of the first)
    await eventually(() => expect(outbox.status().state).toBe('offline'), 10_000);
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'played', title: film.title });
    await proxy.up();
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(demo().state.watch(film.ratingKey)).toMatchObject({ viewCount: 1 });
    expect(demo().state.watch(film.ratingKey).viewOffset).toBeUndefined();
  });
});
