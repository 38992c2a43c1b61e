import { Low, Memory } from 'lowdb';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxOptions } from '../../src/sync/outbox.js';
import { emptyQueue, type QueueData } from '../../src/sync/op.js';
import type { SyncStatus } from '../../src/sync/status.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { REFUSED, ScriptedDeliver, UNAVAILABLE } from '../helpers/scripted-deliver.js';

// These tests drive the engine in virtual time, so the queue lives in lowdb's Memory adapter
// (file behaviour is covered against real files in queue-file.test.ts and crash.test.ts).
function setup(options: Partial<OutboxOptions> = {}) {
  const clock = new FakeClock();
  const deliver = new ScriptedDeliver();
  const db = new Low<QueueData>(new Memory<QueueData>(), emptyQueue());
  const outbox = new Outbox({ db, deliver, clock, random: () => 0.5, ...options });
  const statuses: SyncStatus[] = [];
  outbox.subscribe((s) => statuses.push(s));
  return { clock, deliver, db, outbox, statuses };
}

describe('Outbox delivery', () => {
  it('delivers a stop at once and reports it delivered', async () => {
    const { outbox, deliver } = setup();
    const handle = await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 100 } });
    await expect(handle.outcome).resolves.toBe('delivered');
    expect(deliver.sent.map((op) => op.kind)).toEqual(['stopped']);
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('keeps per-item order and lets other items proceed', async () => {
    const { outbox, deliver } = setup({ concurrency: 1 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await outbox.enqueue({ itemId: 'b', kind: 'stopped', payload: { positionTicks: 5 } });
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 7 } });
    await settle();
    expect(deliver.sent.map((op) => `${op.itemId}:${op.kind}`)).toEqual(['a:played', 'b:stopped', 'a:stopped']);
  });

  it('marks an op superseded when the server already has newer activity', async () => {
    const { outbox, deliver } = setup();
    deliver.script.push('superseded');
    const handle = await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await expect(handle.outcome).resolves.toBe('superseded');
    expect(outbox.status().pending).toBe(0);
  });
});

describe('Outbox coalescing', () => {
  it('turns one hundred offline progress ticks into one op with the latest position', async () => {
    // Given the server is unreachable
    const { outbox, deliver, clock } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 0 } });
    await settle();
    // When a hundred more ticks arrive
    for (let i = 1; i <= 100; i++) {
      await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: i * 10_000_000 } });
      await clock.advance(1000);
    }
    // Then one op holds the latest position
    const pending = outbox.pendingOps();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: 'progress', payload: { positionTicks: 1_000_000_000 } });
    // And after recovery exactly that position is sent once
    deliver.fallback = 'delivered';
    deliver.probeFallback = 'ok';
    deliver.sent.length = 0;
    outbox.retryNow();
    await settle();
    expect(deliver.sent.map((op) => op.payload.positionTicks)).toEqual([1_000_000_000]);
  });

  it('leaves an item watched after watched, unwatched, watched while offline', async () => {
    const { outbox, deliver } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'x', kind: 'progress', payload: { positionTicks: 1 } });
    await settle();
    await outbox.enqueue({ itemId: 'x', kind: 'played' });
    await outbox.enqueue({ itemId: 'x', kind: 'unplayed' });
    await outbox.enqueue({ itemId: 'x', kind: 'played' });
    expect(outbox.pendingOps().map((op) => op.kind)).toEqual(['progress', 'played']);
  });

  it('lets a stop absorb queued progress of the same item', async () => {
    const { outbox, deliver } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'y', kind: 'played' });
    await settle();
    await outbox.enqueue({ itemId: 'y', kind: 'progress', payload: { positionTicks: 5 } });
    await outbox.enqueue({ itemId: 'y', kind: 'stopped', payload: { positionTicks: 9 } });
    expect(outbox.pendingOps().map((op) => op.kind)).toEqual(['played', 'stopped']);
  });

  it('never replaces an op that is in flight', async () => {
    const { outbox, deliver } = setup();
    deliver.script.push('hang');
    await outbox.enqueue({ itemId: 'z', kind: 'stopped', payload: { positionTicks: 1 } });
    await settle();
    await outbox.enqueue({ itemId: 'z', kind: 'stopped', payload: { positionTicks: 2 } });
    expect(outbox.pendingOps().map((op) => op.payload.positionTicks)).toEqual([1, 2]);
    await outbox.close();
  });

  it('retries only the newer op when an in-flight one fails after a newer one was queued', async () => {
    // Given a stop in flight when the server stops answering
    const { outbox, deliver, clock } = setup();
    deliver.script.push(UNAVAILABLE);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const send = deliver.send.bind(deliver);
    deliver.send = async (op, context) => {
      if (deliver.sent.length === 0) await gate;
      return send(op, context);
    };
    const first = await outbox.enqueue({ itemId: 'z', kind: 'stopped', payload: { positionTicks: 1 } });
    await settle();
    // When the user stops again at a later position before that send fails
    const second = await outbox.enqueue({ itemId: 'z', kind: 'stopped', payload: { positionTicks: 2 } });
    release();
    await settle();
    await clock.advance(5 * 60_000);
    // Then only the later stop is sent again, and both waiters learn it landed
    expect(deliver.sent.map((op) => op.payload.positionTicks)).toEqual([1, 2]);
    await expect(first.outcome).resolves.toBe('delivered');
    await expect(second.outcome).resolves.toBe('delivered');
    expect(outbox.status().pending).toBe(0);
  });

  it('settles a replaced op with the outcome of the op that replaced it', async () => {
    const { outbox, deliver } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'q', kind: 'played' });
    await settle();
    const first = await outbox.enqueue({ itemId: 'q', kind: 'unplayed' });
    await outbox.enqueue({ itemId: 'q', kind: 'played' });
    deliver.fallback = 'delivered';
    deliver.probeFallback = 'ok';
    outbox.retryNow();
    await expect(first.outcome).resolves.toBe('delivered');
  });

  it('sends progress of a playing item at most once per progress interval, but pauses at once', async () => {
    // Given live playback ticking four times a second for a minute
    const { outbox, deliver, clock } = setup({ progressIntervalMs: 10_000 });
    for (let i = 0; i < 240; i++) {
      await outbox.enqueue({ itemId: 'live', kind: 'progress', payload: { positionTicks: i } });
      await clock.advance(250);
    }
    // Then about one report per 10 s reached the server
    expect(deliver.sent.length).toBeGreaterThanOrEqual(6);
    expect(deliver.sent.length).toBeLessThanOrEqual(7);
    // When the user pauses, that report goes out without waiting
    const before = deliver.sent.length;
    await outbox.enqueue({ itemId: 'live', kind: 'progress', payload: { positionTicks: 999, paused: true, urgent: true } });
    await settle();
    expect(deliver.sent.length).toBe(before + 1);
    expect(deliver.sent.at(-1)?.payload).toMatchObject({ positionTicks: 999, paused: true });
  });
});

describe('Outbox status during playback', () => {
  it('stays "synced" while a playing item\'s progress waits for its slot, and says syncing when it goes', async () => {
    // Given a playback whose first report has gone out
    const { outbox, deliver, clock } = setup({ progressIntervalMs: 10_000 });
    await outbox.enqueue({ itemId: 'live', kind: 'progress', payload: { positionTicks: 1 } });
    await settle();
    expect(deliver.sent).toHaveLength(1);
    // When the next ticks wait for the 10-second slot
    await clock.advance(1000);
    await outbox.enqueue({ itemId: 'live', kind: 'progress', payload: { positionTicks: 2 } });
    // Then the engine is not busy, though the tick is kept
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 1 });
    // And while the report is in flight it says syncing
    deliver.script.push('hang');
    await clock.advance(9000);
    expect(outbox.status()).toMatchObject({ state: 'syncing', inFlight: 1 });
    await outbox.close();
  });
});

describe('Outbox retry and backoff', () => {
  it('pauses the drain on a retryable failure and retries the same op after the backoff', async () => {
    // Given a 503 for the first attempt
    const { outbox, deliver, clock } = setup({ concurrency: 1 });
    deliver.script.push(UNAVAILABLE);
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await outbox.enqueue({ itemId: 'b', kind: 'played' });
    await settle();
    // Then the drain stops: nothing after the failed op was sent
    expect(deliver.sent.map((op) => op.itemId)).toEqual(['a']);
    const status = outbox.status();
    expect(status).toMatchObject({ state: 'retrying', attempts: 1, pending: 2 });
    expect(outbox.pendingOps()[0]).toMatchObject({ itemId: 'a', attempts: 1 });
    // When the backoff (random 0.5 of 1 s) passes
    await clock.advance(500);
    // Then the same op (same id) goes again, followed by the rest
    expect(deliver.sent.map((op) => op.itemId)).toEqual(['a', 'a', 'b']);
    expect(deliver.sent[0]!.id).toBe(deliver.sent[1]!.id);
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0, attempts: 0 });
  });

  it('waits at least Retry-After before the next attempt', async () => {
    const { outbox, deliver, clock } = setup();
    deliver.script.push({ kind: 'retryable', status: 429, retryAfterMs: 30_000 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    await clock.advance(29_999);
    expect(deliver.sent).toHaveLength(1);
    await clock.advance(1);
    expect(deliver.sent).toHaveLength(2);
  });

  it('survives five minutes of 503 and delivers every op exactly once, in order per item', async () => {
    const { outbox, deliver, clock } = setup({ random: () => 0.999 });
    deliver.fallback = UNAVAILABLE;
    for (const item of ['a', 'b', 'c']) {
      await outbox.enqueue({ itemId: item, kind: 'played' });
      await outbox.enqueue({ itemId: item, kind: 'stopped', payload: { positionTicks: 42 } });
    }
    await clock.advance(5 * 60_000);
    deliver.fallback = 'delivered';
    const failedSends = deliver.sent.length;
    await clock.advance(5 * 60_000);
    const delivered = deliver.sent.slice(failedSends);
    // The first op after recovery was the one that kept failing; every op lands once.
    const landed = new Map<string, string[]>();
    for (const op of delivered) landed.set(op.itemId, [...(landed.get(op.itemId) ?? []), op.kind]);
    expect(Object.fromEntries(landed)).toEqual({ a: ['played', 'stopped'], b: ['played', 'stopped'], c: ['played', 'stopped'] });
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('keeps every backoff delay within full-jitter bounds and the cap', async () => {
    const { outbox, deliver, clock } = setup({ random: () => 0.999_999 });
    deliver.fallback = UNAVAILABLE;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    let previous = clock.now();
    const gaps: number[] = [];
    for (let i = 0; i < 14; i++) {
      const next = outbox.status().nextRetryAt!;
      gaps.push(next - previous);
      await clock.advance(next - clock.now());
      previous = next;
    }
    gaps.forEach((gap, n) => expect(gap).toBeLessThanOrEqual(Math.min(300_000, 1000 * 2 ** n)));
    expect(Math.max(...gaps)).toBeGreaterThan(299_000);
  });
});

describe('Outbox offline mode', () => {
  it('only probes while offline, without spending op attempts, and drains at once on the first success', async () => {
    // Given the server refuses connections
    const { outbox, deliver, clock } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await outbox.enqueue({ itemId: 'b', kind: 'played' });
    await settle();
    const sendsWhenOffline = deliver.sent.length;
    expect(outbox.status().state).toBe('offline');
    // When ten minutes pass offline
    await clock.advance(10 * 60_000);
    // Then only probes were sent and op attempts did not climb
    expect(deliver.sent.length).toBe(sendsWhenOffline);
    expect(deliver.probes).toBeGreaterThan(3);
    const attempts = outbox.pendingOps().map((op) => op.attempts);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(1);
    // When the probe succeeds
    deliver.fallback = 'delivered';
    deliver.probeFallback = 'ok';
    const nextProbe = outbox.status().nextRetryAt!;
    await clock.advance(nextProbe - clock.now());
    // Then the queue drains without further waiting
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('makes exactly one probe when force-retry is pressed twice during a backoff wait', async () => {
    const { outbox, deliver } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    const probesBefore = deliver.probes;
    deliver.probeFallback = 'ok';
    deliver.fallback = 'delivered';
    outbox.retryNow();
    outbox.retryNow();
    await settle();
    expect(deliver.probes).toBe(probesBefore + 1);
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('makes exactly one attempt when force-retry is pressed twice during a 503 backoff', async () => {
    const { outbox, deliver } = setup();
    deliver.script.push(UNAVAILABLE, 'hang');
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    outbox.retryNow();
    outbox.retryNow();
    await settle();
    expect(deliver.sent).toHaveLength(2);
    await outbox.close();
  });
});

describe('Outbox auth and dead letters', () => {
  it('pauses everything on 401 without spending attempts, and resumes after sign-in', async () => {
    const { outbox, deliver, clock } = setup();
    deliver.script.push({ kind: 'auth', status: 401 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await outbox.enqueue({ itemId: 'b', kind: 'played' });
    await settle();
    expect(outbox.status()).toMatchObject({ state: 'auth', pending: 2 });
    const sent = deliver.sent.length;
    await clock.advance(60 * 60_000);
    expect(deliver.sent.length).toBe(sent);
    expect(outbox.pendingOps().every((op) => op.attempts === 0)).toBe(true);
    outbox.resumeAfterSignIn();
    await settle();
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('dead-letters a 404 at once, keeps it visible, and lets other ops through', async () => {
    const { outbox, deliver } = setup({ concurrency: 1 });
    deliver.script.push({ kind: 'permanent', status: 404 });
    const gone = await outbox.enqueue({ itemId: 'deleted', kind: 'played' });
    await outbox.enqueue({ itemId: 'ok', kind: 'played' });
    await expect(gone.outcome).resolves.toBe('dead-lettered');
    await settle();
    expect(outbox.deadLetters()).toHaveLength(1);
    expect(outbox.deadLetters()[0]).toMatchObject({ reason: 'permanent', op: { itemId: 'deleted' } });
    expect(outbox.status()).toMatchObject({ pending: 0, deadLetters: 1 });
    expect(deliver.sent.filter((op) => op.itemId === 'deleted')).toHaveLength(1);
  });

  it('retries or discards a dead letter on request', async () => {
    const { outbox, deliver } = setup();
    deliver.script.push({ kind: 'permanent', status: 400 }, { kind: 'permanent', status: 400 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await outbox.enqueue({ itemId: 'b', kind: 'played' });
    await settle();
    const [first, second] = outbox.deadLetters();
    expect(await outbox.retryDeadLetter(first!.op.id)).toBe(true);
    await settle();
    expect(deliver.sent.filter((op) => op.itemId === first!.op.itemId)).toHaveLength(2);
    expect(await outbox.discardDeadLetter(second!.op.id)).toBe(true);
    expect(outbox.status()).toMatchObject({ pending: 0, deadLetters: 0 });
  });

  it('keeps an op the server judges too old as an expired dead letter, and sends it anyway when the user retries it', async () => {
    // Given the deliverer finds, on the server's clock, that the op is too old to replay blindly
    const { outbox, deliver } = setup();
    deliver.script.push('expired');
    const handle = await outbox.enqueue({ itemId: 'a', kind: 'played', at: new Date(Date.parse('2026-10-01T10:00:00Z')) });
    // Then it is kept, visible, as expired
    await expect(handle.outcome).resolves.toBe('dead-lettered');
    expect(outbox.deadLetters()[0]).toMatchObject({ reason: 'expired', op: { itemId: 'a' } });
    expect(outbox.status()).toMatchObject({ deadLetters: 1, expired: 1, pending: 0 });
    // When the user retries it, it goes out marked to be delivered whatever its age
    expect(await outbox.retryDeadLetters()).toBe(1);
    await settle();
    expect(deliver.sent.at(-1)).toMatchObject({ itemId: 'a', anyAge: true });
    expect(outbox.status()).toMatchObject({ deadLetters: 0, expired: 0, pending: 0 });
  });
});

describe('Outbox settle and status', () => {
  it('settles an item as soon as its ops land', async () => {
    const { outbox } = setup();
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
    await expect(outbox.settle({ itemId: 'a', timeoutMs: 3000 })).resolves.toEqual({ settled: true, pending: 0 });
  });

  it('gives up waiting after the timeout and says how much stays queued', async () => {
    const { outbox, deliver, clock } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
    const waiting = outbox.settle({ timeoutMs: 3000 });
    await clock.advance(3000);
    await expect(waiting).resolves.toEqual({ settled: false, pending: 1, reason: 'timeout' });
    expect(outbox.pendingOps()).toHaveLength(1);
  });

  it('sends throttled progress at once while someone waits for it to settle', async () => {
    const { outbox, deliver } = setup();
    await outbox.enqueue({ itemId: 'a', kind: 'progress', payload: { positionTicks: 1 } });
    await settle();
    await outbox.enqueue({ itemId: 'a', kind: 'progress', payload: { positionTicks: 2 } });
    await settle();
    expect(deliver.sent).toHaveLength(1);
    await expect(outbox.settle({ itemId: 'a', timeoutMs: 3000 })).resolves.toMatchObject({ settled: true });
    expect(deliver.sent.map((op) => op.payload.positionTicks)).toEqual([1, 2]);
  });

  it('returns at once while signed out', async () => {
    const { outbox, deliver } = setup();
    deliver.script.push({ kind: 'auth', status: 401 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    await expect(outbox.settle({ timeoutMs: 60_000 })).resolves.toEqual({ settled: false, pending: 1, reason: 'auth' });
  });

  it('publishes each change of state once: syncing, then idle', async () => {
    const { outbox, statuses } = setup();
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    // (written first, then sent: the snapshot changes as the request leaves, the state does not)
    expect(statuses.map((s) => s.state).filter((state, i, all) => state !== all[i - 1])).toEqual(['syncing', 'idle']);
    expect(statuses.at(-1)!.lastSyncedAt).not.toBeNull();
  });

  it('aborts the request in flight on close and keeps its op queued', async () => {
    const { outbox, deliver, db } = setup();
    deliver.script.push('hang');
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 3 } });
    await settle();
    await outbox.close();
    expect(deliver.aborted).toBe(1);
    expect(db.data.ops.map((op) => op.itemId)).toEqual(['a']);
  });
});

describe('Outbox discard', () => {
  it('drops a queued op the user gives up on, and its waiters learn so', async () => {
    const { outbox, deliver } = setup();
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    const handle = await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    expect(await outbox.discardPending(handle.id)).toBe(true);
    await expect(handle.outcome).resolves.toBe('discarded');
    expect(outbox.status().pending).toBe(0);
  });

  it('refuses to drop an op that is in flight', async () => {
    const { outbox, deliver } = setup();
    deliver.script.push('hang');
    const handle = await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    expect(await outbox.discardPending(handle.id)).toBe(false);
    expect(outbox.status().pending).toBe(1);
    await outbox.close();
  });
});
