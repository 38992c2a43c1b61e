import { spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createServices, type LaunchPlayer } from '../../src/commands/services.js';
import { Player } from '../../src/player/index.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const server = useDemoServer({ library: { movies: 2 } });

/**
 * mpv as reelterm starts it (the user's own mpv defaults: no --vo or --ao of the tests'), on a
 * machine like one reached over ssh: no display in the environment, and a sound device that
 * does not exist (on this machine there is none anyway; the name makes it so everywhere).
 */
const launchWithoutDevices: LaunchPlayer = async ({ entries: [first, ...next], httpHeaders }) => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return Player.launch({ ...first!, next, httpHeaders, env, tickIntervalMs: 1000, extraArgs: ['--ao=alsa', '--audio-device=alsa/reelterm-no-such-device'] });
};

describe.skipIf(!hasMpv)('a film played to its end where mpv has no window and no sound device', () => {
  it('says once at the start what is missing, and ends as an end: watched, no error', async () => {
    // Given a viewer with no display and no sound device who plays a film
    const demo = server();
    const film = demo.library.all().find((item) => item.type === 'Movie')!;
    const client = await signedInClient(demo, { timeoutMs: 2000 });
    const outbox = await demoOutbox(client, { backoff: { baseMs: 50, capMs: 200 } });
    const app = createServices({ server: jellyfinServer(client), outbox, launch: launchWithoutDevices, syncWaitMs: 3000, who: 'test', account: { server: demo.url, userName: 'demo' } });
    onTestFinished(() => app.stopPlayback());
    const playback = await app.play(await client.item(film.id), 0);

    // Then, once it plays, the screen says plainly that there is no sound device
    await eventually(() => expect(playback.view()).toMatchObject({ playedAny: true, notice: expect.stringContaining('no sound device') }), 20_000);
    const notice = playback.view().notice;
    expect(playback.view().error).toBeUndefined();

    // When the viewer skips to near the end and the film plays out
    playback.seek(590);
    const last = await playback.ended;

    // Then it ended as an end: watched, no error, and the same one notice as at the start
    expect(last).toMatchObject({ ended: true, played: true, positionTicks: 0 });
    expect(last.error).toBeUndefined();
    expect(playback.view()).toMatchObject({ notice });
    expect(playback.view().error).toBeUndefined();
    // and the server agrees once the stop has landed
    expect(await playback.settle(10_000)).toMatchObject({ settled: true });
    expect(demo.userData('demo', film.id)).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
  }, 60_000);
});
