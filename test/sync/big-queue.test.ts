import { Low, Memory } from 'lowdb';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/sync/outbox.js';
import { emptyQueue, sameAccount, type Op, type OpAccount, type QueueData } from '../../src/sync/op.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { ScriptedDeliver } from '../helpers/scripted-deliver.js';

const alice: OpAccount = { kind: 'jellyfin', serverId: 's1', server: 'http://jf', userId: 'alice', userName: 'alice' };
const bob: OpAccount = { kind: 'jellyfin', serverId: 's1', server: 'http://jf', userId: 'bob', userName: 'bob' };

function queued(count: number, account: OpAccount, firstSeq = 1): Op[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${account.userId}-${i}`,
    itemId: `item${i}`,
    kind: i % 2 === 0 ? 'played' : 'stopped',
    payload: i % 2 === 0 ? {} : { positionTicks: 1000 },
    createdAt: new Date(0).toISOString(),
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    seq: firstSeq + i,
    account,
  }));
}

/** The status's counts, counted the slow way over the whole queue. */
function recount(data: QueueData, account: OpAccount) {
  const pending = data.ops.filter((op) => sameAccount(op.account, account)).length;
  return {
    pending,
    otherAccounts: data.ops.length - pending,
    deadLetters: data.deadLetters.length,
    expired: data.deadLetters.filter((d) => d.reason === 'expired').length,
    superseded: data.deadLetters.filter((d) => d.reason === 'superseded').length,
  };
}

describe('Outbox on a big queue', () => {
  it('keeps its counts right through deliveries, dead letters and a queue read again', async () => {
    // Given a queue of alice's and bob's updates, with alice signed in
    const clock = new FakeClock();
    const deliver = new ScriptedDeliver();
    const data: QueueData = { ...emptyQueue(), ops: [...queued(300, alice), ...queued(50, bob, 301)], seq: 350 };
    const db = new Low<QueueData>(new Memory<QueueData>(), data);
    deliver.script.push('superseded', 'expired', 'delivered', 'expired');
    deliver.fallback = 'hang';
    const outbox = new Outbox({ db, deliver, clock, account: alice, concurrency: 4 });
    expect(outbox.status()).toMatchObject(recount(db.data, alice));

    // When a few deliveries end (one superseded by the server, two expired) and the rest hang
    outbox.retryNow();
    await settle();
    expect(outbox.status()).toMatchObject(recount(db.data, alice));
    expect(outbox.status()).toMatchObject({ pending: 296, expired: 2, inFlight: 4 });

    // And the queue is replaced from outside (read again from its file) with bob's ops only
    db.data = { ...emptyQueue(), ops: queued(10, bob), seq: 10 };

    // Then the status counts the new queue, not the one it followed
    expect(outbox.status()).toMatchObject(recount(db.data, alice));
    expect(outbox.status()).toMatchObject({ pending: 0, otherAccounts: 10, deadLetters: 0 });
    await outbox.close();
  });

  it('settles a wait for one item among thousands as soon as that item is delivered', async () => {
    const clock = new FakeClock();
    const deliver = new ScriptedDeliver();
    const db = new Low<QueueData>(new Memory<QueueData>(), { ...emptyQueue(), ops: queued(5000, alice), seq: 5000 });
    const outbox = new Outbox({ db, deliver, clock, account: alice });
    const one = outbox.settle({ itemId: 'item3', timeoutMs: 60_000 });
    outbox.retryNow();
    await expect(one).resolves.toEqual({ settled: true, pending: 0 });
    await expect(outbox.settle({ timeoutMs: 60_000 })).resolves.toEqual({ settled: true, pending: 0 });
    expect(deliver.sent).toHaveLength(5000);
    expect(new Set(deliver.sent.map((op) => op.id)).size).toBe(5000);
    expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0 });
    await outbox.close();
  });
});
