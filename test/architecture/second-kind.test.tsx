import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createServices } from '../../src/commands/services.js';
import { launchPlayer } from '../../src/commands/play.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import type { MediaItem, MediaServer } from '../../src/servers/types.js';
import { openOutbox } from '../../src/sync/index.js';
import type { Op } from '../../src/sync/op.js';
import { App } from '../../src/tui/App.js';
import { frame, plain } from '../helpers/ink.js';
import { until } from '../helpers/render-app.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

// Issue 16: the seam is real. A made-up second kind of server (a "toy" server, in memory: a few
// dozen lines) plugs in through `MediaServer` alone, and the app's own screens browse it, play
// its film in real mpv and sync what was watched to it, by its own rules, through the real
// outbox. Nothing in src/ knows this kind.

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const CLIP = resolve(__dirname, '..', '..', 'assets', 'demo', 'clip.mp4');
const TICKS = 10_000_000;

/** A toy server: one library with one film; it stores what it is sent, and counts a film played after ten seconds of it. */
function toyServer() {
  const film: MediaItem = { id: 'toy-1', name: 'The Toy Film', type: 'Movie', year: 2026, runtimeTicks: 600 * TICKS, isFolder: false, userData: { positionTicks: 0, played: false, playCount: 0 } };
  const shelf: MediaItem = { id: 'shelf', name: 'Toy Shelf', type: 'CollectionFolder', collectionType: 'movies', isFolder: true, userData: { positionTicks: 0, played: false, playCount: 0 } };
  const received: Op[] = [];
  const server: MediaServer = {
    kind: 'toy',
    url: 'toy://shelf',
    capabilities: { remembersTracks: false, segments: false, datedWrites: false, quickConnect: false },
    library: {
      userViews: async () => [shelf],
      resume: async () => [],
      nextUp: async () => [],
      items: async (query) => ({ items: query.parentId === shelf.id || query.searchTerm ? [film] : [], total: 1, startIndex: 0 }),
      seasons: async () => [],
      episodes: async () => [],
    },
    preparePlay: async (items) => ({
      entries: items.map(() => ({ url: CLIP, mediaSourceId: 'toy-version' })),
      httpHeaders: [],
      firstDetails: Promise.resolve({}),
      details: async () => ({}),
    }),
    rules: {
      resumeState: (positionTicks) => (positionTicks >= 10 * TICKS ? { positionTicks: 0, played: true } : { positionTicks }),
      startClearsPlayed: () => false,
      seenFrom: () => undefined,
    },
    deliver: {
      send: async (op) => {
        received.push(op);
        return 'delivered';
      },
      probe: async () => undefined,
    },
    signIn: { password: async (userName) => ({ token: 'toy-token', userId: 'toy-user', userName }), logout: async () => undefined },
    onReachable: () => undefined,
    forget: () => undefined,
  };
  return { server, received };
}

describe.skipIf(!hasMpv)('a second kind of server, through the MediaServer interface only', () => {
  it('is browsed, played in mpv and synced by its own rules from the app’s screens', async () => {
    // Given the app on a toy server, with a real outbox on a queue file and real mpv (no window, no sound)
    const toy = toyServer();
    const dir = await tempDir();
    const account = { kind: toy.server.kind, server: toy.server.url, userId: 'toy-user', userName: 'ann' };
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: toy.server.deliver, account });
    onTestFinished(() => outbox.close());
    const settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test', mpvArgs: ['--vo=null', '--ao=null'] };
    const services = createServices({ server: toy.server, outbox, launch: launchPlayer(settings), syncWaitMs: 3000, who: 'ann on the toy shelf', account: { server: toy.server.url, userName: 'ann' } });
    onTestFinished(() => services.stopPlayback());
    const view = render(<App services={services} onExit={vi.fn()} />);
    onTestFinished(() => view.unmount());
    const type = async (...keys: string[]) => {
      for (const key of keys) {
        view.stdin.write(key);
        await frame();
      }
    };

    // When the user opens its library, the film, and plays it past ten seconds, then stops
    await until(view.lastFrame, /› +Toy Shelf/);
    await type('\r');
    await until(view.lastFrame, /› +The Toy Film/);
    await type('\r');
    await until(view.lastFrame, 'enter play');
    await type('\r');
    await until(view.lastFrame, /▶ Playing +0:0[1-9] \/ 10:00/, 30_000);
    await type('\x1b[C', '\x1b[C');
    await until(view.lastFrame, /▶ Playing +0:(1\d|[2-5]\d) \/ 10:00/, 15_000);
    await type('s');

    // Then the toy server got the start and the stop of its film, for its own kind of account
    await eventually(() => expect(toy.received.map((op) => op.kind)).toContain('stopped'), 15_000);
    expect(toy.received[0]).toMatchObject({ kind: 'started', itemId: 'toy-1', account: { kind: 'toy', userId: 'toy-user' }, payload: { mediaSourceId: 'toy-version' } });
    const stop = toy.received.find((op) => op.kind === 'stopped')!;
    expect(stop.payload.positionTicks).toBeGreaterThanOrEqual(10 * TICKS);
    // and the details say what the toy's rules say (Jellyfin's would keep a resume point this early)
    const details = await until(view.lastFrame, '✓ Watched', 15_000);
    expect(plain(details)).toContain('The Toy Film');
    expect(outbox.status().pending).toBe(0);

    // When the user marks it unwatched with w, the toy server is told that too
    await type('w');
    await eventually(() => expect(toy.received.at(-1)).toMatchObject({ kind: 'unplayed', itemId: 'toy-1' }), 10_000);
    await until(view.lastFrame, 'Not watched');
  }, 90_000);
});
