import { spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { createServices, type PlaybackSettings } from '../../src/commands/services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { Player } from '../../src/player/index.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const server = useDemoServer({ library: { movies: 6 } });

// The demo clip's streams as the server numbers them: 0 external German SRT, 1 video, 2 English
// audio, 3 French audio, 4 English subtitle, 5 Spanish subtitle. mpv numbers the file's own
// tracks from 1 per kind: aid 1 English, 2 French; sid 1 English, 2 Spanish (the German file
// is added after them).
const SERVER = { french: 3, spanish: 5, off: -1 };
const MPV = { english: 1, french: 2, englishSubtitle: 1, spanish: 2 };

/**
 * reelterm's own services with real mpv (no video, no sound), keeping each mpv to ask what it
 * plays. Progress goes out every `progressIntervalMs` (and at once when urgent).
 */
async function reelterm(demo: DemoServer, playback: Partial<PlaybackSettings>, progressIntervalMs = 1000) {
  // (the app's own request timeout: on a busy machine a shorter one only tests the retries, which test/session/track-reports.test.ts does)
  const client = await signedInClient(demo, { timeoutMs: 10_000 });
  const outbox = await demoOutbox(client, { progressIntervalMs, backoff: { baseMs: 50, capMs: 200 } });
  const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test-device', skipSegments: 'off', continuousPlay: false, mpvArgs: ['--vo=null', '--ao=null'], ...playback };
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
  return { app, client, players };
}

const ENGLISH_SETTINGS = { audioLanguages: ['en'], subtitleLanguages: ['en'] };

let filmsUsed = 0;
function freshFilm(demo: DemoServer): string {
  return demo.library.all().filter((item) => item.type === 'Movie')[filmsUsed++]!.id;
}

/** What mpv plays now: its audio and subtitle track ids (false: none). */
async function playing(player: Player): Promise<{ aid: unknown; sid: unknown }> {
  return { aid: await player.getProperty('aid'), sid: await player.getProperty('sid') };
}

/**
 * The audio and subtitle streams the server would start the item on for this user: what it
 * remembers, when it does. Asked from a device of its own: signing in again on reelterm's
 * device would end reelterm's session.
 */
async function serverDefaults(demo: DemoServer, itemId: string): Promise<{ audio?: number; subtitle?: number }> {
  const token = await rawSignIn(demo, 'observer');
  const source = (await raw(demo, 'GET', `/Items/${itemId}/PlaybackInfo`, { token })).json.MediaSources[0];
  return { audio: source.DefaultAudioStreamIndex, subtitle: source.DefaultSubtitleStreamIndex };
}

describe.skipIf(!hasMpv)('remembered tracks, with real mpv and a 10.11 server', () => {
  it('the tracks picked with a and c reach the server at once, and the next start plays them', async () => {
    // Given a viewer whose settings say English, playing a film for the first time, with progress going out once a minute
    const demo = server();
    const film = freshFilm(demo);
    const first = await reelterm(demo, ENGLISH_SETTINGS, 60_000);
    const playback = await first.app.play(await first.client.item(film), 0);
    const mpv = first.players[0]!;
    await eventually(async () => expect(await playing(mpv)).toEqual({ aid: MPV.english, sid: MPV.englishSubtitle }), 15_000);
    await eventually(() => expect(playback.view()).toMatchObject({ playedAny: true, subtitle: expect.stringMatching(/English/) }), 15_000);

    // When they press a (French) and c (Spanish subtitles)
    playback.cycleTrack('audio');
    await eventually(() => expect(playback.view().audio).toMatch(/Fre/), 5000);
    playback.cycleTrack('subtitle');
    await eventually(async () => expect(await playing(mpv)).toEqual({ aid: MPV.french, sid: MPV.spanish }), 5000);

    // Then the server remembers French and Spanish for the film within moments, not at the next progress slot
    await eventually(async () => expect(await serverDefaults(demo, film)).toEqual({ audio: SERVER.french, subtitle: SERVER.spanish }), 10_000);
    await first.app.stopPlayback();
    expect(await playback.settle(10_000)).toMatchObject({ settled: true });
    // and the next start (a new reelterm, the film read afresh) plays them, over the English settings
    const again = await reelterm(demo, ENGLISH_SETTINGS);
    await again.app.play(await again.client.item(film), 0);
    await eventually(async () => expect(await playing(again.players[0]!)).toEqual({ aid: MPV.french, sid: MPV.spanish }), 15_000);
  });

  it('a playback that leaves the tracks alone keeps what Jellyfin\'s web player remembered', async () => {
    // Given the web player played the film with French audio and no subtitles, which the server remembers
    const demo = server();
    const film = freshFilm(demo);
    const token = await rawSignIn(demo, 'web-browser');
    for (const path of ['/Sessions/Playing', '/Sessions/Playing/Progress']) {
      expect((await raw(demo, 'POST', path, { token, body: { ItemId: film, PositionTicks: 0, AudioStreamIndex: SERVER.french, SubtitleStreamIndex: SERVER.off } })).status).toBe(204);
    }

    // When reelterm, set to English, plays it until its progress has reached the server, then stops
    const viewer = await reelterm(demo, ENGLISH_SETTINGS);
    const playback = await viewer.app.play(await viewer.client.item(film), 0);
    // Then mpv plays French without subtitles
    await eventually(async () => expect(await playing(viewer.players[0]!)).toEqual({ aid: MPV.french, sid: false }), 15_000);
    const reported = () => demo.journal.filter((entry) => entry.path === '/Sessions/Playing/Progress' && entry.status === 204 && (entry.body as { ItemId?: string }).ItemId === film);
    await eventually(() => expect(reported().length).toBeGreaterThanOrEqual(1), 15_000);
    // and once its reports reach the server, the server still remembers French and no subtitles, through the stop
    await eventually(async () => expect(await serverDefaults(demo, film)).toEqual({ audio: SERVER.french, subtitle: SERVER.off }), 10_000);
    await viewer.app.stopPlayback();
    expect(await playback.settle(10_000)).toMatchObject({ settled: true });
    expect(await serverDefaults(demo, film)).toEqual({ audio: SERVER.french, subtitle: SERVER.off });
  });

  it('in continuous play the next episode takes the tracks the viewer had, and the server remembers them for it', async () => {
    // Given an English-set viewer ten seconds from the end of an episode, with continuous play
    const demo = server();
    const episodes = await (await signedInClient(demo)).episodes(demo.library.first('Series').id);
    const [first, second] = episodes;
    const viewer = await reelterm(demo, { ...ENGLISH_SETTINGS, continuousPlay: true });
    const playback = await viewer.app.play(first!, 590);
    await eventually(() => expect(playback.view()).toMatchObject({ playedAny: true, subtitle: expect.stringMatching(/English/) }), 15_000);

    // When they switch to French audio and Spanish subtitles, and the episode plays out
    playback.cycleTrack('audio');
    await eventually(() => expect(playback.view().audio).toMatch(/Fre/), 5000);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view().subtitle).toMatch(/Spanish/), 5000);
    await eventually(() => expect(playback.view().index).toBe(1), 20_000);

    // Then the next episode plays French and Spanish, and the server remembers them for it
    await eventually(async () => expect(await playing(viewer.players[0]!)).toEqual({ aid: MPV.french, sid: MPV.spanish }), 15_000);
    await eventually(async () => expect(await serverDefaults(demo, second!.id)).toEqual({ audio: SERVER.french, subtitle: SERVER.spanish }), 30_000);
    await viewer.app.stopPlayback();
    expect(await playback.settle(10_000)).toMatchObject({ settled: true });
    expect(await serverDefaults(demo, second!.id)).toEqual({ audio: SERVER.french, subtitle: SERVER.spanish });
    // (its waits add up to more than vitest's default 30 s on a busy machine: a CI run timed out at the default)
  }, 120_000);
});
