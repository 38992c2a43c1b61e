import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { log } from '../../log.js';
import { MAX_REDIRECTS } from './sender.js';

/** Headers mpv's requests may carry on to the server (ranges for seeking, caching). */
const REQUEST_HEADERS = ['range', 'if-range', 'if-none-match', 'if-modified-since', 'user-agent', 'accept'];
/** Headers of the server's answer mpv needs. */
const ANSWER_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag', 'cache-control'];

/** A loopback address for each server file mpv plays; only this proxy holds the token. */
export interface StreamProxy {
  /** The loopback address mpv is given for a file on the server (`https://jf.example/Videos/…`). */
  url(serverFileUrl: string): string;
  close(): Promise<void>;
}

/**
 * Keeps the token away from mpv: mpv fetches from a private address on 127.0.0.1 (a random
 * path no one else knows), and the proxy fetches from the server with the sign-in's headers
 * (Jellyfin's `Authorization`, Plex's `X-Plex-Token`), following redirects only within the
 * server's origin. mpv's every request (each seek is a new range request) goes through it, so
 * no answer of the server's, however it varies, can send the token to another host: a redirect
 * elsewhere ends in an error, never a request.
 */
export async function startStreamProxy(options: { serverUrl: string; headers: () => Record<string, string>; insecure?: boolean }): Promise<StreamProxy> {
  const origin = new URL(options.serverUrl).origin;
  const secret = randomBytes(16).toString('hex');
  const server = createServer((request, response) => {
    void forward(request, response).catch((error: unknown) => {
      log.warn('stream proxy failed', { error: (error as Error).message });
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' }).end('reelterm: the server could not be reached');
      else response.destroy();
    });
  });

  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const prefix = `/${secret}/`;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.url?.startsWith(prefix)) {
      response.writeHead(404).end();
      return;
    }
    // The path is the server's own: joined to its origin as text, so `//host/…` stays a path on this server.
    let target = new URL(`${origin}${request.url.slice(prefix.length - 1)}`);
    if (target.origin !== origin) {
      response.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { ...options.headers() };
    for (const name of REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    for (let hops = 0; ; hops++) {
      const answer = await fetchOnce(target, request.method, headers, request);
      const location = answer.headers.location;
      if (answer.statusCode !== undefined && answer.statusCode >= 300 && answer.statusCode < 400 && location !== undefined) {
        answer.resume();
        const next = URL.canParse(location, target.href) ? new URL(location, target) : undefined;
        if (next?.origin !== origin || hops >= MAX_REDIRECTS) {
          log.warn('stream redirect refused', { to: next?.origin ?? 'an unreadable address' });
          response.writeHead(502, { 'content-type': 'text/plain' }).end(`reelterm: the server redirected to ${next?.origin ?? 'another address'}; your sign-in is not sent there`);
          return;
        }
        target = next;
        continue;
      }
      const kept: Record<string, string | string[]> = {};
      for (const name of ANSWER_HEADERS) {
        const value = answer.headers[name];
        if (value !== undefined) kept[name] = value;
      }
      response.writeHead(answer.statusCode ?? 502, kept);
      answer.pipe(response);
      // A connection to the server that breaks breaks mpv's too, so mpv sees it at once.
      answer.on('error', () => response.destroy());
      answer.on('aborted', () => response.destroy());
      response.on('close', () => answer.destroy());
      return;
    }
  }

  function fetchOnce(target: URL, method: string, headers: Record<string, string>, from: IncomingMessage): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(target, { method, headers, rejectUnauthorized: options.insecure !== true }, resolve);
      upstream.on('error', reject);
      from.on('close', () => upstream.destroy());
      upstream.end();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // It serves mpv only: it never keeps reelterm running by itself.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url(serverFileUrl) {
      const file = new URL(serverFileUrl);
      if (file.origin !== origin || file.pathname.startsWith('//')) throw new Error(`${file.origin}${file.pathname.startsWith('//') ? ' (a path that names another host)' : ''} is not the server`);
      return `http://127.0.0.1:${port}/${secret}${file.pathname}${file.search}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
