import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openPlex } from '../../src/servers/plex/index.js';
import type { PlexDemoServer } from '../../src/servers/plex/demo/index.js';
import { openOutbox } from '../../src/sync/index.js';
import type { Op } from '../../src/sync/op.js';
import { MovableClock } from '../helpers/movable-clock.js';
import { tempDir } from '../helpers/temp-home.js';

export const IDENTITY = { clientIdentifier: 'attack17-install', version: '0.1.0', deviceName: 'attack17' };
export const SECOND = 10_000_000;

/** A Plex server (the app's) on `url` (the demo, or a proxy in front of it) with the owner's server token. */
export function plexAt(demo: PlexDemoServer, url = demo.url) {
  return openPlex({ baseUrl: url, identity: IDENTITY, token: demo.owner.serverToken, timeoutMs: 3000 });
}

/** A real outbox on a temp queue file, delivering to `url`. */
export async function outboxAt(demo: PlexDemoServer, url = demo.url, clock = new MovableClock()) {
  const { server, client } = plexAt(demo, url);
  const dir = await tempDir();
  const { outbox } = await openOutbox({
    queueFile: join(dir, 'queue.json'),
    lockFile: join(dir, 'queue.lock'),
    deliver: server.deliver,
    clock,
    account: { kind: server.kind, server: server.url, userId: String(demo.owner.id), userName: demo.owner.username },
    backoff: { baseMs: 50, capMs: 200 },
  });
  onTestFinished(() => outbox.close());
  return { outbox, server, client, clock, dir };
}

/** An op as the queue holds it. */
export function op(fields: Partial<Op> & Pick<Op, 'itemId' | 'kind'>): Op {
  return { id: `op-${Math.random().toString(36).slice(2)}`, payload: {}, createdAt: new Date().toISOString(), attempts: 0, nextAttemptAt: null, lastError: null, seq: 1, ...fields };
}
