import { spawnSync } from 'node:child_process';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { createServices } from '../../src/commands/services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { demoOutbox, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const demo = useDemoServer();

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/**
 * The demo server, seen through a front that adds one external subtitle to every PlaybackInfo
 * answer, whose DeliveryUrl is `path` (what a hostile or compromised server, or a plugin, can answer).
 */
async function serverAnswering(target: string, path: string, asked: string[]): Promise<string> {
  const upstream = new URL(target);
  return listen((req, res) => {
    asked.push(req.url ?? '');
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      if (!/\/PlaybackInfo(\?|$)/.test(req.url ?? '')) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { MediaSources: Array<{ MediaStreams: unknown[] }> };
        for (const source of body.MediaSources) {
          source.MediaStreams.push({ Type: 'Subtitle', Index: 90, IsExternal: true, Codec: 'srt', Language: 'eng', DisplayTitle: 'English (extra)', DeliveryUrl: path });
        }
        const text = JSON.stringify(body);
        const { 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = answer.headers;
        res.writeHead(answer.statusCode ?? 200, { ...headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    req.pipe(forward);
  });
}

describe.skipIf(!hasMpv)('the stream proxy and a subtitle address the server gives', () => {
  // DEFECT: a server answer can send the user's token to another host: a subtitle whose DeliveryUrl is
  // `/.//other-host/x` becomes the server address `http://server//other-host/x` (same origin, so it
  // passes the proxy's url() check), mpv asks the proxy for it, and the proxy resolves the path
  // `//other-host/x` against the server's origin as a protocol-relative URL, sending the request,
  // Authorization header and token included, to other-host; because stream-proxy.ts:44 builds the target
  // with `new URL(request.url.slice(...), origin)` and never checks the result is on the server's origin
  // (only redirects are checked, stream-proxy.ts:56), and mappers.ts:107-109 keeps a path that
  // normalises to `//host`; the README promises the proxy "fetches each file from the server with the
  // token ... no answer of the server's can send the token to another host".
  it('never sends the token to a host other than the server', async () => {
    const seenElsewhere: Array<string | undefined> = [];
    const elsewhere = await listen((req, res) => {
      seenElsewhere.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('1\n00:00:01,000 --> 00:00:02,000\nhello\n');
    });
    const askedOfServer: string[] = [];
    const hostile = await serverAnswering(demo().url, `/.//${new URL(elsewhere).host}/steal.srt`, askedOfServer);
    const client = new JellyfinClient({ serverUrl: hostile, deviceId: 'test-device', deviceName: 'test-host', clientVersion: '0.1.0', timeoutMs: 3000 });
    await client.authenticateByName('demo', 'demo');
    const outbox = await demoOutbox(client);
    const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test-device', skipSegments: 'off', continuousPlay: false, mpvArgs: ['--vo=null', '--ao=null'] };
    const media = jellyfinServer(client);
    const app = createServices({ server: media, outbox, launch: launchPlayer(settings), syncWaitMs: 2000, who: 'test', account: { server: hostile, userName: 'demo' }, playback: settings });
    onTestFinished(() => app.stopPlayback());
    const film = (await media.library.items({ includeItemTypes: ['Movie'], recursive: true, limit: 1 })).items[0]!;

    const playback = await app.play(film, 0);
    // mpv plays, and has asked for the subtitle file (wherever it went), or has long since loaded its files
    await eventually(() => {
      const asked = seenElsewhere.length > 0 || askedOfServer.some((url) => url.includes('steal.srt'));
      expect(asked || playback.view().positionSeconds > 5).toBe(true);
    }, 20_000);
    await eventually(() => expect(demo().journal.some((entry) => entry.path === '/Sessions/Playing')).toBe(true), 10_000);
    await app.stopPlayback();

    const token = client.authorizationHeader().match(/Token="([^"]+)"/)?.[1];
    expect(token).toBeDefined();
    expect(seenElsewhere.filter((header) => header?.includes(token!))).toEqual([]);
  });
});
