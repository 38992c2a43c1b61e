import { readFile } from 'node:fs/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { Player, livePlayerCount } from '../../src/player/index.js';
import { PlaybackSession } from '../../src/session/playback-session.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

const SECOND = 10_000_000;
const server = useDemoServer();

/** A signed-in client and its outbox (reelterm's, across its playbacks). */
async function syncing(demo: DemoServer, progressIntervalMs = 10_000) {
  const client = await signedInClient(demo, { timeoutMs: 1000 });
  const outbox = await demoOutbox(client, { progressIntervalMs, backoff: { baseMs: 50, capMs: 200 } });
  return { client, outbox };
}

/** One playback of `itemId` in real mpv (no video, no audio), wired to a session and the outbox (a new one unless given). */
async function play(
  demo: DemoServer,
  options: { itemId: string; startSeconds: number; speed: number; progressIntervalMs?: number },
  sync?: Awaited<ReturnType<typeof syncing>>,
) {
  const { client, outbox } = sync ?? (await syncing(demo, options.progressIntervalMs));
  const source = await client.playbackInfo(options.itemId);
  const session = new PlaybackSession({ rules: JELLYFIN_RESUME,
    item: { id: options.itemId, title: 'Test', runtimeTicks: 600 * SECOND, positionTicks: options.startSeconds * SECOND, played: false },
    outbox,
    mediaSourceId: source.mediaSourceId,
    ...(source.playSessionId ? { playSessionId: source.playSessionId } : {}),
  });
  const player = await Player.launch({
    url: client.streamUrl(options.itemId, source.mediaSourceId),
    title: 'Test',
    startSeconds: options.startSeconds,
    httpHeaders: [`Authorization: ${client.authorizationHeader()}`],
    extraArgs: ['--vo=null', '--ao=null', `--speed=${options.speed}`],
  });
  onTestFinished(async () => {
    await player.stop();
  });
  session.start(options.startSeconds);
  player.subscribe((event) => session.handle(event));
  return { client, outbox, session, player };
}

function reports(demo: DemoServer, path: string) {
  return demo.journal.filter((entry) => entry.path === path && entry.status !== undefined && entry.status < 300);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a playback in mpv, synced through the outbox', () => {
  it('plays to the end at speed: start, progress on the cadence, one stop, and the server marks it played', async () => {
    const demo = server();
    const episode = demo.library.first('Episode');
    const started = Date.now();
    const { session, outbox } = await play(demo, { itemId: episode.id, startSeconds: 520, speed: 20, progressIntervalMs: 1000 });
    const view = await session.ended;
    const wallSeconds = (Date.now() - started) / 1000;
    expect(view).toMatchObject({ ended: true, played: true, positionTicks: 0 });
    expect(await session.settle(5000)).toMatchObject({ settled: true });
    expect(outbox.status().pending).toBe(0);
    // The server agrees: played, no resume point, one stop report
    expect(demo.userData('demo', episode.id)).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
    expect(reports(demo, '/Sessions/Playing')).toHaveLength(1);
    expect(reports(demo, '/Sessions/Playing/Stopped')).toHaveLength(1);
    // Progress went out about once per (scaled) cadence, not once per tick
    const progress = reports(demo, '/Sessions/Playing/Progress').length;
    expect(progress).toBeGreaterThanOrEqual(Math.floor(wallSeconds) - 2);
    expect(progress).toBeLessThanOrEqual(Math.ceil(wallSeconds) + 1);
  });

  it('has the stop queued by the time the screen hears the playback ended (a key or a quit right after finds it)', async () => {
    const demo = server();
    const film = demo.library.first('Movie');
    const { session, outbox, player } = await play(demo, { itemId: film.id, startSeconds: 30, speed: 1 });
    await eventually(() => expect(session.view.positionSeconds).toBeGreaterThan(31), 15_000);
    const seen: Array<{ ended: boolean; stopQueued: boolean }> = [];
    session.subscribe((view) => {
      if (view.ended) seen.push({ ended: true, stopQueued: outbox.pendingOps().some((op) => op.itemId === film.id && op.kind === 'stopped') });
    });
    await player.stop();
    await session.ended;
    expect(seen[0]).toEqual({ ended: true, stopQueued: true });
    expect(await session.settle(5000)).toMatchObject({ settled: true });
    expect(reports(demo, '/Sessions/Playing/Stopped')).toHaveLength(1);
  });

  it('resumes at the saved position, and reports pause and seek at once', async () => {
    const demo = server();
    const episode = demo.library.first('Episode', (e) => e.id !== demo.library.first('Episode').id);
    const { session, player } = await play(demo, { itemId: episode.id, startSeconds: 300, speed: 1 });
    // The start report carries the resume point
    await eventually(() => expect(reports(demo, '/Sessions/Playing')).toHaveLength(1));
    const start = reports(demo, '/Sessions/Playing')[0]!.body as { PositionTicks: number };
    expect(Math.abs(start.PositionTicks / SECOND - 300)).toBeLessThan(1);
    await eventually(() => expect(session.view.positionSeconds).toBeGreaterThan(300));
    // When the viewer pauses, the server hears at once (not at the next 10 s slot)
    demo.clearJournal();
    await player.pause();
    await eventually(() => expect(reports(demo, '/Sessions/Playing/Progress').some((r) => (r.body as { IsPaused?: boolean }).IsPaused === true)).toBe(true), 5000);
    // And a seek to 400 s too
    await player.seek(400, 'absolute');
    await eventually(() => expect(reports(demo, '/Sessions/Playing/Progress').some((r) => Math.abs((r.body as { PositionTicks: number }).PositionTicks / SECOND - 400) < 2)).toBe(true), 5000);
    await player.stop();
    await session.ended;
    expect(await session.settle(5000)).toMatchObject({ settled: true });
    expect(Math.round(demo.userData('demo', episode.id).PlaybackPositionTicks! / SECOND)).toBe(400);
  });

  it('keeps playing while the server is offline, then lands exactly the last position, once', async () => {
    const demo = server();
    const film = demo.library.first('Movie');
    const { session, player, outbox } = await play(demo, { itemId: film.id, startSeconds: 100, speed: 4, progressIntervalMs: 500 });
    await eventually(() => expect(session.view.positionSeconds).toBeGreaterThan(101));
    // When the server goes away mid-film
    await demo.faults.offline();
    const before = session.view.positionSeconds;
    await sleep(1500);
    // Then playback goes on, and the updates wait
    expect(session.view.positionSeconds).toBeGreaterThan(before + 2);
    await player.seek(250, 'absolute');
    await sleep(300);
    await player.stop();
    const final = await session.ended;
    expect(outbox.status()).toMatchObject({ state: 'offline' });
    expect(outbox.pendingOps().map((op) => op.kind)).toEqual(['stopped']);
    // When it is back
    await demo.faults.clear();
    demo.clearJournal();
    outbox.retryNow();
    expect(await session.settle(5000)).toMatchObject({ settled: true });
    // Then the server holds exactly where the viewer stopped, from one report
    expect(demo.userData('demo', film.id).PlaybackPositionTicks).toBe(final.positionTicks);
    expect(Math.round(final.positionTicks / SECOND)).toBeGreaterThanOrEqual(250);
    expect(demo.journal.filter((e) => e.method === 'POST' && e.status !== undefined && e.status < 300).map((e) => e.path)).toEqual(['/Sessions/Playing/Stopped']);
  });

  it('queues the last known position when mpv is killed, and the session ends cleanly', async () => {
    const demo = server();
    const film = demo.library.first('Movie', (m) => m.id !== demo.library.first('Movie').id);
    const { session, player } = await play(demo, { itemId: film.id, startSeconds: 200, speed: 2 });
    await eventually(() => expect(session.view.positionSeconds).toBeGreaterThan(202));
    // No token on any command line while mpv plays
    const cmdline = await readFile(`/proc/${player.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain('Token');
    expect(cmdline).not.toMatch(/[0-9a-f]{32}/);
    const last = session.view.positionSeconds;
    process.kill(player.pid, 'SIGKILL');
    const view = await session.ended;
    expect(view.ended).toBe(true);
    expect(view.positionTicks / SECOND).toBeGreaterThanOrEqual(Math.floor(last));
    expect(await session.settle(5000)).toMatchObject({ settled: true });
    expect(demo.userData('demo', film.id).PlaybackPositionTicks).toBe(view.positionTicks);
    expect(livePlayerCount()).toBe(0);
  });
});

describe('a seek just before the playback ends', () => {
  // mpv takes a moment to begin a seek: a stop or a crash in that moment must not lose it.
  it.each([
    { ending: 'the viewer presses s at once', rounds: 10, film: 0, end: (player: Player) => player.stop() },
    { ending: 'mpv crashes right after it', rounds: 5, film: 1, end: (player: Player) => void process.kill(player.pid, 'SIGKILL') },
  ])('saves where the viewer went when $ending, every time', async ({ rounds, film: which, end }) => {
    const demo = server();
    // (another film for each case: the first case's stops are on its film)
    const first = demo.library.first('Movie');
    const film = which === 0 ? first : demo.library.first('Movie', (m) => m.id !== first.id);
    const sync = await syncing(demo);
    for (let round = 0; round < rounds; round++) {
      // Given a film playing from 1:40
      const { session, player } = await play(demo, { itemId: film.id, startSeconds: 100, speed: 1 }, sync);
      await eventually(() => expect(session.view.positionSeconds).toBeGreaterThan(100), 10_000);
      // When the viewer seeks 3:20 forward and the playback ends before or while mpv gets there
      void player.seek(200, 'relative');
      await end(player);
      // Then the stop the server receives is at about 5:00, where the seek went
      const view = await session.ended;
      expect(view.positionTicks / SECOND, `round ${round}`).toBeGreaterThanOrEqual(299);
      expect(view.positionTicks / SECOND, `round ${round}`).toBeLessThan(305);
      expect(await session.settle(5000)).toMatchObject({ settled: true });
      expect(demo.userData('demo', film.id).PlaybackPositionTicks, `round ${round}`).toBe(view.positionTicks);
    }
  }, 120_000);
});
