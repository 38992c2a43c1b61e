import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSender, MAX_REDIRECTS } from '../../src/servers/http/sender.js';
import { classifyError } from '../../src/servers/jellyfin/errors.js';

/** What a loopback server received: method, path and query, body, and which connection it came on. */
interface Received {
  method: string;
  url: string;
  body: string;
  contentType: string | undefined;
  connection: number;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A real HTTP server on loopback that records every request and answers with `answer`. */
async function serve(answer: (request: IncomingMessage, response: ServerResponse, seen: Received) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const connections = new WeakMap<Socket, number>();
  let opened = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (!connections.has(request.socket)) connections.set(request.socket, ++opened);
      const seen = { method: request.method!, url: request.url!, body: Buffer.concat(chunks).toString(), contentType: request.headers['content-type'], connection: connections.get(request.socket)! };
      received.push(seen);
      answer(request, response, seen);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const sender = (url: string, timeoutMs = 2000) => new HttpSender({ baseUrl: url, timeoutMs, headers: { accept: 'application/json' } });

describe('the HTTP sender', () => {
  it('sends one request after another over one kept-alive connection, with the query and the JSON body as given', async () => {
    const { url, received } = await serve((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const http = sender(`${url}/jf`);
    for (let i = 0; i < 3; i++) {
      const answer = await http.send('Items', { method: 'POST', searchParams: { a: 1, b: undefined, c: 'x y&z', d: true }, json: { Played: true, i } });
      expect(answer).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    }
    expect(received.map((r) => [r.method, r.url, r.body, r.contentType])).toEqual(
      [0, 1, 2].map((i) => ['POST', '/jf/Items?a=1&c=x+y%26z&d=true', `{"Played":true,"i":${i}}`, 'application/json']),
    );
    expect(new Set(received.map((r) => r.connection)).size).toBe(1);
  });

  it('reads compressed answers as text', async () => {
    const text = '{"Name":"Amélie ✓"}';
    const { url } = await serve((request, response) => {
      if (request.url === '/gzip') response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(text));
      else response.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(text));
    });
    expect((await sender(url).send('gzip')).body).toBe(text);
    expect((await sender(url).send('br')).body).toBe(text);
  });

  it('follows a redirect within the server as got did: 307 and 308 keep the method and body, 303 asks with a GET', async () => {
    const { url, received } = await serve((request, response, seen) => {
      const code = /^\/(\d{3})$/.exec(request.url!)?.[1];
      if (code !== undefined) return response.writeHead(Number(code), { location: `/landed-${code}` }).end();
      response.writeHead(200).end(`${seen.method} ${seen.body}`);
    });
    const http = sender(url);
    for (const code of ['301', '302', '307', '308']) {
      expect(await http.send(code, { method: 'POST', json: { n: 1 } })).toMatchObject({ body: 'POST {"n":1}', url: `${url}/landed-${code}` });
    }
    expect((await http.send('303', { method: 'POST', json: { n: 1 } })).body).toBe('GET ');
    expect(received.find((r) => r.url === '/landed-303')).toMatchObject({ method: 'GET', body: '', contentType: undefined });
  });

  it('never follows a redirect to another origin: the answer comes back as it is, and nothing goes there', async () => {
    const elsewhere = await serve((_request, response) => response.writeHead(200).end('stolen'));
    const { url } = await serve((_request, response) => response.writeHead(302, { location: `${elsewhere.url}/steal` }).end());
    const answer = await sender(url).send('Sessions/Playing', { method: 'POST', json: {} });
    expect(answer).toMatchObject({ statusCode: 302, headers: { location: `${elsewhere.url}/steal` } });
    const peeked = await sender(url).peek(`${url}/Videos/a/stream`);
    expect(peeked.statusCode).toBe(302);
    expect(elsewhere.received).toEqual([]);
    await expect(sender(url).peek(`${elsewhere.url}/Videos/a/stream`)).rejects.toThrow(/is not the server/);
    expect(elsewhere.received).toEqual([]);
  });

  it('gives up on a redirect loop within the server', async () => {
    const { url, received } = await serve((_request, response) => response.writeHead(302, { location: '/again' }).end());
    const error = await sender(url).send('start').catch((e: unknown) => e);
    expect(classifyError(error, 'http://jf.test')).toMatchObject({ kind: 'retryable', message: expect.stringContaining(`redirected ${MAX_REDIRECTS} times`) });
    expect(received).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('counts the body in the timeout: an answer whose body stalls is a timeout', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"Items":[');
    });
    const error = await sender(url, 300).send('Items').catch((e: unknown) => e);
    expect(classifyError(error, 'http://jf.test')).toMatchObject({ kind: 'retryable', offline: false, message: 'http://jf.test did not answer in time (request timeout)' });
  });

  it('takes an answer that came while the event loop was held past the timeout, rather than calling it late', async () => {
    // (the server runs in this process: its answer holds the loop longer than the client waits)
    const { url } = await serve((_request, response) => {
      const until = Date.now() + 400;
      while (Date.now() < until);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    expect((await sender(url, 100).send('System/Ping')).body).toBe('{"ok":true}');
  });

  it('reads only the headers of a stream it peeks at, and hangs up', async () => {
    const { url } = await serve((_request, response) => {
      // (a film that never ends: only the headers can be waited for)
      response.writeHead(206, { 'content-type': 'video/mp4', 'content-range': 'bytes 0-0/1000000' });
      response.write(Buffer.alloc(1024));
    });
    expect(await sender(url, 2000).peek(`${url}/Videos/a/stream`)).toMatchObject({ statusCode: 206, headers: { 'content-type': 'video/mp4' } });
  });

  describe('a kept-alive connection the server dropped before answering (as a server closing an idle connection does)', () => {
    // The server drops the connection on the second request it carries, without a byte of answer.
    const dropsSecond = () =>
      serve((request, response, seen) => {
        const carried = (request.socket as Socket & { carried?: number }).carried = ((request.socket as Socket & { carried?: number }).carried ?? 0) + 1;
        if (carried === 2) return request.socket.destroy();
        response.writeHead(200, { 'content-type': 'application/json' }).end(`{"connection":${seen.connection}}`);
      });

    it('sends a read again, once, on a new connection: no failure reaches the caller', async () => {
      const { url, received } = await dropsSecond();
      const http = sender(url);
      await http.send('System/Ping');
      const answer = await http.send('UserItems/film/UserData');
      expect(answer.body).toBe('{"connection":2}');
      expect(received.map((r) => `${r.url} on ${r.connection}`)).toEqual(['/System/Ping on 1', '/UserItems/film/UserData on 1', '/UserItems/film/UserData on 2']);
    });

    it('does not send a write again (the server may have acted on it): it fails as a reset connection', async () => {
      const { url, received } = await dropsSecond();
      const http = sender(url);
      await http.send('System/Ping');
      const error = await http.send('UserPlayedItems/film', { method: 'POST' }).catch((e: unknown) => e);
      expect(classifyError(error, 'http://jf.test')).toMatchObject({ kind: 'retryable', offline: true, unsent: false, message: 'Cannot reach http://jf.test: connection reset' });
      expect(received.filter((r) => r.method === 'POST')).toHaveLength(1);
    });
  });
});
