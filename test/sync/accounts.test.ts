import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutbox, readQueueFile } from '../../src/sync/index.js';
import { emptyQueue, sameAccount, type Op, type OpAccount } from '../../src/sync/op.js';
import { eventually } from '../helpers/wait.js';
import { tempDir } from '../helpers/temp-home.js';

// Issue 16: every queued update records its server's kind, the server's own id and the user, so
// two kinds of server and two accounts share one queue file without one's updates reaching the other.

const ann: OpAccount = { kind: 'jellyfin', serverId: 'server-1', server: 'https://jf.example', userId: 'u1', userName: 'ann' };

function queued(seq: number, itemId: string, account: OpAccount | undefined): Op {
  return { id: `op-${seq}`, itemId, kind: 'played', payload: {}, createdAt: new Date().toISOString(), attempts: 0, nextAttemptAt: null, lastError: null, seq, title: itemId, ...(account ? { account } : {}) };
}

describe('accounts in the queue', () => {
  it('matches a user by the kind of server, the server and the user, not by the address', () => {
    expect(sameAccount(ann, { ...ann, server: 'https://moved.example' })).toBe(true);
    // (a queue from before kinds and server ids were kept: Jellyfin's, any server of that user id)
    expect(sameAccount(ann, { server: 'https://jf.example', userId: 'u1', userName: 'ann' })).toBe(true);
    expect(sameAccount(ann, { ...ann, kind: 'plex' })).toBe(false);
    expect(sameAccount(ann, { ...ann, serverId: 'server-2' })).toBe(false);
    expect(sameAccount(ann, { ...ann, userId: 'u2' })).toBe(false);
  });

  it('delivers only the signed-in account’s updates from a queue that two kinds and two servers share, and keeps the rest', async () => {
    // Given a queue file with ann's update (one written before kinds were kept), the same user id on
    // another Jellyfin server, and on a Plex server
    const dir = await tempDir();
    const file = join(dir, 'queue.json');
    const ops = [
      queued(1, 'old-format', { server: 'https://jf.example', userId: 'u1', userName: 'ann' }),
      queued(2, 'other-server', { ...ann, serverId: 'server-2', server: 'https://jf2.example' }),
      queued(3, 'plex', { kind: 'plex', serverId: 'plex-machine', server: 'https://plex.example', userId: 'u1', userName: 'ann' }),
      queued(4, 'mine', ann),
    ];
    await writeFile(file, JSON.stringify({ ...emptyQueue(), seq: 4, ops }), { mode: 0o600 });
    const sent: string[] = [];
    const { outbox } = await openOutbox({
      queueFile: file,
      lockFile: join(dir, 'queue.lock'),
      account: ann,
      deliver: { send: async (op) => (sent.push(op.itemId), 'delivered'), probe: async () => undefined },
    });
    // When the engine drains
    await eventually(() => expect(sent.sort()).toEqual(['mine', 'old-format']));
    await outbox.close();
    // Then the other server's and the Plex account's updates are still in the file, each with its kind and server
    const read = await readQueueFile(file);
    expect(read.status).toBe('ok');
    const left = read.status === 'ok' ? read.data.ops.map((op) => [op.itemId, op.account?.kind ?? 'jellyfin', op.account?.serverId]) : [];
    expect(left).toEqual([
      ['other-server', 'jellyfin', 'server-2'],
      ['plex', 'plex', 'plex-machine'],
    ]);
  });
});
