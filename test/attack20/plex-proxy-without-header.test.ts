import { createServer, request, type Server } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { op, plexAt } from '../attack17/sync-helpers.js';

// Attack on 666a8e0 (a Plex write answered with PMS's X-Plex-Protocol is taken as done, one
// without it is read back). A reverse proxy that passes every request to the server but leaves
// that header out of the answers (a header filter in front of PMS) is a real network part here:
// node:http forwarding to the demo Plex server, which takes every write.

const demo = usePlexDemo({ library: { films: 4, shows: 2, seasonsPerShow: 1, episodesPerSeason: 4 } });

/** A reverse proxy to `target` that forwards everything and drops `X-Plex-Protocol` from the answers. */
async function headerDroppingProxy(target: string): Promise<string> {
  const to = new URL(target);
  const proxy: Server = createServer((incoming, outgoing) => {
    const forward = request({ host: to.hostname, port: to.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      const headers = { ...answer.headers };
      delete headers['x-plex-protocol'];
      outgoing.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(outgoing);
    });
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  proxy.unref();
  return `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}

describe('a show marked watched through a proxy that drops X-Plex-Protocol', () => {
  it('has every episode watched, each once, after one delivery', async () => {
    const show = demo().library.first('show');
    const episodes = demo().library.leaves(show);
    expect(episodes.length).toBeGreaterThan(1);
    const { server } = plexAt(demo(), await headerDroppingProxy(demo().url));
    const mark = op({ itemId: show.ratingKey, kind: 'played', title: show.title });

    await expect(server.deliver.send(mark, { signal: new AbortController().signal, now: Date.now() })).resolves.toBe('delivered');

    for (const episode of episodes) expect(demo().state.watch(episode.ratingKey).viewCount, episode.title).toBe(1);
  });

  it('a film watched again after an unwatched mark that never went has its count start over at one, in one delivery', async () => {
    const film = demo().library.first('movie');
    demo().state.set(film.ratingKey, { viewCount: 2, lastViewedAt: Math.floor((Date.now() - 3600_000) / 1000) });
    const { server } = plexAt(demo(), await headerDroppingProxy(demo().url));
    const mark = op({ itemId: film.ratingKey, kind: 'played', title: film.title, payload: { unmarkedFirst: true } });

    await expect(server.deliver.send(mark, { signal: new AbortController().signal, now: Date.now() })).resolves.toBe('delivered');

    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });
});
