import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/sync/index.js';
import { MovableClock } from '../helpers/movable-clock.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import { signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const DAY = 24 * 60 * 60_000;
const server = useDemoServer();

/**
 * Attack on item 6 ("expiry by age must not fire on a wall-clock jump alone"), with the jump in
 * the other direction and at another instant. The offset to the server's clock is measured
 * while this machine's clock is right, then the clock falls back forty days (a board without a
 * real-time clock, a dead CMOS battery: it boots to an old date) while the server cannot be
 * reached. A mark made then is stamped with the old offset, so it is placed forty days in the
 * past on the server's clock. When the network (and NTP) come back, the mark is "older than 30
 * days": an expired dead letter. The user sees "1 update expired" and must find
 * `--retry-failed`; the mark made minutes ago does not reach the server by itself.
 */
describe("a clock that falls back while offline", () => {
  it('delivers a mark made minutes ago, whatever this machine believed the date was', async () => {
    const demo = server();
    const clock = new MovableClock();
    const client = await signedInClient(demo, { now: clock.now });
    const dir = await tempDir();
    const { outbox } = await openOutbox({
      queueFile: join(dir, 'queue.json'),
      lockFile: join(dir, 'queue.lock'),
      deliver: new JellyfinDeliver(client),
      clock,
      backoff: { baseMs: 20, capMs: 100 },
    });
    const item = demo.library.first('Movie', (m) => demo.userData('demo', m.id).Played !== true);
    try {
      await client.ping();
      await demo.faults.offline();
      clock.shift = -40 * DAY;
      const handle = await outbox.enqueue({ itemId: item.id, kind: 'played' });
      await eventually(() => expect(outbox.status().lastError).toBeTruthy());
      clock.shift = 0;
      await demo.faults.online();
      outbox.retryNow();
      expect(await handle.outcome).toBe('delivered');
      expect(demo.userData('demo', item.id).Played).toBe(true);
    } finally {
      await outbox.close();
    }
  });
});
