import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt, SECOND } from './sync-helpers.js';

// DEFECT: a film watched to the end while the server could not be reached (laptop on a train,
// server rebooting) is shown as watched in reelterm, but once the queue is delivered the Plex
// server still has it unwatched (viewCount absent): the late reports go as lone offline
// `stopped` timelines, which by Plex's rules never mark anything watched (no crossing inside one
// live session), and no `/:/scrobble` follows. Suspected cause: src/servers/plex/deliver.ts:43-50
// sends a late `stopped` op (payload.played true) as a timeline only and never scrobbles;
// src/servers/plex/index.ts:31 plexResumeState tells the app "played" at 90 %. PLEX.md §0.5
// ("one late `stopped` report at 95 % does not mark the item watched; an offline-finished
// playback needs an explicit (guarded) /:/scrobble") and §5.4 "Offline-finished playback".

const demo = usePlexDemo();

describe('a film finished while the Plex server was unreachable', () => {
  it('is watched on the server once the queued updates are delivered', async () => {
    const film = demo().library.first('movie');
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox, server, clock } = await outboxAt(demo(), url);
    await proxy.down();
    const payload = { runtimeTicks: 600 * SECOND, playSessionId: 'train-ride' };
    // The sitting, as the playback session queues it: a start, progress, and a stop at 95 % (played)
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'started', title: film.title, payload: { ...payload, positionTicks: 0 } });
    clock.shift = 300_000;
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 300 * SECOND, urgent: true } });
    clock.shift = 570_000;
    const decided = server.rules.resumeState(570 * SECOND, 600 * SECOND);
    expect(decided.played).toBe(true);
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', title: film.title, payload: { ...payload, positionTicks: 570 * SECOND, played: true } });
    // An hour later the server is back
    clock.shift = 3600_000 + 570_000;
    await proxy.up();
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 15_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewCount ?? 0).toBe(1);
  });
});
