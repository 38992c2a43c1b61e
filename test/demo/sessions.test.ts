import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';
import { eventually } from '../helpers/wait.js';
import { locateOpenApiFixtures } from './openapi-fixtures.js';

const SECOND = 10_000_000;
const MINUTE_MS = 60_000;
const fixtures = locateOpenApiFixtures();

describe.each([
  ['10.11.11', useDemoServer({ library: { movies: 40 } })],
  ['12.0.0', useDemoServer({ version: '12.0.0', library: { movies: 40 } })],
] as const)('client sessions on Jellyfin %s', (version, server) => {
  const v10 = version === '10.11.11';
  let next = 0;

  afterEach(() => server().faults.clock(0));

  function freshMovie(): string {
    next += 1;
    return server().library.all().filter((item) => item.type === 'Movie')[next]!.id;
  }

  /** A client signed in on a device of its own, so each test has its own session. */
  async function player() {
    const deviceId = `player-${next}-${Math.random().toString(36).slice(2)}`;
    const token = await rawSignIn(server(), deviceId);
    const send = async (path: string, body: Record<string, unknown>) => expect((await raw(server(), 'POST', path, { token, body })).status).toBe(204);
    return { deviceId, token, send };
  }

  const stopsOf = (itemId: string) => server().sweepIdleSessions().filter((stop) => stop.itemId === itemId);
  const playingOn = (deviceId: string) => server().nowPlaying('demo').filter((playing) => playing.deviceId === deviceId);

  it('stops a player that went silent mid-film: 10.11 where its position ran on to (just short of the end: played), 12.0 where it last reported', async () => {
    // Given a player that started a film and reported 300 s of 600, playing
    const { deviceId, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing', { ItemId: id, PositionTicks: 0, PlaySessionId: 'play-1' });
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 300 * SECOND, PlaySessionId: 'play-1' });
    // When it says nothing for six minutes and the server sweeps
    server().faults.clock(6 * MINUTE_MS);
    const stops = stopsOf(id);
    // Then the server stops it itself
    const position = v10 ? 599 * SECOND : 300 * SECOND;
    expect(stops).toEqual([{ userName: 'demo', itemId: id, deviceId, positionTicks: position }]);
    expect(server().userData('demo', id)).toMatchObject(v10 ? { Played: true, PlaybackPositionTicks: 0, PlayCount: 1 } : { Played: false, PlaybackPositionTicks: 300 * SECOND, PlayCount: 1 });
    expect(playingOn(deviceId)).toEqual([]);
  });

  it('writes an extrapolated resume point on 10.11 and the reported one on 12.0 when the film is far from its end', async () => {
    const { send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 100 * SECOND });
    server().faults.clock(6 * MINUTE_MS);
    const [stop] = stopsOf(id);
    const written = server().userData('demo', id).PlaybackPositionTicks!;
    expect(stop?.positionTicks).toBe(written);
    if (v10) {
      // 100 s + one second per second of silence (at least 360), give or take a slow machine.
      expect(written).toBeGreaterThanOrEqual(460 * SECOND);
      expect(written).toBeLessThan(490 * SECOND);
    } else {
      expect(written).toBe(100 * SECOND);
    }
    expect(server().userData('demo', id).Played).toBe(false);
  });

  it('keeps a paused player where it paused, and the idle stop writes that position', async () => {
    const { deviceId, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 200 * SECOND, IsPaused: true });
    server().faults.clock(6 * MINUTE_MS);
    expect(playingOn(deviceId)).toEqual([expect.objectContaining({ itemId: id, positionTicks: 200 * SECOND, paused: true })]);
    expect(stopsOf(id)).toEqual([expect.objectContaining({ positionTicks: 200 * SECOND })]);
    expect(server().userData('demo', id)).toMatchObject({ Played: false, PlaybackPositionTicks: 200 * SECOND });
  });

  it('shows the running position while playing: one second more per second since the last check-in', async () => {
    const { deviceId, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 100 * SECOND, PlaySessionId: 'play-7' });
    server().faults.clock(30_000);
    const [playing] = playingOn(deviceId);
    expect(playing).toMatchObject({ itemId: id, paused: false, playSessionId: 'play-7', client: 'raw' });
    expect(playing!.positionTicks).toBeGreaterThanOrEqual(130 * SECOND);
    expect(playing!.positionTicks).toBeLessThan(160 * SECOND);
  });

  it('a Failed stop ends the playback without writing, so a later sweep has nothing to stop', async () => {
    // Given a playing session at 300 s
    const { deviceId, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing', { ItemId: id, PositionTicks: 0, PlaySessionId: 'play-2' });
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 300 * SECOND, PlaySessionId: 'play-2' });
    // When the client ends it with Failed=true and the server sweeps much later
    await send('/Sessions/Playing/Stopped', { ItemId: id, PlaySessionId: 'play-2', Failed: true });
    expect(playingOn(deviceId)).toEqual([]);
    server().faults.clock(60 * MINUTE_MS);
    // Then nothing is stopped or written: the resume point is the last reported one
    expect(stopsOf(id)).toEqual([]);
    expect(server().userData('demo', id)).toMatchObject({ Played: false, PlaybackPositionTicks: 300 * SECOND, PlayCount: 1 });
  });

  it('any Stopped report ends what the session plays, even one for another item', async () => {
    const { deviceId, send } = await player();
    const [playing, other] = [freshMovie(), freshMovie()];
    await send('/Sessions/Playing/Progress', { ItemId: playing, PositionTicks: 300 * SECOND });
    await send('/Sessions/Playing/Stopped', { ItemId: other, PositionTicks: 100 * SECOND });
    expect(playingOn(deviceId)).toEqual([]);
    server().faults.clock(60 * MINUTE_MS);
    expect(stopsOf(playing)).toEqual([]);
    expect(server().userData('demo', playing)).toMatchObject({ Played: false, PlaybackPositionTicks: 300 * SECOND });
  });

  it('leaves a player that checks in within the timeout alone, and stops it once it falls silent', async () => {
    const { deviceId, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 100 * SECOND, IsPaused: true });
    server().faults.clock(4 * MINUTE_MS);
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 110 * SECOND, IsPaused: true });
    server().faults.clock(8 * MINUTE_MS);
    expect(stopsOf(id)).toEqual([]);
    expect(playingOn(deviceId)).toEqual([expect.objectContaining({ itemId: id, positionTicks: 110 * SECOND })]);
    server().faults.clock(10 * MINUTE_MS);
    expect(stopsOf(id)).toEqual([expect.objectContaining({ deviceId, positionTicks: 110 * SECOND })]);
  });

  it('Ping keeps no session alive: only Start and Progress are check-ins', async () => {
    const { token, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 100 * SECOND, IsPaused: true, PlaySessionId: 'play-3' });
    server().faults.clock(4 * MINUTE_MS);
    expect((await raw(server(), 'POST', '/Sessions/Playing/Ping?playSessionId=play-3', { token })).status).toBe(204);
    server().faults.clock(6 * MINUTE_MS);
    expect(stopsOf(id)).toHaveLength(1);
  });

  it('signing in again on the same device ends its session without a stop, so nothing is written later', async () => {
    const { deviceId, send } = await player();
    const id = freshMovie();
    await send('/Sessions/Playing/Progress', { ItemId: id, PositionTicks: 300 * SECOND });
    await rawSignIn(server(), deviceId);
    expect(playingOn(deviceId)).toEqual([]);
    server().faults.clock(60 * MINUTE_MS);
    expect(stopsOf(id)).toEqual([]);
    expect(server().userData('demo', id)).toMatchObject({ Played: false, PlaybackPositionTicks: 300 * SECOND });
  });

  it('GET /Sessions shows the session the sign-in created, then its now-playing item and play state', async () => {
    const deviceId = `sessions-${version}`;
    const signIn = await raw(server(), 'POST', '/Users/AuthenticateByName', {
      headers: { authorization: `MediaBrowser Client="raw", Device="raw-host", DeviceId="${deviceId}", Version="1.0"` },
      body: { Username: 'demo', Pw: 'demo' },
    });
    const token = signIn.json.AccessToken as string;
    const mine = async () => (await raw(server(), 'GET', `/Sessions?deviceId=${deviceId.toUpperCase()}`, { token })).json as any[];
    expect(await mine()).toEqual([expect.objectContaining({ Id: signIn.json.SessionInfo.Id, DeviceId: deviceId, UserName: 'demo', PlayState: expect.not.objectContaining({ PositionTicks: expect.anything() }) })]);
    expect((await mine())[0]).not.toHaveProperty('NowPlayingItem');

    const movie = server().library.get(freshMovie())!;
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { ItemId: movie.id, PositionTicks: 120 * SECOND, IsPaused: true, CanSeek: true } });
    const [session] = await mine();
    expect(session).toMatchObject({
      NowPlayingItem: { Id: movie.id, Name: movie.name, RunTimeTicks: 600 * SECOND, Type: 'Movie' },
      PlayState: { PositionTicks: 120 * SECOND, IsPaused: true, CanSeek: true, MediaSourceId: movie.id },
      LastPausedDate: expect.stringMatching(/Z$/),
    });
    expect(Date.parse(session.LastPlaybackCheckIn)).toBeGreaterThan(Date.now() - MINUTE_MS);
  });

  it.skipIf(!fixtures.available)('GET /Sessions sends only properties the OpenAPI document of this version lists', async () => {
    const spec = JSON.parse(readFileSync(join(fixtures.dir, `jellyfin-openapi-${version}.json`), 'utf8')) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const listed = (schema: string) => Object.keys(spec.components.schemas[schema]!.properties);
    const { token, send } = await player();
    await send('/Sessions/Playing/Progress', { ItemId: freshMovie(), PositionTicks: 120 * SECOND });
    const sessions = (await raw(server(), 'GET', '/Sessions', { token })).json as any[];
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(listed('SessionInfoDto')).toEqual(expect.arrayContaining(Object.keys(session)));
      expect(listed('PlayerStateInfo')).toEqual(expect.arrayContaining(Object.keys(session.PlayState)));
      if (session.NowPlayingItem) expect(listed('BaseItemDto')).toEqual(expect.arrayContaining(Object.keys(session.NowPlayingItem)));
    }
  });
});

describe('the idle sweep timer', () => {
  const server = useDemoServer({ library: { movies: 5 }, sessions: { idleTimeoutMs: 0, idleSweepMs: 50 } });

  it('runs by itself every idleSweepMs and stops a player that reported no position as having watched to the end', async () => {
    // Given a player that started a film, paused, without a position
    const token = await rawSignIn(server(), 'timer-device');
    const id = server().library.first('Movie').id;
    await raw(server(), 'POST', '/Sessions/Playing', { token, body: { ItemId: id, IsPaused: true } });
    // Then the server's own sweep stops it: a stop without a position counts a play and marks it played
    await eventually(() => expect(server().userData('demo', id)).toMatchObject({ Played: true, PlayCount: 2, PlaybackPositionTicks: 0 }), 10_000);
    expect(server().nowPlaying('demo')).toEqual([]);
  });
});
