import { spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { createServices } from '../../src/commands/services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { openOutbox } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { plexAt } from './sync-helpers.js';

// DEFECT: on a Plex show where one later episode has no file (no Media/Part in its metadata:
// the file is gone, the item lingers), pressing Enter on episode 1 plays nothing and shows
// "<episode 4> has no file to play" — episode 1, which has its file, cannot be watched at all.
// Suspected cause: src/servers/plex/index.ts:127 `episodes` ignores the `playable: true` the app
// asks for (src/commands/services.ts:123 "Only episodes with a file"), and
// src/servers/plex/index.ts:76 preparePlay throws for the whole list when any queued episode has
// no part. services.ts:128 promises that, failing the next episodes, it plays "this one only".

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const demo = usePlexDemo();

/** The demo Plex server, except that one item's metadata carries no Media (as PMS lists an item whose file is gone). */
async function withoutFile(ratingKey: string): Promise<string> {
  const target = new URL(demo().url);
  const server = createServer((request, response) => {
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      const json = /json/.test(String(answer.headers['content-type'])) && request.url?.startsWith('/library/metadata/');
      if (!json) {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { MediaContainer: { Metadata?: Array<Record<string, unknown>> } };
        for (const item of body.MediaContainer.Metadata ?? []) if (item.ratingKey === ratingKey) delete item.Media;
        const text = JSON.stringify(body);
        const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
        delete headers['transfer-encoding'];
        response.writeHead(answer.statusCode ?? 200, headers).end(text);
      });
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(!hasMpv)('a show whose fourth episode has no file', () => {
  it('still plays the first episode', async () => {
    const show = demo().library.first('show');
    const episodes = demo().library.leaves(show);
    const url = await withoutFile(episodes[3]!.ratingKey);
    const { server } = plexAt(demo(), url);
    const dir = await tempDir();
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: server.deliver, account: { kind: server.kind, server: server.url, userId: String(demo().owner.id), userName: demo().owner.username } });
    onTestFinished(() => outbox.close());
    const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'attack17-install', mpvArgs: ['--vo=null', '--ao=null'], skipSegments: 'off', continuousPlay: true };
    const services = createServices({ server, outbox, launch: launchPlayer(settings), syncWaitMs: 3000, who: 'test', account: { server: server.url, userName: demo().owner.username }, playback: settings });
    onTestFinished(() => services.stopPlayback());
    const first = (await services.library.episodes(show.ratingKey))[0]!;
    expect(first.id).toBe(episodes[0]!.ratingKey);
    const playback = await services.play(first, 0);
    await eventually(() => expect(playback.view()).toMatchObject({ playedAny: true }), 20_000);
    await services.stopPlayback();
  }, 60_000);
});
