import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/sync/outbox.js';
import { openQueueFile } from '../../src/sync/queue-file.js';
import type { OpAccount, QueueData } from '../../src/sync/op.js';
import { REFUSED, ScriptedDeliver } from '../helpers/scripted-deliver.js';
import { tempDir } from '../helpers/temp-home.js';

/**
 * Attack on items 4 and 5 together (write first, then send; per-account queue).
 *
 * Item ids are the server's, the same for every user of that server. When alice's update for a
 * film waits in the queue (she is signed out, or her account is another) and bob, signed in
 * now, marks the same film or plays it, "write first, then send" sees alice's op in the file as
 * an *older* update of that item, so bob's is held for a write. The write lands, alice's op is
 * still in the file (it is kept for her), so bob's is held again and another write is asked for:
 * for ever. What bob sees: his mark or stop never reaches the server ("Syncing…" without end,
 * `reelterm sync` times out), while reelterm rewrites queue.json in a tight loop (disk and CPU).
 *
 * (Scripted server: the defect is in the engine; the queue file is real, so each loop turn is a
 * real atomic write: temp file, fsync, rename.)
 */
describe('two accounts with an update for the same film', () => {
  const alice: OpAccount = { server: 'https://jf.example', userId: 'a11ce', userName: 'alice' };
  const bob: OpAccount = { server: 'https://jf.example', userId: 'b0b', userName: 'bob' };

  async function queueWithAlicesStop(dir: string) {
    const queueFile = join(dir, 'queue.json');
    // alice's stop, left while her server could not be reached
    const first = await openQueueFile(queueFile);
    const aliceDeliver = new ScriptedDeliver();
    aliceDeliver.fallback = REFUSED;
    aliceDeliver.probeFallback = REFUSED;
    const asAlice = new Outbox({ db: first.db, deliver: aliceDeliver, account: alice, random: () => 0.5 });
    await asAlice.enqueue({ itemId: 'film', kind: 'stopped', payload: { positionTicks: 600 * 10_000_000 } });
    await asAlice.close();
    return queueFile;
  }

  it.each([
    ['a mark (w)', { kind: 'played' as const }],
    ['a stop', { kind: 'stopped' as const, payload: { positionTicks: 1200 * 10_000_000 } }],
    ['live progress', { kind: 'progress' as const, payload: { positionTicks: 1200 * 10_000_000 } }],
  ])("delivers bob's %s without rewriting the queue file in a loop", async (_name, update) => {
    const dir = await tempDir();
    const queueFile = await queueWithAlicesStop(dir);
    // Given bob signed in, with alice's stop for the same film kept in the queue
    const { db } = await openQueueFile(queueFile);
    let writes = 0;
    const adapter = (db as unknown as { adapter: { write(data: QueueData): Promise<void> } }).adapter;
    const write = adapter.write.bind(adapter);
    adapter.write = (data) => {
      writes += 1;
      return write(data);
    };
    const deliver = new ScriptedDeliver();
    const outbox = new Outbox({ db, deliver, account: bob, random: () => 0.5 });
    try {
      // When bob makes his update of that film
      await outbox.enqueue({ itemId: 'film', ...update });
      const settled = await outbox.settle({ timeoutMs: 1500 });
      // Then it reaches the server, and the queue was written a few times, not hundreds
      expect(deliver.sent.map((op) => `${op.account?.userName}:${op.kind}`), `queue.json written ${writes} times meanwhile`).toEqual([`bob:${update.kind}`]);
      expect(settled).toMatchObject({ settled: true });
      expect(writes).toBeLessThan(10);
    } finally {
      await outbox.close();
    }
    // And alice's stop is still kept for her
    const kept = (await openQueueFile(queueFile)).db.data.ops;
    expect(kept.map((op) => `${op.account?.userName}:${op.kind}`)).toEqual(['alice:stopped']);
  });
});
