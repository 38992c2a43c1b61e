import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import { tempDir } from '../helpers/temp-home.js';
import { within } from '../helpers/wait.js';
import { join } from 'node:path';

// A server that answers every request badly, in one of these ways (chosen per request by the
// path prefix /<kind>/…): a real HTTP server on loopback, not a mock of the client's insides.
const ANSWERS: Record<string, (response: ServerResponse) => void> = {
  'html-page': (r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please log in to the Wi-Fi</body></html>'),
  'html-error': (r) => r.writeHead(502, { 'content-type': 'text/html' }).end('<html><h1>502 Bad Gateway</h1></html>'),
  'truncated-json': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"Items":[{"Id":"a","Name":'),
  'wrong-types': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"Items":"none","Id":5,"UserData":"x","AccessToken":7,"MediaSources":{}}'),
  'missing-fields': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  'json-null': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('null'),
  'wrong-content-type': (r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('{"Items":[],"TotalRecordCount":0}'),
  'huge-body': (r) => {
    r.writeHead(200, { 'content-type': 'application/json' });
    r.end(`"${'x'.repeat(8 * 1024 * 1024)}"`);
  },
  'endless-body': (r) => {
    r.writeHead(200, { 'content-type': 'application/json' });
    r.write('{"Items":[');
    const timer = setInterval(() => r.write(' '), 50);
    r.on('close', () => clearInterval(timer));
  },
  'redirect-away': (r) => r.writeHead(302, { location: 'http://127.0.0.2:9/elsewhere' }).end(),
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    const kind = request.url?.split('/')[1] ?? '';
    (ANSWERS[kind] ?? ((r: ServerResponse) => r.writeHead(404).end()))(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const TIMEOUT_MS = 400;
const client = (kind: string) => new JellyfinClient({ serverUrl: `${base}/${kind}`, deviceId: 'd', deviceName: 'h', clientVersion: '0', token: 'tok-123456789', userId: 'u', timeoutMs: TIMEOUT_MS });

/** Every call the client makes. */
const CALLS: Record<string, (c: JellyfinClient) => Promise<unknown>> = {
  authenticateByName: (c) => c.authenticateByName('ann', 'pw'),
  ping: (c) => c.ping(),
  publicInfo: (c) => c.publicInfo(),
  me: (c) => c.me(),
  userViews: (c) => c.userViews(),
  items: (c) => c.items({ parentId: 'p' }),
  resume: (c) => c.resume(),
  nextUp: (c) => c.nextUp(),
  seasons: (c) => c.seasons('s'),
  episodes: (c) => c.episodes('s'),
  item: (c) => c.item('i'),
  playbackInfo: (c) => c.playbackInfo('i'),
  mediaSegments: (c) => c.mediaSegments('i'),
  reportPlaybackStart: (c) => c.reportPlaybackStart({ itemId: 'i', positionTicks: 1 }),
  reportPlaybackProgress: (c) => c.reportPlaybackProgress({ itemId: 'i', positionTicks: 1 }),
  reportPlaybackStopped: (c) => c.reportPlaybackStopped({ itemId: 'i', positionTicks: 1 }),
  markPlayed: (c) => c.markPlayed('i'),
  markUnplayed: (c) => c.markUnplayed('i'),
  getUserData: (c) => c.getUserData('i'),
  updateUserData: (c) => c.updateUserData('i', { played: true }),
  quickConnectEnabled: (c) => c.quickConnectEnabled(),
  initiateQuickConnect: (c) => c.initiateQuickConnect(),
  quickConnectState: (c) => c.quickConnectState('secret'),
  checkStreamOrigin: (c) => c.checkStreamOrigin(c.streamUrl('i', 'i')),
  authenticateWithQuickConnect: (c) => c.authenticateWithQuickConnect('secret'),
  logout: (c) => c.logout(),
};

/**
 * Answers a call may take as success: the stream check only refuses redirects (the rest is
 * mpv's to report), and the connectivity probe's reply is any JSON string (an 8 MB one too, if it
 * arrives within the timeout: it only says "reachable", and nothing is delivered on its word).
 */
const ACCEPTABLE: Record<string, string[]> = {
  checkStreamOrigin: Object.keys(ANSWERS).filter((kind) => kind !== 'redirect-away'),
  ping: ['huge-body'],
};

describe('a hostile server', () => {
  const cases = Object.keys(ANSWERS).flatMap((kind) => Object.keys(CALLS).map((call) => [kind, call] as const));

  it(`gives a clear error, never a crash or a hang, for each of ${cases.length} bad answers`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const outcomes = await Promise.all(
      cases.map(async ([kind, call]) => {
        // Bounded: a call that hangs fails here by name (a liveness bound, far above the request timeout; not a speed target)
        const result = await within(
          CALLS[call]!(client(kind)).then(
            () => ({ ok: true as const }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
          TIMEOUT_MS + 20_000,
          `${call} answered with ${kind}`,
        );
        return { kind, call, ...result };
      }),
    );
    for (const outcome of outcomes) {
      const label = `${outcome.call} answered with ${outcome.kind}`;
      if (outcome.ok) {
        expect(ACCEPTABLE[outcome.call] ?? [], label).toContain(outcome.kind);
        continue;
      }
      expect(outcome.error, label).toBeInstanceOf(ApiError);
      const message = (outcome.error as Error).message;
      expect(message, label).toMatch(new RegExp(`^(${base.replace(/[.]/g, '\\.')}|Cannot reach|The server)`));
      expect(message, label).not.toMatch(/tok-123456789|undefined|\[object/);
      expect(message.length, label).toBeLessThan(400);
    }
  }, 60_000);

  it.each(Object.keys(ANSWERS))('loses no update to a server answering with %s: everything stays queued, nothing is thrown away', async (kind) => {
    const dir = await tempDir();
    const { outbox } = await openOutbox({
      queueFile: join(dir, 'queue.json'),
      lockFile: join(dir, 'queue.lock'),
      // (a generous timeout: a loaded machine must not turn these answers into timeouts)
      deliver: new JellyfinDeliver(new JellyfinClient({ serverUrl: `${base}/${kind}`, deviceId: 'd', deviceName: 'h', clientVersion: '0', token: 'tok-123456789', userId: 'u', timeoutMs: 2000 })),
      backoff: { baseMs: 20, capMs: 50 },
    });
    try {
      await outbox.enqueue({ itemId: 'i', kind: 'stopped', payload: { positionTicks: 100 } });
      await outbox.enqueue({ itemId: 'j', kind: 'played' });
      const result = await outbox.settle({ timeoutMs: kind === 'endless-body' ? 3000 : 1000 });
      expect(result.settled).toBe(false);
      expect(outbox.pendingOps().map((op) => op.kind).sort()).toEqual(['played', 'stopped']);
      expect(outbox.deadLetters()).toEqual([]);
    } finally {
      await outbox.close();
    }
  });
});
