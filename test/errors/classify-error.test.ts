import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/sync/backoff.js';
import { HttpSender } from '../../src/servers/http/sender.js';
import { classifyError, kindForStatus, parseRetryAfter } from '../../src/servers/jellyfin/errors.js';

describe('kindForStatus', () => {
  it.each([
    [400, 'permanent'],
    [401, 'auth'],
    [403, 'permanent'],
    [404, 'permanent'],
    [408, 'retryable'],
    [410, 'permanent'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
  ])('treats %i as %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it.each([
    ['30', 30_000],
    [' 5 ', 5_000],
    ['Wed, 25 Nov 2026 10:01:00 GMT', 60_000],
    ['Wed, 25 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it.each([0, 1, 2, 5, 8, 9, 20, 1000])('stays within [0, min(cap, base·2^n)] for attempt %i', (attempt) => {
    const ceiling = Math.min(300_000, 1000 * 2 ** attempt);
    expect(backoffDelay(attempt, () => 0)).toBe(0);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeGreaterThan(ceiling * 0.99);
  });
});

describe('classifyError against a real loopback server', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = Number(req.url?.slice(1));
      if (req.url === '/reset') return req.socket.destroy();
      if (req.url === '/hang') return;
      // An answer that stops half-way: the connection drops after the first bytes of the body.
      if (req.url === '/cut') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' }).write('{"Items":[');
        return setTimeout(() => req.socket.destroy(), 20);
      }
      if (status === 429) res.setHeader('Retry-After', '30');
      // Jellyfin's own 404s: a controller's ProblemDetails, or its exception middleware's text.
      if (req.url === '/404') return res.writeHead(404, { 'Content-Type': 'application/problem+json; charset=utf-8' }).end('{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404}');
      if (req.url === '/403') return res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Error processing request.');
      // A portal's or a proxy's: an HTML page, or nothing at all.
      if (req.url === '/404-html') return res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>Please log in to the hotel Wi-Fi</body></html>');
      if (req.url === '/403-empty') return res.writeHead(403).end();
      res.writeHead(status, { 'Content-Type': 'text/html' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  const client = (base = url) => new HttpSender({ baseUrl: base, timeoutMs: 300, headers: {} });

  async function failure(path: string, signal?: AbortSignal) {
    try {
      await client().send(path.slice(1), { signal });
    } catch (error) {
      return classifyError(error, 'http://jf.test');
    }
    throw new Error('request did not fail');
  }

  it('reads 503 as retryable, not offline', async () => {
    expect(await failure('/503')).toMatchObject({ kind: 'retryable', offline: false, status: 503 });
  });

  it('reads 429 with Retry-After as retryable with the wait', async () => {
    expect(await failure('/429')).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000 });
  });

  it('reads 401 as auth and 404 as permanent, with a message a person can act on', async () => {
    expect(await failure('/401')).toMatchObject({ kind: 'auth', message: 'http://jf.test: the server no longer accepts your sign-in (401)' });
    expect(await failure('/404')).toMatchObject({ kind: 'permanent', message: 'http://jf.test: the item no longer exists on the server (404)' });
    expect(await failure('/403')).toMatchObject({ kind: 'permanent', status: 403 });
  });

  it('reads a 4xx that is not Jellyfin\'s answer (an HTML page, an empty body) as passing, never as failed for good', async () => {
    expect(await failure('/404-html')).toMatchObject({ kind: 'retryable', status: 404, message: expect.stringContaining('not Jellyfin') });
    expect(await failure('/403-empty')).toMatchObject({ kind: 'retryable', status: 403 });
  });

  it('reads a reset connection as offline', async () => {
    expect(await failure('/reset')).toMatchObject({ kind: 'retryable', offline: true, message: 'Cannot reach http://jf.test: connection reset' });
  });

  it('reads a hung server as a retryable timeout', async () => {
    expect(await failure('/hang')).toMatchObject({ kind: 'retryable', offline: false, message: expect.stringContaining('did not answer in time') });
  });

  it('reads an answer cut off half-way as a reset connection', async () => {
    expect(await failure('/cut')).toMatchObject({ kind: 'retryable', offline: true, unsent: false, message: 'Cannot reach http://jf.test: connection reset' });
  });

  it('reads a request the user stopped as cancelled, not as the server unreachable', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    expect(await failure('/hang', stop.signal)).toMatchObject({ kind: 'retryable', offline: false, message: 'Request to http://jf.test was cancelled' });
  });

  it('reads a refused connection as offline', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let error: unknown;
    await client(`http://127.0.0.1:${port}`).send('').catch((e: unknown) => (error = e));
    expect(classifyError(error, 'http://jf.test')).toMatchObject({ kind: 'retryable', offline: true, unsent: true, message: 'Cannot reach http://jf.test: connection refused' });
  });
});
