import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { createServices } from '../../src/commands/services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { openPlex } from '../../src/servers/plex/index.js';
import { openOutbox } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// Continuous play on Plex: an episode that plays out leads to the next one in mpv's playlist,
// and the server counts the first as watched (its reports cross the played threshold inside one
// playback, PLEX.md §0.5). Real mpv at ten times speed, the demo Plex server on loopback.

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const demo = usePlexDemo();

describe.skipIf(!hasMpv)('continuous play on Plex', () => {
  it('moves on to the next episode, and the server counts the one played out', async () => {
    const { server } = openPlex({ baseUrl: demo().url, identity: { clientIdentifier: 'test-install', version: '0.1.0', deviceName: 'test' }, token: demo().owner.serverToken, timeoutMs: 5000 });
    const dir = await tempDir();
    const account = { kind: server.kind, server: server.url, userId: String(demo().owner.id), userName: demo().owner.username };
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: server.deliver, account, backoff: { baseMs: 50, capMs: 200 } });
    onTestFinished(() => outbox.close());
    const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test-install', mpvArgs: ['--vo=null', '--ao=null', '--speed=10'], skipSegments: 'off', continuousPlay: true };
    const services = createServices({ server, outbox, launch: launchPlayer(settings), syncWaitMs: 3000, who: 'test', account, playback: settings });
    onTestFinished(() => services.stopPlayback());
    const shows = (await services.library.userViews()).find((view) => view.collectionType === 'tvshows')!;
    const show = (await services.library.items({ parentId: shows.id, startIndex: 0, limit: 1 })).items[0]!;
    const [first, second] = await services.library.episodes(show.id);

    // When the first episode plays its last 70 seconds (from under the 90 % threshold)
    const playback = await services.play(first!, 530);
    expect(playback.view().count).toBeGreaterThan(1);
    // Then the next episode follows
    await eventually(() => expect(playback.view()).toMatchObject({ index: 1, title: expect.stringContaining(second!.name) }), 30_000);
    await services.stopPlayback();
    expect(await playback.settle(15_000)).toMatchObject({ settled: true });
    // and the server counts the first once, and keeps no session open for either
    expect(demo().state.watch(first!.id).viewCount).toBe(1);
    expect(demo().state.sessions().filter((session) => session.ratingKey === first!.id || session.ratingKey === second!.id)).toEqual([]);
  }, 90_000);
});
