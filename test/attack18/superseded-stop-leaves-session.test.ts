// What the user sees: they watch a film in reelterm (the Plex dashboard shows "Now Playing"), the
// network drops, meanwhile someone on the phone (same account) plays the same film; the user
// quits reelterm's player. When the network is back the stop is rightly kept aside as "changed
// elsewhere", but reelterm's Now Playing row stays on the server for good (a phantom session,
// PLEX.md §0.8): the stopped report that would close it is never sent.
// Expected: a late update never writes over the other device's state, and still no session of
// reelterm's is left open (issue 18: "no phantom Now Playing session left"); a stop with
// offline=1 and an old `updated` changes nothing on the server but closes the session.
// Suspected: src/servers/plex/deliver.ts `replay()` returns `{ superseded }` before the
// `stopped` report (only the `done` path sends it "to close the playback's session").
import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt, SECOND } from '../attack17/sync-helpers.js';

const demo = usePlexDemo();
const RUNTIME = 600 * SECOND;

describe('a live playback whose stop is superseded by another device', () => {
  it('leaves no Now Playing session of reelterm open on the server', async () => {
    const film = demo().library.first('movie');
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox, clock } = await outboxAt(demo(), url);
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'phantom-1', playsBefore: 0 };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'started', title: film.title, payload: { ...payload, positionTicks: 0 } });
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 200 * SECOND, urgent: true } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    const mine = () => demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey);
    expect(mine()).toHaveLength(1);
    // The network goes; ten minutes later a phone plays the film to 8:20
    proxy.mode = 'refuse';
    clock.shift = 5 * 60_000;
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', title: film.title, payload: { ...payload, positionTicks: 300 * SECOND } });
    // (the stop has met the dead network)
    await eventually(() => expect(outbox.pendingOps().find((op) => op.kind === 'stopped')?.lastError).toBeTruthy(), 10_000);
    demo().state.set(film.ratingKey, { viewOffset: 500_000, lastViewedAt: Math.floor((Date.now() + 10 * 60_000) / 1000) });
    // Fifteen minutes pass, for the server's clock as for reelterm's
    demo().faults.clock(15 * 60_000);
    clock.shift = 15 * 60_000;
    proxy.mode = 'pass';
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    // The phone's position is kept (superseded, shown in the sync screen)…
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(500_000);
    expect(outbox.deadLetters()).toMatchObject([{ reason: 'superseded' }]);
    // …and reelterm's own playback is closed on the server
    expect(mine()).toEqual([]);
  });
});
