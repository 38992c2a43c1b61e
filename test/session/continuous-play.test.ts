import { spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { createServices, type PlaybackSettings } from '../../src/commands/services.js';
import type { Settings } from '../../src/config/settings.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { MediaItem } from '../../src/servers/jellyfin/types.js';
import { livePlayerCount, type Player } from '../../src/player/index.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const SECOND = 10_000_000;
const server = useDemoServer();

/**
 * The app's own services with real mpv (no video, no sound). `--start=590` is the user's own
 * mpv option: it makes every episode that follows start 10 s (or `start`) before its end, so
 * three episodes play out in seconds; a resume point given by reelterm still wins for the first.
 */
async function services(demo: DemoServer, options: { speed: number; start?: number; playback?: Partial<PlaybackSettings> }) {
  const client = await signedInClient(demo, { timeoutMs: 1000 });
  const outbox = await demoOutbox(client, { progressIntervalMs: 1000, backoff: { baseMs: 50, capMs: 200 } });
  const settings: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    deviceId: 'test-device',
    skipSegments: 'off',
    mpvArgs: ['--vo=null', '--ao=null', `--speed=${options.speed}`, `--start=${options.start ?? 590}`],
    ...options.playback,
  };
  const app = createServices({
    server: jellyfinServer(client),
    outbox,
    launch: launchPlayer(settings),
    syncWaitMs: 3000,
    who: 'test',
    account: { server: demo.url, userName: 'demo' },
    playback: settings,
  });
  onTestFinished(() => app.stopPlayback());
  return { app, outbox, client };
}

/** The first three episodes of the first series, as the client lists them. */
async function threeEpisodes(demo: DemoServer): Promise<MediaItem[]> {
  const client = await signedInClient(demo);
  const series = demo.library.first('Series');
  const episodes = await client.episodes(series.id);
  return episodes.slice(0, 3);
}

describe.skipIf(!hasMpv)('continuous play in real mpv', () => {
  it('plays three episodes in a row, and the server ends with each one played', async () => {
    // Given three unwatched episodes
    const demo = server();
    const [first, second, third] = await threeEpisodes(demo);
    const { app, outbox } = await services(demo, { speed: 10 });

    // When the first is played from 9:50 and left to run
    const playback = await app.play(first!, 590);
    expect(playback.view()).toMatchObject({ index: 0, count: expect.any(Number) });
    expect(playback.view().count).toBeGreaterThanOrEqual(3);
    const seen = new Set<number>();
    const unsubscribe = playback.subscribe(() => seen.add(playback.view().index));
    await eventually(() => expect(seen.has(3)).toBe(true), 20_000);
    unsubscribe();
    await app.stopPlayback();
    expect(await playback.settle(5000)).toMatchObject({ settled: true });

    // Then the server has all three played, with no resume point, each started and stopped once
    for (const episode of [first!, second!, third!]) {
      expect(demo.userData('demo', episode.id), episode.name).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
      const stops = demo.journal.filter((entry) => entry.path === '/Sessions/Playing/Stopped' && (entry.body as { ItemId?: string }).ItemId === episode.id);
      expect(stops, episode.name).toHaveLength(1);
    }
    expect(outbox.status().pending).toBe(0);
    // and the local view agrees before the server is asked again
    expect(app.watch.overlay(second!.id, { played: false, positionTicks: 0 })).toMatchObject({ played: true });
    await eventually(() => expect(livePlayerCount()).toBe(0), 5000);
  });

  it('keeps each episode right when the server is offline during the middle one', async () => {
    // Given three unwatched episodes playing in a row, each for its last 6 s at 3x (2 s each)
    const demo = server();
    const [first, second, third] = await threeEpisodes(demo);
    const { app, outbox } = await services(demo, { speed: 3, start: 594 });
    const playback = await app.play(first!, 594);

    // When the server goes away as the second episode plays (the viewer pauses meanwhile)
    await eventually(() => expect(playback.view()).toMatchObject({ index: 1 }), 15_000);
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThanOrEqual(594), 5000);
    await demo.faults.offline();
    playback.togglePause();
    // Then the episode's updates wait in the queue, and the footer's state says offline
    await eventually(() => expect(outbox.status()).toMatchObject({ state: 'offline' }), 5000);
    expect(outbox.status().pending).toBeGreaterThan(0);
    expect(outbox.pendingOps().every((op) => op.itemId === second!.id)).toBe(true);
    // When it comes back and the viewer goes on
    await demo.faults.clear();
    outbox.retryNow();
    playback.togglePause();

    // Then the third episode still plays, and once it has played out every update lands
    await eventually(() => expect(playback.view().index).toBe(3), 15_000);
    await app.stopPlayback();
    expect(await playback.settle(5000)).toMatchObject({ settled: true });
    for (const episode of [first!, second!, third!]) {
      expect(demo.userData('demo', episode.id), episode.name).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
    }
    // and nothing reached the server twice
    const stops = demo.journal.filter((entry) => entry.path === '/Sessions/Playing/Stopped' && entry.status === 204);
    expect(stops.map((entry) => (entry.body as { ItemId: string }).ItemId).sort()).toEqual(expect.arrayContaining([first!.id, second!.id, third!.id]));
    expect(new Set(stops.map((entry) => (entry.body as { ItemId: string }).ItemId)).size).toBe(stops.length);
    expect(outbox.status().pending).toBe(0);
  });

  it('reports a skipped episode where it was left, not as watched', async () => {
    const demo = server();
    const [first, second] = await threeEpisodes(demo);
    const { app } = await services(demo, { speed: 1 });
    // Given the first episode plays from 2:00
    const playback = await app.play(first!, 120);
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThan(120), 5000);
    // When the viewer presses n
    playback.skip('next');
    await eventually(() => expect(playback.view().index).toBe(1), 5000);
    const startedSecond = () => demo.journal.some((entry) => entry.path === '/Sessions/Playing' && (entry.body as { ItemId?: string }).ItemId === second!.id);
    await eventually(() => expect(startedSecond()).toBe(true), 5000);
    await app.stopPlayback();
    expect(await playback.settle(5000)).toMatchObject({ settled: true });
    // Then the first keeps a resume point near 2:00, unwatched, and the second was started
    const saved = demo.userData('demo', first!.id);
    expect(saved.Played).toBe(false);
    expect(Math.abs(saved.PlaybackPositionTicks! / SECOND - 121)).toBeLessThan(3);
  });

  it('plays only the chosen episode when continuous play is off', async () => {
    const demo = server();
    const [first] = await threeEpisodes(demo);
    const { app } = await services(demo, { speed: 10, playback: { continuousPlay: false } });
    const playback = await app.play(first!, 590);
    expect(playback.view().count).toBe(1);
    await playback.ended;
    expect(await playback.settle(5000)).toMatchObject({ settled: true });
    expect(demo.journal.filter((entry) => entry.path === '/Sessions/Playing')).toHaveLength(1);
  });
});

describe.skipIf(!hasMpv)('tracks and segments in real mpv', () => {
  /** Services whose launches are kept, so the test can ask mpv itself what it plays. */
  async function withPlayers(demo: DemoServer, playback: Partial<PlaybackSettings>, speed = 1) {
    const client = await signedInClient(demo, { timeoutMs: 1000 });
    const outbox = await demoOutbox(client, { backoff: { baseMs: 50, capMs: 200 } });
    const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test-device', mpvArgs: ['--vo=null', '--ao=null', `--speed=${speed}`], ...playback };
    const players: Player[] = [];
    const launch = launchPlayer(settings);
    const app = createServices({
      server: jellyfinServer(client),
      outbox,
      launch: async (options) => {
        const player = (await launch(options)) as Player;
        players.push(player);
        return player;
      },
      syncWaitMs: 3000,
      who: 'test',
      account: { server: demo.url, userName: 'demo' },
      playback: settings,
    });
    onTestFinished(() => app.stopPlayback());
    return { app, players };
  }

  it('plays the preferred audio language and subtitles, and a and c cycle them in mpv', async () => {
    // Given a user who prefers French audio and German subtitles (an external file on the server)
    const demo = server();
    const film = (await (await signedInClient(demo)).items({ includeItemTypes: ['Movie'], recursive: true, limit: 1 })).items[0]!;
    const { app, players } = await withPlayers(demo, { audioLanguages: ['fr'], subtitleLanguages: ['de', 'en'] });

    // When the film plays
    const playback = await app.play(film, 0);
    const player = players[0]!;

    // Then mpv plays the French track and the German subtitle file, and the screen names them
    await eventually(() => expect(playback.view()).toMatchObject({ audio: 'French', subtitle: 'German · external' }), 5000);
    expect(await player.getProperty('aid')).toBe(2);
    const german = player.trackList().find((track) => track.type === 'sub' && track.lang === 'ger')!;
    expect(await player.getProperty('sid')).toBe(german.id);

    // When the viewer presses a, then c
    playback.cycleTrack('audio');
    await eventually(() => expect(playback.view().audio).toBe('English (default)'), 5000);
    expect(await player.getProperty('aid')).toBe(1);
    // Then c goes from the external file (the last of the round) to "off", then through the
    // file's own subtitles in the file's order, then back to the external file
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view().subtitle).toBe('Off'), 5000);
    expect(await player.getProperty('sid')).toBe(false);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view().subtitle).toBe('English (default)'), 5000);
    expect(await player.getProperty('sid')).toBe(1);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view().subtitle).toBe('Spanish'), 5000);
    expect(await player.getProperty('sid')).toBe(2);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view().subtitle).toBe('German · external'), 5000);
    expect(await player.getProperty('sid')).toBe(german.id);
  });

  it('skips an intro by itself in auto mode, and reports the new position at once', async () => {
    const demo = server();
    const episode = demo.library.first('Episode');
    const item = await (await signedInClient(demo)).item(episode.id);
    const { app } = await withPlayers(demo, { skipSegments: 'auto', skipSegmentTypes: ['Intro'] }, 2);
    // Given the intro runs from 0:05 to 0:35, and playback starts at 0:03
    const playback = await app.play(item, 3);
    // Then playback jumps past it, and the server hears of the jump
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThanOrEqual(35), 8000);
    await eventually(() => expect(demo.journal.some((entry) => entry.path === '/Sessions/Playing/Progress' && Math.abs((entry.body as { PositionTicks: number }).PositionTicks / SECOND - 35) < 1.5)).toBe(true), 5000);
  });

  it('offers to skip an intro in ask mode, and skips on request', async () => {
    const demo = server();
    const episode = demo.library.first('Episode');
    const item = await (await signedInClient(demo)).item(episode.id);
    const { app } = await withPlayers(demo, { skipSegments: 'ask', skipSegmentTypes: ['Intro', 'Outro'] }, 2);
    const playback = await app.play(item, 3);
    // Given the intro is playing, the screen offers to skip it, and playback stays in it
    await eventually(() => expect(playback.view().segment).toBe('intro'), 8000);
    expect(playback.view().positionSeconds).toBeLessThan(35);
    // When the viewer skips
    playback.skipSegment();
    // Then playback goes on after the intro, and the offer is gone
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThanOrEqual(35), 5000);
    expect(playback.view().segment).toBeUndefined();
  });
});
