import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { openOutbox } from '../../src/sync/index.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: ReturnType<typeof createHttpServer>, scheme: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A middlebox (or a broken server) in front of Jellyfin: answers the playback reports its own way. */
async function middlebox(answer: Handler): Promise<string> {
  return listen(createHttpServer((req, res) => req.resume().on('end', () => answer(req, res))), 'http');
}

function client(serverUrl: string): JellyfinClient {
  return new JellyfinClient({ serverUrl, deviceId: 'ack-test', deviceName: 'test', clientVersion: '0', token: 'secret-token', userId: 'u1', timeoutMs: 2000 });
}

const ANSWERS: Array<[string, Handler]> = [
  ['200 with an empty body', (_req, res) => res.writeHead(200).end()],
  ['200 with an HTML page', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to the hotel network</body></html>')],
  ['200 with JSON', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')],
  ['302 to a portal', (_req, res) => res.writeHead(302, { location: 'http://portal.invalid/login' }).end()],
];

describe('a playback report is acknowledged only by Jellyfin\'s 204', () => {
  it.each(ANSWERS)('keeps a report answered with %s queued, and never calls it delivered', async (_name, answer) => {
    // Given a stop whose report is answered that way
    const url = await middlebox(answer);
    const dir = await tempDir();
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: new JellyfinDeliver(client(url)), backoff: { baseMs: 10_000, capMs: 10_000 } });
    try {
      await outbox.enqueue({ itemId: 'film', kind: 'stopped', payload: { positionTicks: 3_000_000_000 } });
      // Then it stays queued, retrying, with a reason
      await eventually(() => expect(outbox.status()).toMatchObject({ state: 'retrying', pending: 1, deadLetters: 0 }));
      expect(outbox.status().lastError).toMatch(/not Jellyfin|redirected/);
    } finally {
      await outbox.close();
    }
    const file = JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8')) as { ops: Array<{ kind: string }> };
    expect(file.ops.map((op) => op.kind)).toEqual(['stopped']);
  });

  it('takes a 204 as delivered', async () => {
    const url = await middlebox((_req, res) => res.writeHead(204).end());
    await expect(client(url).reportPlaybackStopped({ itemId: 'film', positionTicks: 1 })).resolves.toBeUndefined();
  });
});

function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } | undefined {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  }
}

describe('a certificate the system does not trust', () => {
  it('pauses the queue with the reason and keeps everything, then drains once it is trusted (--insecure)', async (context) => {
    const dir = await tempDir();
    const tls = selfSignedCertificate(dir);
    if (!tls) return context.skip('openssl is not installed: cannot make a self-signed certificate');
    // Given a server behind a certificate nobody trusts (a captive portal, an expired certificate)
    const served: string[] = [];
    const url = await listen(createHttpsServer(tls, (req, res) => req.resume().on('end', () => {
      served.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/System/Ping')) return res.writeHead(200, { 'content-type': 'application/json' }).end('"Jellyfin Server"');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"PlaybackPositionTicks":0,"PlayCount":1,"IsFavorite":false,"Played":true,"Key":"k","ItemId":"film"}');
    })), 'https');
    const queueFile = join(dir, 'queue.json');
    const lockFile = join(dir, 'queue.lock');
    const first = await openOutbox({ queueFile, lockFile, deliver: new JellyfinDeliver(client(url)), backoff: { baseMs: 10_000, capMs: 10_000 } });
    try {
      // When a mark is queued
      await first.outbox.enqueue({ itemId: 'film', kind: 'played' });
      // Then the engine says the certificate is not trusted, and nothing fails for good
      await eventually(() => expect(first.outbox.status()).toMatchObject({ state: 'untrusted', pending: 1, deadLetters: 0 }));
      expect(first.outbox.status().lastError).toMatch(/certificate not trusted.*--insecure/);
      expect(served).toEqual([]);
    } finally {
      await first.outbox.close();
    }
    // When the user trusts it (--insecure), the next run delivers it
    const trusting = new JellyfinClient({ serverUrl: url, deviceId: 'ack-test', deviceName: 'test', clientVersion: '0', token: 'secret-token', userId: 'u1', insecure: true });
    const second = await openOutbox({ queueFile, lockFile, deliver: new JellyfinDeliver(trusting) });
    try {
      await eventually(() => expect(second.outbox.status()).toMatchObject({ state: 'idle', pending: 0, deadLetters: 0 }));
      expect(served.some((line) => line.startsWith('POST /UserPlayedItems/film'))).toBe(true);
    } finally {
      await second.outbox.close();
    }
  });
});

describe('a proper answer to any request ends offline mode', () => {
  it('tells the sync engine the server is reachable after a good answer, and not after a portal\'s page', async () => {
    // Given a client wired as the app wires it, and an engine offline with a probe minutes away
    let pageIsPortal = true;
    const url = await middlebox((req, res) => {
      if (req.url?.startsWith('/UserViews') && !pageIsPortal) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"Items":[],"TotalRecordCount":0,"StartIndex":0}');
      if (req.url?.startsWith('/UserViews')) return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in to the Wi-Fi</html>');
      res.writeHead(204).end();
    });
    const api = client(url);
    const dir = await tempDir();
    // (the first send meets the outage; later ones wait for the server until the test ends)
    const refused = () => Promise.reject(Object.assign(new Error('refused'), { kind: 'retryable', offline: true }));
    let sends = 0;
    const sick = {
      send: (_op: unknown, context: { signal: AbortSignal }) =>
        sends++ === 0 ? refused() : new Promise<never>((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted')))),
      probe: refused,
    };
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: sick, backoff: { baseMs: 600_000, capMs: 600_000 } });
    api.onReachable = () => outbox.serverReachable();
    try {
      await outbox.enqueue({ itemId: 'film', kind: 'played' });
      await eventually(() => expect(outbox.status().state).toBe('offline'));
      // When a list loads but it is a portal's page: still offline
      await expect(api.userViews()).rejects.toThrow();
      expect(outbox.status().state).toBe('offline');
      // When the list loads from the server itself: offline ends at once (and the drain starts)
      pageIsPortal = false;
      await api.userViews();
      await eventually(() => expect(outbox.status()).toMatchObject({ state: 'syncing', inFlight: 1 }));
      expect(sends).toBe(2);
    } finally {
      await outbox.close();
    }
  });
});
