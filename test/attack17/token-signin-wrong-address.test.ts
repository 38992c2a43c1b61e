import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// DEFECT: `reelterm login --plex --server http://nas:8080 --token` at an address that is not a
// Plex server (a NAS page, a router, the wrong port: anything answering 404) says "Sign-in
// failed: http://…: the item no longer exists on the server (404)" — there is no item; the user
// is not told that this is not a Plex server or that Plex listens on port 32400. Suspected
// cause: src/servers/plex/sign-in.ts:88-92 passes the `/identity` failure's message through,
// which src/servers/http/errors.ts describeStatus words for a watch-state write ("the item no
// longer exists"); the Jellyfin sign-in words the same case "not a Jellyfin server (Jellyfin
// listens on port 8096 …)". PLEX.md §2.5: probe `GET /identity` to tell a Plex server.

async function notPlex(): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/html' }).end('<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('token sign-in to an address that is not a Plex server', () => {
  it('says it is not a Plex server, not that an item is gone', async () => {
    const url = await notPlex();
    const result = await runCli(['login', '--plex', '--server', url, '--token'], { home: await tempDir(), env: { REELTERM_PLEX_TOKEN: 'some-token' } });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('item');
    expect(result.stderr).toMatch(/not a Plex/i);
  });
});
