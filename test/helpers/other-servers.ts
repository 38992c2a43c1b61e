import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { onTestFinished } from 'vitest';

/** What a loopback server was asked. */
export interface SeenRequest {
  method: string;
  url: string;
}

/** A real HTTP server on loopback, closed after the test; it records every request it answers. */
async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: SeenRequest[] }> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

/** Something that is not Jellyfin (a router's page, another app): every path answers a web page. */
export function startWebPage() {
  return listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>Router login</title></head><body>Welcome</body></html>');
  });
}

/** Something that is not Jellyfin and answers 404 to everything. */
export function startNotFound() {
  return listen((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  });
}

/**
 * A reverse proxy that serves Jellyfin at `target` under a base path (`http://host/jellyfin/…`),
 * as nginx does for a server set up with a base URL; any other path is its own 404 page.
 */
export function startBasePathProxy(target: string, basePath: string) {
  const upstream = new URL(target);
  return listen((req, res) => {
    const path = req.url ?? '/';
    if (!path.toLowerCase().startsWith(`${basePath.toLowerCase()}/`)) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body><h1>404 Not Found</h1>nginx</body></html>');
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: path.slice(basePath.length), headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
}
