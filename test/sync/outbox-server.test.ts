import { describe, expect, it } from 'vitest';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import type { Outbox } from '../../src/sync/index.js';
import type { SyncState } from '../../src/sync/status.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';

const SECOND = 10_000_000;
const server = useDemoServer();

const engine = (client: JellyfinClient) => demoOutbox(client, { backoff: { baseMs: 20, capMs: 150 } });

function until(outbox: Outbox, states: SyncState[]): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (states.includes(outbox.status().state)) {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = outbox.subscribe(check);
    check();
  });
}

/** Successful playstate writes the server applied for one item. */
function appliedWrites(demo: DemoServer, itemId: string): string[] {
  return demo.journal
    .filter((entry) => entry.status !== undefined && entry.status < 300 && entry.method !== 'GET')
    .filter((entry) => entry.path.includes(itemId) || (entry.body as { ItemId?: string } | undefined)?.ItemId === itemId)
    .map((entry) => `${entry.method} ${entry.route ?? entry.path}`);
}

const FAULTS: Array<{ name: string; apply: (demo: DemoServer) => void; waitFor: SyncState[] }> = [
  { name: 'refuses connections', apply: (demo) => void demo.faults.offline(), waitFor: ['offline'] },
  { name: 'answers 503', apply: (demo) => demo.faults.status(503, { includePing: true }), waitFor: ['offline', 'retrying'] },
  { name: 'stalls', apply: (demo) => demo.faults.stall(), waitFor: ['offline', 'retrying'] },
];

describe('the outbox against a real server', () => {
  it.each(FAULTS)('delivers every update exactly once after a server that $name recovers', async ({ apply, waitFor }) => {
    // Given a server that is failing and three items with a known state
    const demo = server();
    const client = await signedInClient(demo, { timeoutMs: 300 });
    const [film, other, third] = [demo.library.first('Movie'), demo.library.first('Movie', (m) => m.name !== demo.library.first('Movie').name), demo.library.first('Episode')];
    demo.setUserData('demo', other.id, { played: true, playCount: 1 });
    apply(demo);
    const outbox = await engine(client);
    try {
      // When the user acts while it fails: marks back and forth, stops a playback part-way
      const handles = [
        await outbox.enqueue({ itemId: film.id, kind: 'played' }),
        await outbox.enqueue({ itemId: film.id, kind: 'unplayed' }),
        await outbox.enqueue({ itemId: film.id, kind: 'played' }),
        await outbox.enqueue({ itemId: other.id, kind: 'unplayed' }),
        await outbox.enqueue({ itemId: third.id, kind: 'stopped', payload: { positionTicks: 200 * SECOND, runtimeTicks: 600 * SECOND } }),
      ];
      await until(outbox, waitFor);
      expect(outbox.status().pending).toBeGreaterThanOrEqual(3);
      // And the server recovers
      await demo.faults.clear();
      demo.clearJournal();
      outbox.retryNow();
      const settled = await outbox.settle({ timeoutMs: 10_000 });

      // Then everything landed, and the server holds the user's last action per item
      expect(settled).toMatchObject({ settled: true, pending: 0 });
      expect(await Promise.all(handles.map((h) => h.outcome))).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'delivered']);
      expect(demo.userData('demo', film.id)).toMatchObject({ Played: true });
      expect(demo.userData('demo', other.id)).toMatchObject({ Played: false });
      expect(demo.userData('demo', third.id)).toMatchObject({ Played: false, PlaybackPositionTicks: 200 * SECOND });
      // And each item's update reached the server once: coalesced, never repeated
      expect(appliedWrites(demo, film.id)).toEqual(['POST /UserPlayedItems/{itemId}']);
      expect(appliedWrites(demo, other.id)).toEqual(['DELETE /UserPlayedItems/{itemId}']);
      expect(appliedWrites(demo, third.id)).toEqual(['POST /Sessions/Playing/Stopped']);
    } finally {
      await outbox.close();
    }
  });

  it('pauses on a 401 and delivers once the user signs in again', async () => {
    // Given a signed-in engine whose token the server has revoked
    const demo = server();
    const client = await signedInClient(demo);
    const film = demo.library.first('Movie');
    demo.faults.expireTokens();
    const outbox = await engine(client);
    try {
      const handle = await outbox.enqueue({ itemId: film.id, kind: 'played' });
      // When the update is refused
      await until(outbox, ['auth']);
      // Then it is kept, and nothing is retried until sign-in
      demo.clearJournal();
      await new Promise((r) => setTimeout(r, 300));
      expect(demo.journal).toEqual([]);
      expect(outbox.status()).toMatchObject({ state: 'auth', pending: 1 });
      // When the user signs in again
      await client.authenticateByName('demo', 'demo');
      outbox.resumeAfterSignIn();
      // Then the update lands
      expect(await handle.outcome).toBe('delivered');
      expect(demo.userData('demo', film.id)).toMatchObject({ Played: true });
    } finally {
      await outbox.close();
    }
  });

  it('replays an update that waited with the user\'s own time', async () => {
    // Given a film marked watched ten minutes ago while the server was away
    const demo = server();
    const outbox = await engine(await signedInClient(demo));
    const film = demo.library.first('Movie', (m) => demo.userData('demo', m.id).LastPlayedDate == null);
    const when = new Date(Date.now() - 10 * 60_000);
    try {
      // When it is delivered now
      const handle = await outbox.enqueue({ itemId: film.id, kind: 'played', at: when });
      // Then the server records it as played then, not now
      expect(await handle.outcome).toBe('delivered');
      const data = demo.userData('demo', film.id);
      expect(data.Played).toBe(true);
      expect(Date.parse(data.LastPlayedDate ?? '')).toBe(when.getTime());
    } finally {
      await outbox.close();
    }
  });

  it('does not overwrite newer activity from another device with an older queued update', async () => {
    // Given an update queued an hour ago (unwatched, at 3:20) that could not be sent
    const demo = server();
    const film = demo.library.first('Movie');
    const episode = demo.library.first('Episode');
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    // And since then another device finished the film and stopped the episode at 7:00
    const later = new Date(Date.now() - 60_000);
    demo.setUserData('demo', film.id, { played: true, playCount: 1, lastPlayedDate: later });
    demo.setUserData('demo', episode.id, { playbackPositionTicks: 420 * SECOND, lastPlayedDate: later });
    const outbox = await engine(await signedInClient(demo));
    try {
      // When the old updates are finally delivered
      const unplayed = await outbox.enqueue({ itemId: film.id, kind: 'unplayed', at: anHourAgo });
      const stopped = await outbox.enqueue({ itemId: episode.id, kind: 'stopped', at: anHourAgo, payload: { positionTicks: 200 * SECOND, runtimeTicks: 600 * SECOND } });
      // Then they end as superseded and the server keeps the newer state
      expect(await unplayed.outcome).toBe('superseded');
      expect(await stopped.outcome).toBe('superseded');
      expect(demo.userData('demo', film.id)).toMatchObject({ Played: true });
      expect(demo.userData('demo', episode.id)).toMatchObject({ PlaybackPositionTicks: 420 * SECOND });
      expect(demo.journal.filter((e) => e.method !== 'GET' && e.path !== '/Users/AuthenticateByName')).toEqual([]);
    } finally {
      await outbox.close();
    }
  });
});
