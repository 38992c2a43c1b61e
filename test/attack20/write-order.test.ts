import { readFileSync } from 'node:fs';
import { readFile, stat, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import type { Deliver } from '../../src/sync/deliver.js';
import { openOutbox } from '../../src/sync/index.js';
import type { Op } from '../../src/sync/op.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { tempDir } from '../helpers/temp-home.js';

// Writes begun in the caller's turn, chained, shared and cut short by a close, with a real queue
// file; the deliverer is a stand-in (no server takes part) that looks at the file on disk as
// each op leaves: nothing may leave before the file holds it (a stop, a mark), nor while the
// file holds an older update of its item (a crash would replay it after the newer one).
const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
const unreachable = { send: refused, probe: refused };

async function itemsIn(file: string): Promise<string[] | string> {
  const read = await readQueueFile(file);
  return read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : read.status;
}

/** A server that takes every op a moment after it is sent, checking the queue file then. */
function watchingServer(queueFile: string) {
  const sent: Op[] = [];
  const broken: string[] = [];
  const deliver: Deliver = {
    async send(op) {
      const onDisk = (JSON.parse(readFileSync(queueFile, 'utf8')) as { ops: Op[] }).ops;
      if (op.kind !== 'progress' && op.kind !== 'started' && !onDisk.some((other) => other.id === op.id)) broken.push(`${op.kind} ${op.itemId}#${op.seq} sent before it was on disk`);
      for (const other of onDisk) {
        if (other.itemId === op.itemId && other.seq < op.seq) broken.push(`${op.kind} ${op.itemId}#${op.seq} sent while the file held ${other.kind}#${other.seq}`);
      }
      sent.push(structuredClone(op));
      await new Promise((resolve) => setTimeout(resolve, 1));
      return 'delivered';
    },
    probe: async () => undefined,
  };
  return { deliver, sent, broken };
}

describe('queue writes under pressure', () => {
  it('sends nothing ahead of the file when many updates come in one turn, and delivers them in order', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const server = watchingServer(queueFile);
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: server.deliver, flushIntervalMs: 5, progressIntervalMs: 0 });
    try {
      // 300 updates of 5 items, a few per turn of the event loop, never waiting for one: writes
      // begin, chain and share while deliveries are in flight (a fixed sequence, not a random one)
      const kinds = ['progress', 'progress', 'stopped', 'progress', 'played', 'unplayed', 'stopped'] as const;
      const pending: Array<Promise<unknown>> = [];
      for (let at = 0; at < 300; at++) {
        const kind = kinds[(at * 7 + (at >> 3)) % kinds.length]!;
        const itemId = `item${(at * 3 + (at >> 2)) % 5}`;
        pending.push(outbox.enqueue({ itemId, kind, title: '映画 🎬', payload: { positionTicks: at, ...(at % 4 === 0 ? { urgent: true } : {}) } }));
        if (at % 3 === 2) await new Promise((resolve) => (at % 2 === 0 ? setImmediate(resolve) : setTimeout(resolve, 1)));
      }
      await Promise.all(pending);
      const settled = await outbox.settle({ timeoutMs: 4000 });
      expect(settled.settled).toBe(true);
    } finally {
      await outbox.close();
    }
    expect(server.broken).toEqual([]);
    for (let item = 0; item < 8; item++) {
      const seqs = server.sent.filter((op) => op.itemId === `item${item}`).map((op) => op.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(await itemsIn(queueFile)).toEqual([]);
  });

  it('a close while writes are under way leaves a file with every update, in order', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: unreachable, flushIntervalMs: 60_000 });
    // A write begins with the first stop (in this turn); more come while it is under way, then
    // the quit, all before the first write's fsync answers
    const first = outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
    const second = outbox.enqueue({ itemId: 'b', kind: 'progress', payload: { positionTicks: 2 } });
    const third = outbox.enqueue({ itemId: 'c', kind: 'played' });
    const closed = outbox.close();
    const late = outbox.enqueue({ itemId: 'd', kind: 'played' }).catch((error: unknown) => error);
    await Promise.all([first, second, third, closed]);
    expect(await late).toBeInstanceOf(Error);
    expect(await itemsIn(queueFile)).toEqual(['a', 'b', 'c']);
  });

  it('a close during a large write (past the small limit) waits for it and writes what came since', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: unreachable, flushIntervalMs: 60_000 });
    const title = 'ü'.repeat(3000);
    const many: Array<Promise<unknown>> = [];
    for (let at = 0; at < 100; at++) many.push(outbox.enqueue({ itemId: `i${at}`, kind: 'played', title }));
    await Promise.all(many);
    expect((await readFile(queueFile, 'utf8')).length).toBeGreaterThan(256 * 1024);
    // Shrinks below the limit and grows past it again, the writes chained
    const dropped = outbox.pendingOps().slice(10);
    const drops = dropped.map((op) => outbox.discardPending(op.id));
    const last = outbox.enqueue({ itemId: 'last', kind: 'stopped', title: '🎬'.repeat(10), payload: { positionTicks: 9 } });
    const closed = outbox.close();
    await Promise.all([...drops, last, closed]);
    expect(await itemsIn(queueFile)).toEqual([...Array.from({ length: 10 }, (_, at) => `i${at}`), 'last']);
  });

  it('crosses the small limit both ways, by chars and by bytes, each file whole and private', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: unreachable, flushIntervalMs: 60_000 });
    try {
      // ~85 K chars but ~250 KB (3 bytes each), then ~260 K chars: small by chars then large
      const wide = '映'.repeat(850);
      await Promise.all(Array.from({ length: 100 }, (_, at) => outbox.enqueue({ itemId: `w${at}`, kind: 'played', title: wide })));
      const text = await readFile(queueFile, 'utf8');
      expect(text.length).toBeLessThan(256 * 1024);
      expect(Buffer.byteLength(text)).toBeGreaterThan(250 * 1024);
      await Promise.all(Array.from({ length: 200 }, (_, at) => outbox.enqueue({ itemId: `x${at}`, kind: 'played', title: 'x'.repeat(900) })));
      expect((await readFile(queueFile, 'utf8')).length).toBeGreaterThan(256 * 1024);
      // Back under: discarding most of it
      await Promise.all(outbox.pendingOps().slice(5).map((op) => outbox.discardPending(op.id)));
      expect(await itemsIn(queueFile)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
      // The file made world-readable by hand: the same text written again makes it private
      await chmod(queueFile, 0o644);
      await outbox.close();
      expect((await stat(queueFile)).mode & 0o777).toBe(0o600);
      expect(await itemsIn(queueFile)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    } finally {
      await outbox.close();
    }
  });
});
