import { describe, expect, it } from 'vitest';
import { CLIP_RUNTIME_TICKS, startDemoServer, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { signedInClient, useDemoServer } from '../helpers/demo-server.js';

const SECOND = 10_000_000;
const v10 = useDemoServer({ version: '10.11.11' });
const v12 = useDemoServer({ version: '12.0.0' });

/** A movie nobody in this file has touched yet. */
let next = 0;
function freshMovie(server: DemoServer): string {
  next += 1;
  return server.library.all().filter((item) => item.type === 'Movie')[next]!.id;
}

describe('playback reports', () => {
  it('Start counts a play, stamps the server clock and clears Played on 10.11', async () => {
    // Given a watched movie
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.markPlayed(id, new Date('2020-01-01T00:00:00Z'));
    // When playback starts
    const before = Date.now();
    await client.reportPlaybackStart({ itemId: id, positionTicks: 0 });
    // Then it is unwatched again, with one more play dated now
    const data = await client.getUserData(id);
    expect(data).toMatchObject({ played: false, playCount: 2 });
    expect(data.lastPlayedDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('Start keeps Played on 12.0', async () => {
    const client = await signedInClient(v12());
    const id = freshMovie(v12());
    await client.markPlayed(id);
    await client.reportPlaybackStart({ itemId: id, positionTicks: 0 });
    expect(await client.getUserData(id)).toMatchObject({ played: true, playCount: 2 });
  });

  it('Progress under 5 % stores no position', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.reportPlaybackProgress({ itemId: id, positionTicks: 20 * SECOND });
    expect(await client.getUserData(id)).toMatchObject({ positionTicks: 0, played: false });
  });

  it('Progress between 5 % and 90 % stores the position as sent', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.reportPlaybackProgress({ itemId: id, positionTicks: 300 * SECOND, isPaused: true });
    expect(await client.getUserData(id)).toMatchObject({ positionTicks: 300 * SECOND, played: false, playedPercentage: 50 });
  });

  it('Progress over 90 % marks played and clears the position', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.reportPlaybackProgress({ itemId: id, positionTicks: 300 * SECOND });
    await client.reportPlaybackProgress({ itemId: id, positionTicks: 541 * SECOND });
    expect(await client.getUserData(id)).toMatchObject({ positionTicks: 0, played: true });
  });

  it('Stopped runs the same rules on the final position', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.reportPlaybackStart({ itemId: id, positionTicks: 0 });
    await client.reportPlaybackStopped({ itemId: id, positionTicks: CLIP_RUNTIME_TICKS - SECOND / 2 });
    expect(await client.getUserData(id)).toMatchObject({ positionTicks: 0, played: true, playCount: 1 });
  });

  it('sends whole, non-negative ticks even when mpv reports fractions', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.reportPlaybackStopped({ itemId: id, positionTicks: -0.4 });
    await client.reportPlaybackProgress({ itemId: id, positionTicks: 1_206_000_000.5 });
    expect(v10().journal.map((entry) => (entry.body as { PositionTicks?: number } | undefined)?.PositionTicks).filter((p) => p !== undefined).slice(-2)).toEqual([
      0,
      1_206_000_001,
    ]);
  });
});

describe('marks and verbatim writes', () => {
  it('markPlayed keeps datePlayed as LastPlayedDate and counts a play', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    const when = new Date('2023-07-04T18:30:00.250Z');
    const state = await client.markPlayed(id, when);
    expect(state).toMatchObject({ played: true, positionTicks: 0, playCount: 1, lastPlayedDate: when });
    expect(v10().userData('demo', id).LastPlayedDate).toBe('2023-07-04T18:30:00.25Z');
  });

  it('markUnplayed clears position, count and LastPlayedDate', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.markPlayed(id, new Date('2023-07-04T18:30:00Z'));
    const state = await client.markUnplayed(id);
    expect(state).toMatchObject({ played: false, positionTicks: 0, playCount: 0 });
    expect(state.lastPlayedDate).toBeUndefined();
  });

  it('markPlayed on a series marks every episode', async () => {
    const client = await signedInClient(v10());
    const series = v10().library.all().filter((item) => item.type === 'Series')[2]!;
    const state = await client.markPlayed(series.id);
    // (the mark's answer is `GetUserDataDto(item, user)`: no PlayedPercentage for a folder, UserDataManager.cs)
    expect(state).toMatchObject({ played: true, unplayedItemCount: 0 });
    const episodes = await client.episodes(series.id);
    expect(episodes.every((episode) => episode.userData.played)).toBe(true);
  });

  it('a UserData write stores position, Played and date verbatim, with no resume rules', async () => {
    // Given a movie
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    // When writing a 95 % position, unplayed, with an old date
    const when = new Date('2022-02-02T02:02:02Z');
    const state = await client.updateUserData(id, { playbackPositionTicks: 570 * SECOND, played: false, lastPlayedDate: when });
    // Then the server keeps exactly that
    expect(state).toMatchObject({ positionTicks: 570 * SECOND, played: false, lastPlayedDate: when });
    expect(v10().userData('demo', id)).toMatchObject({ PlaybackPositionTicks: 570 * SECOND, Played: false, LastPlayedDate: '2022-02-02T02:02:02.0000000Z' });
  });

  it('a UserData write leaves fields it does not name untouched', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    await client.markPlayed(id, new Date('2021-01-01T00:00:00Z'));
    await client.updateUserData(id, { playbackPositionTicks: 100 * SECOND });
    expect(await client.getUserData(id)).toMatchObject({ played: true, playCount: 1, positionTicks: 100 * SECOND, lastPlayedDate: new Date('2021-01-01T00:00:00Z') });
  });

  it('reads state another device wrote on the server', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    v10().setUserData('demo', id, { played: true, lastPlayedDate: new Date('2030-01-01T00:00:00Z') });
    expect(await client.getUserData(id)).toMatchObject({ played: true, lastPlayedDate: new Date('2030-01-01T00:00:00Z') });
  });
});

describe('playback info', () => {
  it('returns the item id as the media source and a play session', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    const source = await client.playbackInfo(id);
    expect(source).toMatchObject({ mediaSourceId: id, playSessionId: expect.stringMatching(/^[0-9a-f]{32}$/), runtimeTicks: CLIP_RUNTIME_TICKS });
  });

  it('lists the audio and subtitle streams, with a token-free address for the external subtitle that serves it', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    const source = await client.playbackInfo(id);
    // (Jellyfin numbers external files first, then the file's own streams)
    expect(source.streams.map((stream) => [stream.type, stream.index, stream.language, stream.isExternal])).toEqual([
      ['Subtitle', 0, 'ger', true],
      ['Audio', 2, 'eng', false],
      ['Audio', 3, 'fre', false],
      ['Subtitle', 4, 'eng', false],
      ['Subtitle', 5, 'spa', false],
    ]);
    expect(source).toMatchObject({ defaultAudioIndex: 2, defaultSubtitleIndex: 4 });
    expect(source.streams[1]!.label).toBe('English (default)');
    const external = source.streams.find((stream) => stream.isExternal)!;
    expect(external.url).toMatch(new RegExp(`^${client.serverUrl}/Videos/`));
    expect(external.url).not.toMatch(/api_?key|token/i);
    const reply = await fetch(external.url!, { headers: { authorization: client.authorizationHeader() } });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toMatch(/^1\r?\n00:0/);
  });

  it('streams the clip from the URL it builds, with the header and without a token in the URL', async () => {
    const client = await signedInClient(v10());
    const id = freshMovie(v10());
    const { mediaSourceId } = await client.playbackInfo(id);
    const reply = await fetch(client.streamUrl(id, mediaSourceId), { headers: { authorization: client.authorizationHeader(), range: 'bytes=0-7' } });
    expect(reply.status).toBe(206);
    expect(Buffer.from(await reply.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp');
  });
});

describe('media segments', () => {
  it('lists an episode\'s recap, intro and credits in ticks, and none for a film', async () => {
    const client = await signedInClient(v10());
    const season = v10().library.first('Season');
    const second = v10().library.children(season.id)[1]!;
    const segments = await client.mediaSegments(second.id);
    expect(segments.map((segment) => segment.type)).toEqual(['Recap', 'Intro', 'Outro']);
    expect(segments[1]).toEqual({ type: 'Intro', startTicks: 5 * 10_000_000, endTicks: 35 * 10_000_000 });
    expect(await client.mediaSegments(freshMovie(v10()))).toEqual([]);
  });

  it('gives none, without an error, from a server older than 10.10', async () => {
    const old = await startDemoServer({ adminPort: false, mediaSegments: false });
    try {
      const client = await signedInClient(old);
      expect(await client.mediaSegments(old.library.first('Episode').id)).toEqual([]);
    } finally {
      await old.close();
    }
  });
});

describe('the stream check before mpv gets the token', () => {
  it('refuses a stream that redirects to another host, and passes one that stays', async () => {
    // Given a server whose stream answers with a redirect elsewhere (a real HTTP server on loopback),
    // and one that answers HEAD with 200 but redirects what mpv sends: a GET
    const { createServer } = await import('node:http');
    const seen: Array<string | undefined> = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      if (request.url?.startsWith('/Videos/away/')) response.writeHead(302, { location: 'http://127.0.0.2:9/steal' }).end();
      else if (request.url?.startsWith('/Videos/sly/') && request.method === 'GET') response.writeHead(302, { location: 'http://127.0.0.2:9/steal' }).end();
      else response.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.alloc(64 * 1024));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const { JellyfinClient } = await import('../../src/servers/jellyfin/client.js');
      const client = new JellyfinClient({ serverUrl: url, deviceId: 'd', deviceName: 'h', clientVersion: '0', token: 'secret-token' });
      // Then the redirect is refused with a reason, and nothing was sent to the other host
      await expect(client.checkStreamOrigin(client.streamUrl('away', 'away'))).rejects.toThrow(/redirects to http:\/\/127\.0\.0\.2:9; reelterm will not send your sign-in there/);
      await expect(client.checkStreamOrigin(client.streamUrl('sly', 'sly'))).rejects.toThrow(/reelterm will not send your sign-in there/);
      await expect(client.checkStreamOrigin(client.streamUrl('here', 'here'))).resolves.toBeUndefined();
      expect(seen).toHaveLength(3);
      // and an address off the server (another port of the same host) is refused before any request carries the token
      const other = new JellyfinClient({ serverUrl: `${url}/jellyfin`, deviceId: 'd', deviceName: 'h', clientVersion: '0', token: 'secret-token' });
      await expect(other.checkStreamOrigin(`${url}/Videos/here/stream`)).rejects.toThrow(/a stream address off the server was refused/);
      await expect(client.checkStreamOrigin(`${url.replace(/:\d+$/, ':9')}/Videos/here/stream`)).rejects.toThrow(/off the server/);
      expect(seen).toHaveLength(3);
    } finally {
      server.close();
    }
  });
});
