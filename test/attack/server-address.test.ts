import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/sync/index.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import type { OpAccount } from '../../src/sync/op.js';
import { signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer();

/**
 * Attack on item 5 (per-account queue): an account is keyed by the server's *address* as typed,
 * not by the server itself (Jellyfin's server Id). The same user on the same server, reached by
 * another address, is taken for another account. The everyday case: the server moves (a new
 * domain, https behind a reverse proxy, a new port, a LAN address instead of the public one);
 * the old address stops answering, so the account switch cannot drain the old queue; the user
 * signs in at the new address as the same user, and every update queued under the old address
 * waits "for demo on http://old" for ever: `sync` exits 0 ("Synced"/"Nothing pending for demo")
 * and the positions and marks never reach the server they were made on.
 */
describe('the same user on the same server at another address', () => {
  it("delivers the updates queued under the server's old address", async () => {
    const demo = server();
    const client = await signedInClient(demo);
    const userId = client.userId!;
    const item = demo.library.first('Movie', (m) => demo.userData('demo', m.id).Played !== true);
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const lockFile = join(dir, 'queue.lock');
    // Given a mark queued while the server was at an address that no longer answers
    const old: OpAccount = { server: 'http://127.0.0.1:1', userId, userName: 'demo' };
    const unreachable = { send: () => Promise.reject(Object.assign(new Error('refused'), { kind: 'retryable', offline: true })), probe: () => Promise.reject(new Error('refused')) };
    const first = await openOutbox({ queueFile, lockFile, deliver: unreachable, account: old });
    await first.outbox.enqueue({ itemId: item.id, kind: 'played' });
    await first.outbox.close();
    // When the same user signs in at the server's new address
    const now: OpAccount = { server: client.serverUrl, userId, userName: 'demo' };
    const { outbox } = await openOutbox({ queueFile, lockFile, deliver: new JellyfinDeliver(client), account: now });
    try {
      // Then the mark reaches the server (it is the same server, the same user)
      await eventually(() => expect(demo.userData('demo', item.id).Played).toBe(true), 2000);
    } finally {
      await outbox.close();
    }
  });
});
