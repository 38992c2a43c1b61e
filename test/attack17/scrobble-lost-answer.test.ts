import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt } from './sync-helpers.js';

// DEFECT (fixed in issue 18): the user marks a film watched; the server does it but the answer is
// lost (Wi-Fi drops mid-answer); reelterm sent `/:/scrobble` again and the server then said the
// film was watched twice (viewCount 2, "Played 2 times"). PLEX.md §0.2: "/:/scrobble is not
// idempotent … a replayed 'played' op must first read viewCount and skip if it already rose";
// §5.4 table row "played". The deliverer now reads the count before every scrobble.

const demo = usePlexDemo();

describe('marking a film watched when the answer to /:/scrobble is lost', () => {
  it('counts one view on the server', async () => {
    const film = demo().library.first('movie');
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox } = await outboxAt(demo(), url);
    // Only the scrobble's answer is cut off: the server acts on it, reelterm never hears so.
    proxy.only = /^PUT \/:\/scrobble/;
    proxy.mode = 'reset';
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'played', title: film.title, payload: { playsBefore: 0 } });
    await eventually(() => expect(proxy.resets).toBeGreaterThan(0), 10_000);
    expect((await outbox.settle({ timeoutMs: 15_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    // The retry read the count and sent no second scrobble (the proxy still cuts any off).
    expect(proxy.resets).toBe(1);
  });

  it('counts one view when the mark was queued by an older reelterm (no play count recorded)', async () => {
    const film = demo().library.first('movie', (item) => (demo().state.watch(item.ratingKey).viewCount ?? 0) === 0);
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox } = await outboxAt(demo(), url);
    proxy.only = /^PUT \/:\/scrobble/;
    proxy.mode = 'reset';
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'played', title: film.title });
    await eventually(() => expect(proxy.resets).toBeGreaterThan(0), 10_000);
    expect((await outbox.settle({ timeoutMs: 15_000 })).settled).toBe(true);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    expect(proxy.resets).toBe(1);
  });
});
