import { describe, expect, it } from 'vitest';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { MovableClock } from '../helpers/movable-clock.js';
import { replayingOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';

const S = 10_000_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const server = useDemoServer();

const engine = replayingOutbox;

function film(demo: DemoServer) {
  return demo.library.first('Movie', (m) => demo.userData('demo', m.id).LastPlayedDate == null && (m.runTimeTicks ?? 0) > 300 * S);
}

describe("the stale-replay guard on the server's clock", () => {
  it.each([
    ['ten minutes ahead', 10 * MINUTE],
    ['ten minutes behind', -10 * MINUTE],
  ])('replays a stop queued offline after a live start when the server clock is %s', async (_name, offsetMs) => {
    // Given a server whose clock is off, and a playback whose start it stamped with its own clock
    const demo = server();
    demo.faults.clock(offsetMs);
    const clock = new MovableClock();
    const client = await signedInClient(demo);
    const outbox = await engine(client, clock);
    const item = film(demo);
    const runtimeTicks = item.runTimeTicks!;
    try {
      const start = await outbox.enqueue({ itemId: item.id, kind: 'started', payload: { positionTicks: 0, runtimeTicks } });
      expect(await start.outcome).toBe('delivered');
      // When the network drops and the viewer stops at 5:00, then five minutes pass before it is back
      await demo.faults.offline();
      const stop = await outbox.enqueue({ itemId: item.id, kind: 'stopped', payload: { positionTicks: 300 * S, runtimeTicks } });
      await eventually(() => expect(outbox.status().state).toBe('offline'));
      clock.shift += 5 * MINUTE;
      await demo.faults.online();
      outbox.retryNow();
      // Then the stop is written (not judged "superseded" by the server's stamp of our own start)
      expect(await stop.outcome).toBe('delivered');
      expect(demo.userData('demo', item.id)).toMatchObject({ PlaybackPositionTicks: 300 * S, Played: false });
    } finally {
      await outbox.close();
      demo.faults.clock(0);
    }
  });

  it("still leaves another device's later activity alone when the clocks differ", async () => {
    // Given a server ten minutes ahead, where another device played the film after our queued stop
    const demo = server();
    demo.faults.clock(10 * MINUTE);
    const clock = new MovableClock();
    const client = await signedInClient(demo);
    const outbox = await engine(client, clock);
    const item = film(demo);
    try {
      await demo.faults.offline();
      const stop = await outbox.enqueue({ itemId: item.id, kind: 'stopped', payload: { positionTicks: 300 * S, runtimeTicks: item.runTimeTicks! } });
      await eventually(() => expect(outbox.status().state).toBe('offline'));
      clock.shift += 5 * MINUTE;
      // (two minutes after our stop, on the server's clock)
      demo.setUserData('demo', item.id, { playbackPositionTicks: 420 * S, lastPlayedDate: new Date(Date.now() + 10 * MINUTE + 2 * MINUTE) });
      await demo.faults.online();
      outbox.retryNow();
      // Then the phone's position stays
      expect(await stop.outcome).toBe('superseded');
      expect(demo.userData('demo', item.id).PlaybackPositionTicks).toBe(420 * S);
    } finally {
      await outbox.close();
      demo.faults.clock(0);
    }
  });
});

describe("expiry on the server's clock", () => {
  it('keeps an update a month old as an expired dead letter instead of replaying it', async () => {
    const demo = server();
    const clock = new MovableClock();
    const outbox = await engine(await signedInClient(demo), clock);
    const item = film(demo);
    try {
      const handle = await outbox.enqueue({ itemId: item.id, kind: 'played', at: new Date(Date.now() - 31 * DAY) });
      expect(await handle.outcome).toBe('dead-lettered');
      expect(outbox.deadLetters()).toMatchObject([{ reason: 'expired', op: { itemId: item.id } }]);
      expect(demo.userData('demo', item.id).Played).toBe(false);
    } finally {
      await outbox.close();
    }
  });

  it("does not expire anything when only this machine's clock jumps forty days", async () => {
    // Given an update queued while the server could not be reached
    const demo = server();
    const clock = new MovableClock();
    const outbox = await engine(await signedInClient(demo, { now: clock.now }), clock);
    const item = film(demo);
    try {
      await demo.faults.offline();
      const handle = await outbox.enqueue({ itemId: item.id, kind: 'played' });
      await eventually(() => expect(outbox.status().state).toBe('offline'));
      // When this machine's clock jumps forty days ahead before the server is back
      clock.shift += 40 * DAY;
      await demo.faults.online();
      outbox.retryNow();
      // Then the update lands: the server's clock says it is minutes old
      expect(await handle.outcome).toBe('delivered');
      expect(demo.userData('demo', item.id).Played).toBe(true);
      expect(outbox.status()).toMatchObject({ deadLetters: 0, pending: 0 });
    } finally {
      await outbox.close();
    }
  });
});
