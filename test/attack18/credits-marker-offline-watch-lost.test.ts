// What the user sees: their Plex server counts an episode watched at the start of its credits
// (Plex's default "Video play completion behaviour": the earliest of the played threshold and the
// first credits marker, PLEX.md §0.6; here the admin set the threshold to 97 %, so the credits
// at 9:30 of 10:00 decide). They watch an episode on a train (server unreachable) into the
// credits, to 9:35, and stop. Back home the update is delivered; the server ends with nothing:
// not watched, and not even the resume point (a lone report past the completion point stores
// nothing, PLEX.md §0.5 / §7.2.3). Played live, the same viewing would have counted the episode.
// Expected: the viewing leaves what the server's own rule makes of it: watched (one play), or
// at the very least the resume point; never nothing.
// Suspected: src/servers/plex/index.ts `plexResumeState` / the `reached` option given to
// PlexDeliver knows only the percentage threshold, not the credits marker (behaviour 3), so
// src/servers/plex/deliver.ts `replay()` sends only an offline `stopped` at 9:35, which the
// server ignores, and no guarded scrobble.
import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt, SECOND } from '../attack17/sync-helpers.js';

const demo = usePlexDemo({ threshold: 97 });
const RUNTIME = 600 * SECOND;

describe('an episode watched offline into its credits (completion at the credits marker)', () => {
  it('is counted watched on the server once delivered (or at least keeps its resume point)', async () => {
    const episode = demo().library.first('episode');
    const { outbox, server } = await outboxAt(demo());
    // reelterm knows the server's threshold (read at the first browse, as the app does)
    server.warmUp?.();
    await eventually(() => expect(server.rules.resumeState(575 * SECOND, RUNTIME).played).toBeUndefined(), 10_000);
    const at = new Date(Date.now() - 2 * 3600_000);
    // (as the playback session queues them: the credits' start comes with the episode's markers)
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'train-1', playsBefore: 0, creditsTicks: 570 * SECOND };
    await outbox.enqueue({ itemId: episode.ratingKey, kind: 'started', at, title: episode.title, payload: { ...payload, positionTicks: 0 } });
    await outbox.enqueue({ itemId: episode.ratingKey, kind: 'stopped', at: new Date(at.getTime() + 575_000), title: episode.title, payload: { ...payload, positionTicks: 575 * SECOND, played: false } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    const state = demo().state.watch(episode.ratingKey);
    // Live, the crossing at the credits (9:30) would have counted it: viewCount 1.
    expect(state.viewCount === 1 || state.viewOffset === 575_000, `server state ${JSON.stringify(state)}`).toBe(true);
  });
});
