import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Low, Memory } from 'lowdb';
import { describe, expect, it } from 'vitest';
import { AtomicTextFile } from '../../src/sync/atomic-json-file.js';
import { openOutbox } from '../../src/sync/index.js';
import { Outbox } from '../../src/sync/outbox.js';
import { emptyQueue, type Op, type OpAccount, type QueueData } from '../../src/sync/op.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { seededRandom } from '../../src/servers/jellyfin/demo/library.js';
import { REFUSED, ScriptedDeliver, UNAVAILABLE } from '../helpers/scripted-deliver.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const S = 10_000_000;
const DAY = 24 * 60 * 60 * 1000;

function fileOps(queueFile: string): Op[] {
  try {
    return (JSON.parse(readFileSync(queueFile, 'utf8')) as QueueData).ops;
  } catch {
    return [];
  }
}

/**
 * The scripted server, which also looks at the queue file the instant each op leaves: what a
 * crash at that instant would leave for the next start to send. (Scripted, not the demo server:
 * the engine runs in virtual time here; the queue file is real.)
 */
class WatchingDeliver extends ScriptedDeliver {
  readonly fileAtSend: Array<{ op: Op; file: Op[] }> = [];
  constructor(private readonly queueFile: string) {
    super();
  }
  override async send(op: Op, context: { signal: AbortSignal }) {
    this.fileAtSend.push({ op: structuredClone(op), file: fileOps(this.queueFile).filter((queued) => queued.itemId === op.itemId) });
    return super.send(op, context);
  }
}

async function fileEngine(options: { account?: OpAccount } = {}) {
  const dir = await tempDir();
  const queueFile = join(dir, 'queue.json');
  const clock = new FakeClock();
  const deliver = new WatchingDeliver(queueFile);
  const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver, clock, random: () => 0.5, ...options });
  return { outbox, deliver, clock, queueFile, dir, close: () => outbox.close() };
}

/** Whether, at any send, the file held an update of that item older than the one sent. */
function olderInFileAtSend(deliver: WatchingDeliver): Array<{ sent: string; inFile: string[] }> {
  const label = (op: Op) => `${op.kind}@${(op.payload.positionTicks ?? 0) / S}#${op.seq}`;
  return deliver.fileAtSend
    .filter(({ op, file }) => file.some((queued) => queued.seq < op.seq))
    .map(({ op, file }) => ({ sent: label(op), inFile: file.map(label) }));
}

describe('write first, then send', () => {
  it('never sends a seek while the queue file still holds the position before it (a crash would move the server back)', async () => {
    const engine = await fileEngine();
    try {
      // Given progress at 75 s written to the queue file while the server could not be reached
      engine.deliver.fallback = REFUSED;
      engine.deliver.probeFallback = REFUSED;
      await engine.outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 75 * S } });
      await engine.clock.advance(5000);
      await eventually(() => expect(fileOps(engine.queueFile).map((op) => op.payload.positionTicks)).toEqual([75 * S]));
      // And the server back: 75 s is delivered, while the file still holds it
      engine.deliver.fallback = 'delivered';
      engine.outbox.serverReachable();
      await eventually(() => expect(engine.deliver.sent.map((op) => op.payload.positionTicks)).toEqual([75 * S, 75 * S]));
      expect(fileOps(engine.queueFile).map((op) => op.payload.positionTicks)).toEqual([75 * S]);
      // When the viewer seeks to 140 s, sent at once
      await engine.outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 140 * S, urgent: true } });
      await eventually(() => expect(engine.deliver.sent.at(-1)?.payload.positionTicks).toBe(140 * S));
      // Then, the instant it left, the file no longer held 75 s: a crash there replays 140 s at worst
      expect(olderInFileAtSend(engine.deliver)).toEqual([]);
      expect(engine.deliver.fileAtSend.at(-1)!.file.map((op) => op.payload.positionTicks)).toEqual([140 * S]);
    } finally {
      await engine.close();
    }
  });

  it('has a stop or a mark in the queue file before it is sent', async () => {
    const engine = await fileEngine();
    try {
      // When a stop and two marks are queued, each for its own item
      await engine.outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 9 * S } });
      await engine.outbox.enqueue({ itemId: 'b', kind: 'played' });
      await engine.outbox.enqueue({ itemId: 'c', kind: 'unplayed' });
      await eventually(() => expect(engine.deliver.sent).toHaveLength(3));
      // Then each was in the file when it left
      for (const { op, file } of engine.deliver.fileAtSend) expect(file.map((queued) => queued.id)).toContain(op.id);
    } finally {
      await engine.close();
    }
  });

  it('holds the invariant through a seeded storm of ticks, seeks, pauses, stops, marks and failures', async () => {
    const engine = await fileEngine();
    const random = seededRandom(Number(process.env.EDGE_SEED ?? 12));
    try {
      for (let step = 0; step < 300; step++) {
        const item = `item-${Math.floor(random() * 4)}`;
        const roll = random();
        if (roll < 0.1) engine.deliver.script.push(random() < 0.5 ? REFUSED : UNAVAILABLE);
        const position = Math.floor(random() * 3000) * S;
        if (roll < 0.55) await engine.outbox.enqueue({ itemId: item, kind: 'progress', payload: { positionTicks: position } });
        else if (roll < 0.75) await engine.outbox.enqueue({ itemId: item, kind: 'progress', payload: { positionTicks: position, urgent: true } });
        else if (roll < 0.9) await engine.outbox.enqueue({ itemId: item, kind: 'stopped', payload: { positionTicks: position } });
        else await engine.outbox.enqueue({ itemId: item, kind: random() < 0.5 ? 'played' : 'unplayed' });
        await engine.clock.advance(Math.floor(random() * 4000));
      }
      // (virtual time goes on while the real file writes complete)
      await eventually(async () => {
        await engine.clock.advance(60_000);
        expect(engine.outbox.status().pending).toBe(0);
      }, 20_000);
      expect(engine.deliver.fileAtSend.length).toBeGreaterThan(100);
      expect(olderInFileAtSend(engine.deliver)).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describe('queue writes during live playback', () => {
  /** The scripted server answering each report 200 ms (virtual) after it left. */
  class SlowServer extends WatchingDeliver {
    constructor(queueFile: string, private readonly clock: FakeClock) {
      super(queueFile);
    }
    override async send(op: Op, context: { signal: AbortSignal }) {
      const answer = await super.send(op, context);
      await new Promise((resolve, reject) => {
        if (context.signal.aborted) return reject(new Error('aborted'));
        this.clock.setTimeout(() => resolve(undefined), 200);
        context.signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
      return answer;
    }
  }

  /**
   * An engine on a real queue file whose every write is still under way when the next update
   * comes: each write waits for `landWrites()` (virtual time cannot slow a real disk down).
   */
  async function slowDiskEngine() {
    const queueFile = join(await tempDir(), 'queue.json');
    const file = new AtomicTextFile(queueFile);
    const clock = new FakeClock();
    const writes: number[] = [];
    const waiting: Array<() => void> = [];
    const landing: Array<Promise<void>> = [];
    let slowDisk = true;
    const db = new Low<QueueData>(
      {
        read: async () => null,
        write: (data) => {
          writes.push(clock.now());
          const text = JSON.stringify(data);
          const written = (slowDisk ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()).then(() => file.write(text));
          landing.push(written);
          return written;
        },
      },
      emptyQueue(),
    );
    const deliver = new SlowServer(queueFile, clock);
    const outbox = new Outbox({ db, deliver, clock, random: () => 0.5 });
    const landWrites = async () => {
      for (const write of waiting.splice(0)) write();
      await Promise.all(landing.splice(0));
    };
    const close = async () => {
      slowDisk = false;
      await landWrites();
      await outbox.close();
    };
    return { outbox, deliver, clock, writes, landWrites, close };
  }

  it('writes the queue at most once per flush interval: a report never forces a write of its own, and the footer stays synced', async () => {
    // Given a playback reporting its position every 3 s for two minutes (its reports' 10-second
    // slots fall between the flushes)
    const engine = await slowDiskEngine();
    const states = new Set<string>();
    try {
      for (let second = 0; second < 120; second += 3) {
        await engine.outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: second * S } });
        // (each write takes up to 100 ms)
        for (let step = 0; step < 30; step++) {
          await engine.landWrites();
          await engine.clock.advance(100);
        }
        states.add(engine.outbox.status().state);
      }
      // Then no two writes came closer than the 5-second flush
      const gaps = engine.writes.slice(1).map((at, i) => at - engine.writes[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5000);
      // And the position still reached the server about every 10 s, never ahead of the file
      expect(engine.deliver.sent.length).toBeGreaterThanOrEqual(10);
      expect(olderInFileAtSend(engine.deliver)).toEqual([]);
      // And between reports the footer said synced
      expect([...states]).toEqual(['idle']);
    } finally {
      await engine.close();
    }
  });

  it('writes a seek once before sending it, not once more for each tick that comes while that write lands', async () => {
    // Given a playback ticking every second, its first report sent
    const engine = await slowDiskEngine();
    try {
      for (let second = 0; second < 7; second++) {
        await engine.outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: second * S } });
        await engine.landWrites();
        await engine.clock.advance(1000);
      }
      const before = engine.writes.length;
      // When the viewer seeks, and the next tick comes while the seek is being written
      await engine.outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 600 * S, urgent: true } });
      await settle();
      await engine.outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 601 * S } });
      await engine.landWrites();
      await engine.clock.advance(300);
      // Then the seek went out after one write of its own
      expect(engine.deliver.sent.at(-1)!.payload.positionTicks).toBe(600 * S);
      expect(engine.writes.length - before).toBe(1);
      expect(olderInFileAtSend(engine.deliver)).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

function memoryEngine(options: { account?: OpAccount; data?: QueueData } = {}) {
  const clock = new FakeClock();
  const deliver = new ScriptedDeliver();
  const db = new Low<QueueData>(new Memory<QueueData>(), options.data ?? emptyQueue());
  db.data = options.data ?? emptyQueue();
  const outbox = new Outbox({ db, deliver, clock, random: () => 0.5, ...(options.account ? { account: options.account } : {}) });
  return { clock, deliver, db, outbox };
}

describe('waits the engine can take', () => {
  it.each([
    ['30 days', 30 * DAY],
    ['a year', 365 * DAY],
    ['past what a Date can hold', Number.MAX_SAFE_INTEGER],
  ])('caps a Retry-After of %s at the 5-minute backoff cap: no retry storm, no crash', async (_name, retryAfterMs) => {
    // Given a server that asks to wait that long
    const { outbox, deliver, clock } = memoryEngine();
    deliver.script.push({ kind: 'retryable', status: 503, retryAfterMs });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    // Then the next try is at most five minutes away, and happens then
    const status = outbox.status();
    expect(status.state).toBe('retrying');
    expect(status.nextRetryAt! - clock.now()).toBeLessThanOrEqual(5 * 60_000);
    await clock.advance(5 * 60_000);
    expect(deliver.sent).toHaveLength(2);
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });
});

describe('offline ends when the server answers', () => {
  it('probes at once on r without lengthening the wait, however often r is pressed', async () => {
    // Given the server unreachable, the engine probing on its backoff
    const { outbox, deliver } = memoryEngine();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    const scheduled = outbox.status().nextRetryAt;
    expect(outbox.status().state).toBe('offline');
    // When r is pressed five times, each after the last probe failed
    for (let press = 0; press < 5; press++) {
      outbox.retryNow();
      await settle();
    }
    // Then each press probed, and the next scheduled try did not move
    expect(deliver.probes).toBe(5);
    expect(outbox.status()).toMatchObject({ state: 'offline', nextRetryAt: scheduled, attempts: 1 });
  });

  it('drains at once when another request to the server succeeds, without waiting for the probe', async () => {
    // Given the engine offline with the next probe minutes away
    const { outbox, deliver, clock } = memoryEngine();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    for (let i = 0; i < 8; i++) await clock.advance(outbox.status().nextRetryAt! - clock.now());
    expect(outbox.status().nextRetryAt! - clock.now()).toBeGreaterThan(60_000);
    // When a list loads fine from the server
    deliver.fallback = 'delivered';
    outbox.serverReachable();
    await settle();
    // Then offline is over and the queue has drained
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });
});

describe('accounts in the queue', () => {
  const alice: OpAccount = { server: 'https://jf.example', userId: 'a11ce', userName: 'alice' };
  const bob: OpAccount = { server: 'https://jf.example', userId: 'b0b', userName: 'bob' };

  it("delivers only the signed-in account's updates and keeps another's for when it signs in", async () => {
    // Given alice's update in the queue, and bob signed in
    const first = memoryEngine({ account: alice });
    first.deliver.fallback = REFUSED;
    first.deliver.probeFallback = REFUSED;
    await first.outbox.enqueue({ itemId: 'film', kind: 'played' });
    await first.outbox.close();
    const asBob = memoryEngine({ account: bob, data: structuredClone(first.db.data) });
    await asBob.outbox.enqueue({ itemId: 'show', kind: 'played' });
    await settle();
    // Then bob's lands, alice's is kept, counted apart, and nothing waits on it
    expect(asBob.deliver.sent.map((op) => op.itemId)).toEqual(['show']);
    expect(asBob.outbox.status()).toMatchObject({ state: 'idle', pending: 0, otherAccounts: 1 });
    await expect(asBob.outbox.settle({ timeoutMs: 1000 })).resolves.toMatchObject({ settled: true });
    expect(asBob.outbox.pendingOps()).toMatchObject([{ itemId: 'film', account: { userName: 'alice' } }]);
    // When alice signs in again, hers lands
    const asAlice = memoryEngine({ account: alice, data: structuredClone(asBob.db.data) });
    asAlice.outbox.retryNow();
    await settle();
    expect(asAlice.deliver.sent.map((op) => op.itemId)).toEqual(['film']);
    expect(asAlice.outbox.status()).toMatchObject({ pending: 0, otherAccounts: 0 });
  });

  it('lets the first account to open a queue from before accounts adopt its updates', async () => {
    const data = emptyQueue();
    data.ops.push({ id: 'old', itemId: 'film', kind: 'played', payload: {}, createdAt: new Date().toISOString(), attempts: 0, nextAttemptAt: null, lastError: null, seq: 1 });
    data.seq = 1;
    const { outbox, deliver } = memoryEngine({ account: alice, data });
    outbox.retryNow();
    await settle();
    expect(deliver.sent).toMatchObject([{ id: 'old', account: alice }]);
  });
});

describe('attempts shown are attempts made', () => {
  it('keeps the failed attempts when newer progress replaces the update that failed', async () => {
    // Given progress that failed three times with a 503
    const { outbox, deliver, clock } = memoryEngine();
    deliver.fallback = UNAVAILABLE;
    await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 10 * S } });
    while (outbox.status().attempts < 3) await clock.advance(outbox.status().nextRetryAt! - clock.now());
    expect(outbox.pendingOps()).toMatchObject([{ attempts: 3 }]);
    // When a newer tick replaces it
    await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 20 * S } });
    // Then the queue (and so --pending) still counts three attempts, as the footer does
    expect(outbox.pendingOps()).toMatchObject([{ payload: { positionTicks: 20 * S }, attempts: 3 }]);
    expect(outbox.status()).toMatchObject({ state: 'retrying', attempts: 3 });
  });
});
