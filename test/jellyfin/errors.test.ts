import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { demoClient, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { failure } from '../helpers/api-error.js';
import { within } from '../helpers/wait.js';

const server = useDemoServer();

/** A one-route HTTP server answering with a fixed body, for replies the demo server never sends. */
async function replying(contentType: string, body: string): Promise<{ url: string; close(): void }> {
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close: () => http.close() };
}

describe('failures become typed ApiErrors', () => {
  it('404 for an unknown item is permanent', async () => {
    const client = await signedInClient(server());
    const error = await failure(client.item('0123456789abcdef0123456789abcdef'));
    expect(error).toMatchObject({ kind: 'permanent', status: 404, offline: false });
  });

  it('a refused connection is retryable and offline', async () => {
    // Given a signed-in client and a server that went away
    const client = await signedInClient(server());
    await server().faults.offline();
    // When it probes
    const error = await failure(client.ping());
    // Then it is told the server is unreachable, and recovery works on the same port
    expect(error).toMatchObject({ kind: 'retryable', offline: true });
    expect(error.message).toContain(`Cannot reach ${server().url}`);
    await server().faults.online();
    await expect(client.ping()).resolves.toBe('Jellyfin Server');
  });

  it('503 is retryable and carries Retry-After', async () => {
    const client = await signedInClient(server());
    server().faults.status(503, { retryAfter: 30 });
    const error = await failure(client.userViews());
    expect(error).toMatchObject({ kind: 'retryable', status: 503, retryAfterMs: 30_000 });
  });

  it('a server still starting answers the ping', async () => {
    const client = await signedInClient(server());
    server().faults.status(503);
    await expect(client.ping()).resolves.toBe('Jellyfin Server');
  });

  it('a stalled server is retryable after the timeout', async () => {
    const client = await signedInClient(server(), { timeoutMs: 300 });
    server().faults.stall();
    // (bounded: a request that never gives up would hang here)
    const error = await within(failure(client.userViews()), 15_000, 'the stalled request to give up');
    expect(error.kind).toBe('retryable');
    expect(error.message).toContain('did not answer in time');
  });

  it('a connection reset mid-response is retryable', async () => {
    const client = await signedInClient(server());
    server().faults.resetMidResponse(1);
    expect((await failure(client.userViews())).kind).toBe('retryable');
    await expect(client.userViews()).resolves.toHaveLength(2);
  });

  it('truncated JSON is a clear, retryable error', async () => {
    const client = await signedInClient(server());
    server().faults.malformed(1, 'truncated-json');
    const error = await failure(client.userViews());
    expect(error.kind).toBe('retryable');
    expect(error.message).toBe(`${server().url}: the server's reply is not valid JSON (cut off or corrupt)`);
  });

  it('an HTML page with 200 is a clear, retryable error', async () => {
    const client = await signedInClient(server());
    server().faults.malformed(1, 'html');
    const error = await failure(client.resume());
    expect(error.message).toBe(`${server().url}: the server's reply is not Jellyfin JSON (got text/html)`);
  });

  it.each([
    ['an array where an object belongs', '[1,2]', "expected the item list to be an object, got an array"],
    ['a wrong field type', '{"Items":[{"Id":"a","Name":42}]}', "item 1's Name is a number, expected a string"],
    ['a missing id', '{"Items":[{"Name":"x"}]}', 'item 1 has no Id'],
    ['bad UserData', '{"Items":[{"Id":"a","UserData":{"Played":"yes"}}]}', "item 1's UserData's Played is a string, expected a boolean"],
  ])('rejects %s with a clear message', async (_case, body, detail) => {
    const fake = await replying('application/json; charset=utf-8', body);
    try {
      const client = new JellyfinClient({ serverUrl: fake.url, deviceId: 'd', deviceName: 'n', clientVersion: '1', token: 'tokentokentoken' });
      const error = await failure(client.userViews());
      expect(error.message).toBe(`${fake.url}: the server's reply is not Jellyfin JSON (${detail})`);
    } finally {
      fake.close();
    }
  });

  it('cancels an in-flight request when the signal aborts', async () => {
    const client = await signedInClient(server(), { timeoutMs: 5_000 });
    server().faults.stall();
    const controller = new AbortController();
    const pending = failure(client.markPlayed(server().library.first('Movie').id, undefined, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error.message).toContain('cancelled');
  });

  it('an expired token is an auth error, and signing in again recovers', async () => {
    const client = await signedInClient(server());
    server().faults.expireTokens();
    expect((await failure(client.userViews())).kind).toBe('auth');
    await client.authenticateByName('demo', 'demo');
    await expect(client.userViews()).resolves.toHaveLength(2);
  });

  it('does not follow a redirect to another host, and keeps it retryable (a captive portal passes)', async () => {
    const redirect = createServer((_request, response) => {
      response.writeHead(302, { location: 'http://203.0.113.9/System/Ping' });
      response.end();
    });
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(redirect.address() as AddressInfo).port}`;
      const client = new JellyfinClient({ serverUrl: url, deviceId: 'd', deviceName: 'n', clientVersion: '1', token: 'tokentokentoken' });
      const error = await failure(client.ping());
      expect(error).toMatchObject({ kind: 'retryable', status: 302 });
      expect(error.message).toContain('redirected to http://203.0.113.9');
    } finally {
      redirect.close();
    }
  });

  it.each(['ftp://example.org', 'not a url'])('rejects the server address %s with an ApiError', (serverUrl) => {
    expect(() => demoClient(server(), { serverUrl })).toThrow(ApiError);
  });

  it('keeps a base path and drops credentials from the server address', () => {
    const client = demoClient(server(), { serverUrl: 'https://ann:pw@jf.example/jellyfin/?x=1' });
    expect(client.serverUrl).toBe('https://jf.example/jellyfin');
    expect(client.streamUrl('a', 'b')).toBe('https://jf.example/jellyfin/Videos/a/stream?static=true&MediaSourceId=b');
  });
});
