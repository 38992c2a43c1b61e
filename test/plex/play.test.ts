import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { createServices, type PlaybackSettings } from '../../src/commands/services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import type { Player } from '../../src/player/index.js';
import { openPlex } from '../../src/servers/plex/index.js';
import { openOutbox } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// Browsing and playing a Plex server through the app's own services: the demo Plex server on
// loopback, real mpv (no window, no sound) playing the 600 s clip, a real outbox on a temp file.

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const demo = usePlexDemo({ library: { films: 120 } });

async function app(playback: Partial<PlaybackSettings> = {}) {
  const { server, client } = openPlex({ baseUrl: demo().url, identity: { clientIdentifier: 'test-install', version: '0.1.0', deviceName: 'test' }, token: demo().owner.serverToken, timeoutMs: 5000 });
  const dir = await tempDir();
  const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: server.deliver, account: { kind: server.kind, server: server.url, userId: String(demo().owner.id), userName: demo().owner.username }, backoff: { baseMs: 50, capMs: 200 } });
  onTestFinished(() => outbox.close());
  const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test-install', mpvArgs: ['--vo=null', '--ao=null'], skipSegments: 'off', ...playback };
  const players: Player[] = [];
  const launch = launchPlayer(settings);
  const services = createServices({
    server,
    outbox,
    launch: async (options) => {
      const player = (await launch(options)) as Player;
      players.push(player);
      return player;
    },
    syncWaitMs: 3000,
    who: 'test',
    account: { server: server.url, userName: demo().owner.username },
    playback: settings,
  });
  onTestFinished(() => services.stopPlayback());
  return { services, client, outbox, players };
}

describe('a Plex server, browsed', () => {
  it('lists its libraries, pages a library with its total, finds by search, and shows seasons and episodes', async () => {
    const { services } = await app();
    const views = await services.library.userViews();
    expect(views.map((view) => [view.name, view.type, view.collectionType])).toEqual(
      expect.arrayContaining([
        [expect.any(String), 'CollectionFolder', 'movies'],
        [expect.any(String), 'CollectionFolder', 'tvshows'],
      ]),
    );
    const films = views.find((view) => view.collectionType === 'movies')!;
    const first = await services.library.items({ parentId: films.id, startIndex: 0, limit: 50 });
    const second = await services.library.items({ parentId: films.id, startIndex: 50, limit: 50 });
    expect(first.total).toBe(120);
    expect(first.items).toHaveLength(50);
    expect(second.startIndex).toBe(50);
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(100);
    expect(first.items.every((item) => item.type === 'Movie' && item.runtimeTicks === 600 * 10_000_000)).toBe(true);

    const found = await services.library.items({ searchTerm: first.items[3]!.name, includeItemTypes: ['Movie', 'Series', 'Episode'], limit: 50 });
    expect(found.items.map((item) => item.id)).toContain(first.items[3]!.id);

    const shows = views.find((view) => view.collectionType === 'tvshows')!;
    const show = (await services.library.items({ parentId: shows.id, startIndex: 0, limit: 50 })).items[0]!;
    expect(show).toMatchObject({ type: 'Series', isFolder: true });
    const seasons = await services.library.seasons(show.id);
    expect(seasons[0]).toMatchObject({ type: 'Season', seriesId: show.id });
    const episodes = await services.library.episodes(show.id, { seasonId: seasons[0]!.id });
    expect(episodes[0]).toMatchObject({ type: 'Episode', seriesId: show.id, seasonId: seasons[0]!.id, parentIndexNumber: 1, indexNumber: 1 });
  });
});

describe.skipIf(!hasMpv)('a Plex server, played in mpv', () => {
  it('plays a film with its tracks and the sidecar subtitle, keeps the token from mpv, and leaves the resume point on the server', async () => {
    const { services, players } = await app({ audioLanguages: ['en'], subtitleLanguages: ['en'] });
    const films = (await services.library.userViews()).find((view) => view.collectionType === 'movies')!;
    const film = (await services.library.items({ parentId: films.id, startIndex: 0, limit: 1 })).items[0]!;

    // When it plays from 1:30
    const playback = await services.play(film, 90);
    await eventually(() => expect(playback.view()).toMatchObject({ playedAny: true, audio: expect.stringMatching(/^English/), subtitle: expect.stringMatching(/^English/) }), 20_000);
    // Then c goes through every subtitle, the German file beside the film included
    const seen: string[] = [];
    for (let press = 0; press < 3; press++) {
      const before = playback.view().subtitle;
      playback.cycleTrack('subtitle');
      await eventually(() => expect(playback.view().subtitle).not.toBe(before), 20_000);
      seen.push(playback.view().subtitle!);
    }
    expect(seen).toEqual(['Spanish', 'German · external', 'Off']);
    const subtitleFiles = ((await players[0]!.getProperty('track-list')) as Array<{ type: string; external?: boolean }>).filter((track) => track.type === 'sub' && track.external === true);
    expect(subtitleFiles).toHaveLength(1);
    // and no process has the server's token in its arguments
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(demo().owner.serverToken);

    // When the viewer stops past 1:31
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThan(91), 15_000);
    services.stopPlayback();
    expect(await playback.settle(15_000)).toMatchObject({ settled: true });
    // Then the server keeps the resume point (past its one-minute floor), and nobody is left playing there
    const state = demo().state.watch(film.id);
    expect(state.viewOffset).toBeGreaterThanOrEqual(90_000);
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.id)).toEqual([]);
    // and each choice was written back as the file's selected streams (for every Plex app), the last one off
    const writes = demo().journal.filter((entry) => entry.method === 'PUT' && entry.path.startsWith('/library/parts/')).map((entry) => entry.query.subtitleStreamID);
    expect(new Set(writes).size).toBeGreaterThanOrEqual(3);
    expect(writes.at(-1)).toBe('0');
    const partId = Number(demo().journal.find((entry) => entry.method === 'PUT' && entry.path.startsWith('/library/parts/'))!.path.split('/')[3]);
    expect(demo().state.selection(partId).subtitleStreamID).toBe(0);
    // and no request carried the token in its address
    expect(demo().journal.some((entry) => entry.path.startsWith('/library/parts/'))).toBe(true);
    for (const entry of demo().journal) expect(JSON.stringify(entry)).not.toContain(demo().owner.serverToken);
  }, 90_000);

  it('stops when the server\'s admin terminates the stream, says why, and leaves no session open', async () => {
    const { services } = await app();
    const films = (await services.library.userViews()).find((view) => view.collectionType === 'movies')!;
    const film = (await services.library.items({ parentId: films.id, startIndex: 5, limit: 1 })).items[0]!;
    const playback = await services.play(film, 90);
    await eventually(() => expect(demo().state.sessions().filter((session) => session.ratingKey === film.id)).toHaveLength(1), 30_000);
    // The admin stops the stream from the dashboard; the next report hears of it
    expect(demo().state.terminate({ ratingKey: film.id, text: 'Admin terminated playback with reason: the server restarts at midnight' })).toBe(1);
    const ended = await playback.ended;
    expect(ended.error).toContain('the server restarts at midnight');
    expect(await playback.settle(15_000)).toMatchObject({ settled: true });
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.id)).toEqual([]);
    // and no report after the termination said "playing"
    const reports = demo().journal.filter((entry) => entry.path === '/:/timeline' && entry.query.ratingKey === film.id).map((entry) => entry.query.state);
    const firstStop = reports.indexOf('stopped');
    expect(reports.slice(firstStop).every((state) => state === 'stopped')).toBe(true);
  }, 90_000);

  it('sends the final stop when mpv crashes, and the server keeps the position with no session left', async () => {
    const { services, players } = await app();
    const films = (await services.library.userViews()).find((view) => view.collectionType === 'movies')!;
    const film = (await services.library.items({ parentId: films.id, startIndex: 7, limit: 1 })).items[0]!;
    const playback = await services.play(film, 120);
    await eventually(() => expect(demo().state.sessions().filter((session) => session.ratingKey === film.id)).toHaveLength(1), 30_000);
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThan(121), 15_000);
    const at = playback.view().positionSeconds;
    process.kill(players[0]!.pid, 'SIGKILL');
    await playback.ended;
    expect(await playback.settle(15_000)).toMatchObject({ settled: true });
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.id)).toEqual([]);
    expect(demo().state.watch(film.id).viewOffset).toBeGreaterThanOrEqual(Math.floor(at) * 1000 - 1000);
  }, 90_000);

  it('skips an episode’s intro by its marker', async () => {
    const { services } = await app({ skipSegments: 'auto', skipSegmentTypes: ['Intro'] });
    const shows = (await services.library.userViews()).find((view) => view.collectionType === 'tvshows')!;
    const show = (await services.library.items({ parentId: shows.id, startIndex: 0, limit: 1 })).items[0]!;
    const episode = (await services.library.episodes(show.id))[0]!;
    // The demo's intro runs from 0:15 to 1:15: started at 0:20, playback jumps past it
    const playback = await services.play(episode, 20);
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThanOrEqual(75), 20_000);
    services.stopPlayback();
    await playback.ended;
  }, 60_000);
});
