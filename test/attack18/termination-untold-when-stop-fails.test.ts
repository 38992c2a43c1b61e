// What the user sees: the server's admin stops their stream from the Plex dashboard ("Admin
// terminated playback with reason: …"). The reply that says so arrives, but the one final
// `stopped` reelterm then sends is cut off (a Wi-Fi blip). mpv keeps playing, nothing on the
// now-playing screen says the server ended it, and reelterm goes on quietly sending `stopped`
// reports for a film the user is still watching; the admin's message is never shown.
// Expected (issue 18 / PLEX.md §5.1): the viewer is told as soon as the termination is known
// (the player ends, "the server ended it: …"), whatever becomes of the final stop, which is
// simply retried.
// Suspected: src/servers/plex/deliver.ts `terminated()`: `this.ended.add(...)` happens before
// `await this.report(op, 'stopped', …)` and the listeners are called only after it; when that
// stop throws, the retry takes the `ended.has(playback)` path (a `stopped` report, which never
// reaches `terminated()`), so `onPlaybackEnded` listeners are never called.
import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt, SECOND } from '../attack17/sync-helpers.js';

const demo = usePlexDemo();
const RUNTIME = 600 * SECOND;

describe('an admin termination whose final stop is cut off', () => {
  it('still tells the viewer that the server ended the playback', async () => {
    const film = demo().library.first('movie');
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox, server } = await outboxAt(demo(), url);
    const told: string[] = [];
    server.deliver.onPlaybackEnded?.((ended) => told.push(ended.text));
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'kicked-blip' };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'started', title: film.title, payload: { ...payload, positionTicks: 90 * SECOND } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    demo().state.terminate({ code: 2006, text: 'Admin terminated playback with reason: maintenance tonight' });
    // Only the answer to the final stop is lost
    proxy.only = /^POST \/:\/timeline\?[^ ]*state=stopped/;
    proxy.mode = 'reset';
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 100 * SECOND, urgent: true } });
    await eventually(() => expect(proxy.resets).toBeGreaterThan(0), 10_000);
    proxy.mode = 'pass';
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    // The next reports (mpv still plays: nobody stopped it) are delivered too
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 110 * SECOND, urgent: true } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(told).toEqual(['Admin terminated playback with reason: maintenance tonight']);
  });
});
