import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { op, outboxAt, plexAt, SECOND } from '../attack17/sync-helpers.js';

// Issue 18's replay rules, each against the demo Plex server (pms-1.43 rules: a crossing inside
// one live session counts a play, scrobble counts one on every call, an offline report older
// than the item's last view is discarded) through a real outbox on a real queue file.

const demo = usePlexDemo({ library: { films: 40 } });
const RUNTIME = 600 * SECOND;
const TWO_HOURS = 2 * 3600_000;

/** A film nobody has touched yet in this file. */
function freshFilm() {
  const film = demo().library.first('movie', (item) => {
    const state = demo().state.watch(item.ratingKey);
    return state.viewCount === undefined && state.viewOffset === undefined && state.lastViewedAt === undefined;
  });
  // Taken: the next call picks another one.
  demo().state.set(film.ratingKey, { viewOffset: undefined }, undefined);
  return film;
}

const timelines = (ratingKey: string) => demo().journal.filter((entry) => entry.path === '/:/timeline' && entry.query.ratingKey === ratingKey);
const scrobbles = (ratingKey: string) => demo().journal.filter((entry) => entry.path === '/:/scrobble' && entry.query.key === ratingKey);

describe('a position that waited (the server was unreachable for two hours)', () => {
  it('goes as one stopped report, offline=1, dated with the user\'s time, and opens no session', async () => {
    const film = freshFilm();
    const { outbox } = await outboxAt(demo());
    const at = new Date(Date.now() - TWO_HOURS);
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', at, title: film.title, payload: { positionTicks: 300 * SECOND, runtimeTicks: RUNTIME, playSessionId: 'late-1' } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    const sent = timelines(film.ratingKey);
    expect(sent.map((entry) => entry.query.state)).toEqual(['stopped']);
    expect(sent[0]!.query.offline).toBe('1');
    expect(Number(sent[0]!.query.updated)).toBe(Math.floor(at.getTime() / 1000));
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(300_000);
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([]);
  });

  it('is not written when another device watched the film after it (kept aside as changed elsewhere)', async () => {
    const film = freshFilm();
    const { outbox } = await outboxAt(demo());
    // reelterm saw the film untouched; then a phone played it to 8:20 after the user's update was made
    const seen = { positionTicks: 0, played: false, playCount: 0, at: Date.now() - TWO_HOURS - 60_000 };
    demo().state.set(film.ratingKey, { viewOffset: 500_000, lastViewedAt: Math.floor((Date.now() - 3600_000) / 1000) });
    const handle = await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: new Date(Date.now() - TWO_HOURS), seen, title: film.title, payload: { positionTicks: 120 * SECOND, runtimeTicks: RUNTIME } });
    expect(await handle.outcome).toBe('superseded');
    expect(timelines(film.ratingKey)).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(500_000);
    expect(outbox.deadLetters()).toMatchObject([{ reason: 'superseded', server: { positionTicks: 500 * SECOND, played: false } }]);
  });

  it('is written over what reelterm itself left there before (its own live report is not another device\'s)', async () => {
    const film = freshFilm();
    const { outbox, clock } = await outboxAt(demo());
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const viaProxy = await outboxAt(demo(), url, clock);
    await outbox.close();
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'own-1' };
    await viaProxy.outbox.enqueue({ itemId: film.ratingKey, kind: 'started', title: film.title, payload: { ...payload, positionTicks: 0 } });
    await viaProxy.outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 200 * SECOND, urgent: true } });
    expect((await viaProxy.outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(200_000);
    // The network goes; the viewer goes on to 6:40 and stops; it comes back ten minutes later
    await proxy.down();
    clock.shift = 5 * 60_000;
    await viaProxy.outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', title: film.title, payload: { ...payload, positionTicks: 400 * SECOND } });
    clock.shift = 15 * 60_000;
    await proxy.up();
    viaProxy.outbox.retryNow();
    expect((await viaProxy.outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(viaProxy.outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(400_000);
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([]);
  });
});

describe('a watch finished while the server could not hear it', () => {
  it('counts one play when the live session had already crossed the threshold before the network went', async () => {
    const film = freshFilm();
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox, clock } = await outboxAt(demo(), url);
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'crossed-1', playsBefore: 0 };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'started', title: film.title, payload: { ...payload, positionTicks: 0 } });
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 300 * SECOND, urgent: true } });
    // (settled between reports, so the second does not replace the first in the queue)
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { ...payload, positionTicks: 550 * SECOND, urgent: true } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    // The live report at 91.7 % crossed the threshold: the server counted the watch
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    await proxy.down();
    clock.shift = 60_000;
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', title: film.title, payload: { ...payload, positionTicks: 590 * SECOND, played: true } });
    clock.shift = 30 * 60_000;
    await proxy.up();
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    expect(scrobbles(film.ratingKey)).toEqual([]);
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([]);
  });

  it('counts one more play on a film watched before (a re-watch), and none for a re-watch left half-way', async () => {
    const film = freshFilm();
    demo().state.set(film.ratingKey, { viewCount: 1, lastViewedAt: Math.floor((Date.now() - 86_400_000) / 1000) });
    const { outbox } = await outboxAt(demo());
    const seen = { positionTicks: 0, played: true, playCount: 1, lastPlayedDate: new Date(Math.floor((Date.now() - 86_400_000) / 1000) * 1000).toISOString(), at: Date.now() - TWO_HOURS - 60_000 };
    const finished = { positionTicks: 580 * SECOND, runtimeTicks: RUNTIME, playSessionId: 'rewatch-1', playsBefore: 1, played: true };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: new Date(Date.now() - TWO_HOURS), seen, title: film.title, payload: finished });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(2);
    // The next evening it is watched again, to the middle only (played stays true in reelterm's view: it was watched)
    const half = { positionTicks: 300 * SECOND, runtimeTicks: RUNTIME, playSessionId: 'rewatch-2', playsBefore: 2, played: true };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: new Date(Date.now() - 60 * 60_000), title: film.title, payload: half });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey)).toMatchObject({ viewCount: 2, viewOffset: 300_000 });
  });

  it('is counted once even when reelterm is restarted after the scrobble landed and before its answer came', async () => {
    const film = freshFilm();
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const first = await outboxAt(demo(), url);
    proxy.only = /^PUT \/:\/scrobble/;
    proxy.mode = 'reset';
    await first.outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: new Date(Date.now() - TWO_HOURS), title: film.title, payload: { positionTicks: 590 * SECOND, runtimeTicks: RUNTIME, played: true, playsBefore: 0 } });
    await eventually(() => expect(proxy.resets).toBe(1), 10_000);
    // The network goes with it (the retry cannot land before the kill)
    proxy.only = undefined;
    proxy.mode = 'refuse';
    // (under load the retry may have found the play counted before the network went: nothing left then)
    await eventually(() => expect(first.outbox.pendingOps().every((op) => op.unsure === true)).toBe(true), 10_000);
    // Killed: a new reelterm (a new deliverer, nothing in memory) opens the same queue file
    await first.outbox.close();
    // (whatever the retry found before the network went: the play was counted once)
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    proxy.mode = 'pass';
    const { openOutbox } = await import('../../src/sync/index.js');
    const { join } = await import('node:path');
    const { server } = plexAt(demo(), url);
    const { outbox } = await openOutbox({
      queueFile: join(first.dir, 'queue.json'),
      lockFile: join(first.dir, 'queue.lock'),
      deliver: server.deliver,
      account: { kind: server.kind, server: server.url, userId: String(demo().owner.id), userName: demo().owner.username },
      backoff: { baseMs: 50, capMs: 200 },
    });
    onTestFinished(() => outbox.close());
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    expect(proxy.resets).toBe(1);
  });
});

describe('a late "watched" or "unwatched" mark', () => {
  it('does not scrobble when another device already counted the film', async () => {
    const film = freshFilm();
    demo().state.set(film.ratingKey, { viewCount: 1, lastViewedAt: Math.floor((Date.now() - 3600_000) / 1000) });
    const { outbox } = await outboxAt(demo());
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'played', at: new Date(Date.now() - TWO_HOURS), title: film.title, payload: { playsBefore: 0 } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(scrobbles(film.ratingKey)).toEqual([]);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });

  it('unscrobbles, and again harmlessly when the first answer was lost', async () => {
    const film = freshFilm();
    demo().state.set(film.ratingKey, { viewCount: 3, lastViewedAt: Math.floor((Date.now() - 3 * 3600_000) / 1000) });
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { outbox } = await outboxAt(demo(), url);
    proxy.only = /^PUT \/:\/unscrobble/;
    proxy.mode = 'reset';
    const seen = { positionTicks: 0, played: true, playCount: 3, lastPlayedDate: new Date(Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000).toISOString(), at: Date.now() - TWO_HOURS - 60_000 };
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'unplayed', at: new Date(Date.now() - TWO_HOURS), seen, title: film.title });
    await eventually(() => expect(proxy.resets).toBeGreaterThan(0), 10_000);
    proxy.mode = 'pass';
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo().state.watch(film.ratingKey)).toEqual({});
  });
});

describe('answers that are not acknowledgements', () => {
  it('a page, or an empty 200 (a middlebox), in answer to a timeline report leaves the report queued', async () => {
    const film = freshFilm();
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { server } = plexAt(demo(), url);
    const report = op({ itemId: film.ratingKey, kind: 'progress', payload: { positionTicks: 120 * SECOND, runtimeTicks: RUNTIME, playSessionId: 'mb-1' } });
    const send = () => server.deliver.send(report, { signal: new AbortController().signal, now: Date.now() });
    demo().faults.malformed(1, 'html');
    await expect(send()).rejects.toMatchObject({ kind: 'retryable' });
    proxy.mode = 'empty';
    await expect(send()).rejects.toMatchObject({ kind: 'retryable' });
    expect(timelines(film.ratingKey).filter((entry) => entry.status === 200 && entry.fault === undefined)).toEqual([]);
    proxy.mode = 'pass';
    await expect(send()).resolves.toBe('delivered');
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(120_000);
  });

  it('an empty 200 to a scrobble that never reached the server is not taken as done: the play count tells', async () => {
    const film = freshFilm();
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { server } = plexAt(demo(), url);
    const mark = op({ itemId: film.ratingKey, kind: 'played', payload: { playsBefore: 0 } });
    const send = () => server.deliver.send(mark, { signal: new AbortController().signal, now: Date.now() });
    proxy.only = /^PUT \/:\/scrobble/;
    proxy.mode = 'empty';
    await expect(send()).rejects.toMatchObject({ kind: 'retryable', message: expect.stringContaining('did not count') });
    expect(demo().state.watch(film.ratingKey).viewCount).toBeUndefined();
    proxy.mode = 'pass';
    await expect(send()).resolves.toBe('delivered');
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });

  it('an empty 200 to an unmark that never reached the server leaves it queued; the server\'s own answer is taken', async () => {
    const film = freshFilm();
    demo().state.set(film.ratingKey, { viewCount: 2, lastViewedAt: Math.floor((Date.now() - 3600_000) / 1000) });
    const { proxy, url } = await FaultProxy.start(demo().url);
    onTestFinished(() => proxy.close());
    const { server } = plexAt(demo(), url);
    const unmark = op({ itemId: film.ratingKey, kind: 'unplayed' });
    const send = () => server.deliver.send(unmark, { signal: new AbortController().signal, now: Date.now() });
    proxy.only = /^PUT \/:\/unscrobble/;
    proxy.mode = 'empty';
    await expect(send()).rejects.toMatchObject({ kind: 'retryable', message: expect.stringContaining('did not clear') });
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(2);
    proxy.mode = 'pass';
    await expect(send()).resolves.toBe('delivered');
    expect(demo().state.watch(film.ratingKey)).toEqual({});
  });

  it('a time past the duration is clamped, not refused', async () => {
    const film = freshFilm();
    const duration = film.duration!;
    const { outbox } = await outboxAt(demo());
    await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { positionTicks: (duration + 5000) * 10_000, runtimeTicks: duration * 10_000, playSessionId: 'clamp-1' } });
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(Number(timelines(film.ratingKey)[0]!.query.time)).toBe(duration);
  });

  it('503 Maintenance is retried until the server is back; an unknown item is a dead letter; 401 waits for a sign-in', async () => {
    const film = freshFilm();
    const { outbox, client } = await outboxAt(demo());
    demo().faults.maintenance({ times: 3, retryAfter: 0 });
    const handle = await outbox.enqueue({ itemId: film.ratingKey, kind: 'played', at: new Date(Date.now() - TWO_HOURS), title: film.title, payload: { playsBefore: 0 } });
    expect(await handle.outcome).toBe('delivered');
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
    const gone = await outbox.enqueue({ itemId: '987654321', kind: 'played', title: 'Deleted', payload: { playsBefore: 0 } });
    expect(await gone.outcome).toBe('dead-lettered');
    // A revoked token: nothing is lost, the update waits; signed in again, it goes
    const other = freshFilm();
    demo().faults.revokeTokens();
    await outbox.enqueue({ itemId: other.ratingKey, kind: 'played', title: other.title, payload: { playsBefore: 0 } });
    await eventually(() => expect(outbox.status().state).toBe('auth'), 10_000);
    client.setToken(demo().owner.serverToken);
    outbox.resumeAfterSignIn();
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(demo().state.watch(other.ratingKey).viewCount).toBe(1);
  });
});

describe('a playback the server\'s admin terminated', () => {
  it('tells the viewer once, and no report after it opens a session', async () => {
    const film = freshFilm();
    const { server } = plexAt(demo());
    const told: string[] = [];
    server.deliver.onPlaybackEnded?.((ended) => told.push(ended.text));
    const context = () => ({ signal: new AbortController().signal, now: Date.now() });
    const payload = { runtimeTicks: RUNTIME, playSessionId: 'kicked-2' };
    await server.deliver.send(op({ itemId: film.ratingKey, kind: 'started', payload: { ...payload, positionTicks: 90 * SECOND } }), context());
    demo().state.terminate({ code: 2006, text: 'Admin terminated playback with reason: maintenance tonight' });
    await server.deliver.send(op({ itemId: film.ratingKey, kind: 'progress', payload: { ...payload, positionTicks: 100 * SECOND } }), context());
    await server.deliver.send(op({ itemId: film.ratingKey, kind: 'progress', payload: { ...payload, positionTicks: 110 * SECOND, paused: true } }), context());
    await server.deliver.send(op({ itemId: film.ratingKey, kind: 'stopped', payload: { ...payload, positionTicks: 120 * SECOND } }), context());
    expect(told).toEqual(['Admin terminated playback with reason: maintenance tonight']);
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([]);
    expect(timelines(film.ratingKey).map((entry) => entry.query.state)).toEqual(['playing', 'playing', 'stopped', 'stopped', 'stopped']);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(120_000);
  });
});
