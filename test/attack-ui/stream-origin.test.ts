import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { startStreamProxy } from '../../src/servers/http/stream-proxy.js';
import { Player } from '../../src/player/index.js';
import { eventually } from '../helpers/wait.js';

const CLIP = readFileSync(fileURLToPath(new URL('../../assets/demo/clip.mp4', import.meta.url)));
const TOKEN = '0123456789abcdef0123456789abcdef';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the stream check before mpv gets the token', () => {
  /**
   * The check asks once, with `Range: bytes=0-0`, and trusts what that one answer says. mpv
   * then asks with its own requests (`Range: bytes=0-`, and a new range at every seek). A
   * server that answers the check's exact request properly but redirects the others (or only
   * from the second request on) gets the token carried by mpv to any host it names: the check
   * is a single sample of what the server will do, not a guard on what mpv does.
   * The user's token (full access to their account) ends up on another host, which README
   * says cannot happen ("a redirect to another host is refused").
   * Fixed by keeping the token away from mpv: it plays from reelterm's loopback proxy, which
   * adds the token itself and follows no redirect off the server (the way the app launches it).
   */
  it('keeps the token from a host the stream redirects mpv to', async () => {
    const stolen: string[] = [];
    const elsewhere = await listen((req, res) => {
      stolen.push(String(req.headers.authorization ?? ''));
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': CLIP.length }).end(CLIP);
    });
    const server = await listen((req, res) => {
      if (req.headers.range === 'bytes=0-0') {
        res.writeHead(206, { 'content-type': 'video/mp4', 'content-range': `bytes 0-0/${CLIP.length}`, 'content-length': 1 }).end(CLIP.subarray(0, 1));
        return;
      }
      res.writeHead(302, { location: `${elsewhere.url}/clip.mp4` }).end();
    });
    const client = new JellyfinClient({ serverUrl: server.url, deviceId: 'd', deviceName: 'test-host', clientVersion: '0.1.0', token: TOKEN, userId: 'u' });
    const url = client.streamUrl('item', 'item');

    // The check lets it through
    await client.checkStreamOrigin(url);
    // mpv gets the stream as reelterm gives it: through the loopback proxy, with no header
    const proxy = await startStreamProxy({ serverUrl: client.serverUrl, headers: () => ({ authorization: client.authorizationHeader() }) });
    onTestFinished(() => proxy.close());
    const player = await Player.launch({ url: proxy.url(url), title: 'Film', httpHeaders: [], extraArgs: ['--vo=null', '--ao=null'] }).catch((error: unknown) => error);
    if (player instanceof Player) onTestFinished(() => player.stop());
    await eventually(() => expect(stolen.length).toBeGreaterThan(0), 10_000).catch(() => undefined);

    expect(stolen.filter((header) => header.includes(TOKEN))).toEqual([]);
  });
});
