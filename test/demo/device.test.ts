import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const SECOND = 10_000_000;
const MINUTE_MS = 60_000;
const PHONE = { client: 'Jellyfin Android', device: 'Phone', deviceId: 'demo-phone', hasToken: true };

describe('a second device of the same user', () => {
  const server = useDemoServer({ library: { movies: 40 }, users: [{ name: 'demo', password: 'demo' }, { name: 'other', password: 'other' }] });
  let next = 0;
  const freshMovie = (): string => server().library.all().filter((item) => item.type === 'Movie')[(next += 1)]!.id;
  afterEach(() => server().faults.clock(0));

  it('signs in over HTTP under its own identity, and each of its calls is a request in the journal', async () => {
    const id = freshMovie();
    const phone = await server().device('demo');
    await phone.start(id, 60);
    const seen = server().journal.map((entry) => ({ method: entry.method, route: entry.route, status: entry.status, user: entry.user, client: entry.client }));
    expect(seen).toEqual([
      { method: 'POST', route: '/Users/AuthenticateByName', status: 200, user: undefined, client: { ...PHONE, version: '2.6.3', hasToken: false } },
      { method: 'POST', route: '/Sessions/Playing', status: 204, user: 'demo', client: { ...PHONE, version: '2.6.3' } },
    ]);
    expect(server().journal[1]!.body).toMatchObject({ ItemId: id, PositionTicks: 60 * SECOND, IsPaused: false, PlaySessionId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('takes a custom client, device name and DeviceId', async () => {
    const tv = await server().device('other', { client: 'Jellyfin Web', deviceName: 'Living room, TV', deviceId: 'tv-1' });
    await tv.progress(freshMovie(), 10);
    expect(server().journal.at(-1)).toMatchObject({ user: 'other', client: { client: 'Jellyfin Web', device: 'Living room, TV', deviceId: 'tv-1' } });
  });

  it('goes through the same rules: on 10.11 its Start clears Played and counts a play', async () => {
    const id = freshMovie();
    server().setUserData('demo', id, { played: true, playCount: 1 });
    await (await server().device('demo')).start(id, 0);
    expect(server().userData('demo', id)).toMatchObject({ Played: false, PlayCount: 2, LastPlayedDate: expect.any(String) });
  });

  it('plays beside reelterm in a session of its own, and only the one that falls silent is stopped by the idle sweep', async () => {
    // Given reelterm paused on one film and the phone playing another
    const [onReelterm, onPhone] = [freshMovie(), freshMovie()];
    const token = await rawSignIn(server(), 'reelterm-device');
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { ItemId: onReelterm, PositionTicks: 100 * SECOND, IsPaused: true } });
    const phone = await server().device('demo');
    await phone.start(onPhone, 0);
    await phone.progress(onPhone, 300);
    expect(server().nowPlaying('demo')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: onReelterm, deviceId: 'reelterm-device', paused: true }),
        expect.objectContaining({ itemId: onPhone, deviceId: 'demo-phone', client: 'Jellyfin Android', paused: false }),
      ]),
    );
    // When reelterm checks in after four minutes and the phone never does again
    server().faults.clock(4 * MINUTE_MS);
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { ItemId: onReelterm, PositionTicks: 100 * SECOND, IsPaused: true } });
    server().faults.clock(6 * MINUTE_MS);
    const stops = server().sweepIdleSessions().filter((stop) => stop.itemId === onReelterm || stop.itemId === onPhone);
    // Then only the phone's playback is stopped, at its extrapolated position (the end: played)
    expect(stops).toEqual([{ userName: 'demo', itemId: onPhone, deviceId: 'demo-phone', positionTicks: 599 * SECOND }]);
    expect(server().userData('demo', onPhone)).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
    expect(server().nowPlaying('demo').map((playing) => playing.itemId).filter((itemId) => itemId === onReelterm || itemId === onPhone)).toEqual([onReelterm]);
  });

  it('stops with Failed without writing, and without a position as having watched to the end', async () => {
    const [failed, finished] = [freshMovie(), freshMovie()];
    const phone = await server().device('demo');
    await phone.progress(failed, 300);
    await phone.stop(failed, 400, { failed: true });
    expect(server().userData('demo', failed)).toMatchObject({ PlaybackPositionTicks: 300 * SECOND, Played: false });
    await phone.progress(finished, 300);
    await phone.stop(finished);
    expect(server().userData('demo', finished)).toMatchObject({ PlaybackPositionTicks: 0, Played: true, PlayCount: 1 });
    expect(server().nowPlaying('demo').filter((playing) => playing.deviceId === 'demo-phone')).toEqual([]);
  });

  it('marks played with the date it is given and unplayed, answering the UserItemDataDto', async () => {
    const id = freshMovie();
    const phone = await server().device('demo');
    expect(await phone.markPlayed(id, new Date('2024-05-01T20:00:00Z'))).toMatchObject({ Played: true, PlayCount: 1, LastPlayedDate: '2024-05-01T20:00:00.0000000Z', ItemId: id });
    expect(await phone.markUnplayed(id)).toMatchObject({ Played: false, PlayCount: 0 });
    expect(server().userData('demo', id)).not.toHaveProperty('LastPlayedDate');
  });

  it('says what the server answered when it refuses a request', async () => {
    const phone = await server().device('demo');
    server().faults.status(503, { times: 1 });
    await expect(phone.progress(freshMovie(), 30)).rejects.toThrow('Phone (demo-phone): POST /Sessions/Playing/Progress answered 503');
  });

  it('is refused for a user the demo server does not have', async () => {
    await expect(server().device('nobody')).rejects.toThrow('The demo server has no user named "nobody"');
  });
});

describe('acting as another device through the admin endpoint', () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer({ library: { movies: 12 } });
  });
  afterAll(async () => {
    await demo.close();
  });
  afterEach(async () => {
    demo.faults.clock(0);
    await demo.faults.clear();
  });

  async function admin(path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const reply = await fetch(`${demo.adminUrl}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return { status: reply.status, json: await reply.json() };
  }

  it('starts, reports and stops an item named exactly, as the user\'s phone', async () => {
    const movie = demo.library.all().filter((item) => item.type === 'Movie')[1]!;
    const started = await admin('/__demo/device', { user: 'demo', action: 'start', item: movie.name, positionSeconds: 120 });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ action: 'start', deviceId: 'demo-phone', item: { id: movie.id, name: movie.name }, userData: { PlayCount: 1 } });
    expect(started.json.nowPlaying).toEqual([expect.objectContaining({ itemId: movie.id, deviceId: 'demo-phone', positionTicks: 120 * SECOND })]);
    const paused = await admin('/__demo/device', { action: 'progress', item: movie.id, positionSeconds: 200, paused: true });
    expect(paused.json.userData).toMatchObject({ PlaybackPositionTicks: 200 * SECOND });
    expect(paused.json.nowPlaying).toEqual([expect.objectContaining({ paused: true })]);
    const stopped = await admin('/__demo/device', { action: 'stop', item: movie.id, positionSeconds: 250 });
    expect(stopped.json).toMatchObject({ userData: { PlaybackPositionTicks: 250 * SECOND }, nowPlaying: [] });
    expect(demo.journal.filter((entry) => entry.route?.startsWith('/Sessions/Playing')).map((entry) => entry.client?.deviceId)).toEqual(['demo-phone', 'demo-phone', 'demo-phone']);
  });

  it('marks played with a date and unplayed', async () => {
    const movie = demo.library.all().filter((item) => item.type === 'Movie')[2]!;
    expect((await admin('/__demo/device', { action: 'markPlayed', item: movie.id, datePlayed: '2024-05-01T20:00:00Z' })).json.userData).toMatchObject({ Played: true, LastPlayedDate: '2024-05-01T20:00:00.0000000Z' });
    expect((await admin('/__demo/device', { action: 'markUnplayed', item: movie.id })).json.userData).toMatchObject({ Played: false, PlayCount: 0 });
  });

  it.each([
    [{ user: 'nobody', action: 'start', item: 'x', positionSeconds: 1 }, 'Unknown user "nobody"; the demo users are demo'],
    [{ action: 'rewind', item: 'x' }, 'Unknown action "rewind"; use start, progress, stop, markPlayed, markUnplayed'],
    [{ action: 'start', item: 'No Such Film', positionSeconds: 1 }, 'No item in the demo library has the id or name "No Such Film"'],
    [{ action: 'start', item: 'Season 1', positionSeconds: 1 }, 'items are named "Season 1"; use an id instead'],
    [{ action: 'progress', item: 'Season 1' }, 'progress needs positionSeconds'],
    [{ action: 'stop', item: 'Season 1', positionSeconds: -5 }, 'positionSeconds must be a non-negative number'],
  ])('refuses %j with a message that says what is wrong', async (command, message) => {
    const reply = await admin('/__demo/device', command);
    expect(reply.status).toBe(400);
    expect(reply.json.error).toContain(message);
  });

  it('answers 502 when the server refuses the device, and signs in afresh on the next command', async () => {
    const movie = demo.library.first('Movie');
    await admin('/__demo/device', { action: 'progress', item: movie.id, positionSeconds: 10 });
    demo.faults.expireTokens();
    const refused = await admin('/__demo/device', { action: 'progress', item: movie.id, positionSeconds: 20 });
    expect(refused).toMatchObject({ status: 502, json: { error: 'Phone (demo-phone): POST /Sessions/Playing/Progress answered 401' } });
    expect((await admin('/__demo/device', { action: 'progress', item: movie.id, positionSeconds: 30 })).status).toBe(200);
  });

  it('changes the idle timings, runs a sweep on demand, and shows what every user plays', async () => {
    const movie = demo.library.all().filter((item) => item.type === 'Movie')[3]!;
    expect((await admin('/__demo/sessions', { idleTimeoutMs: 60_000 })).json).toEqual({ idleTimeoutMs: 60_000, idleSweepMs: 300_000 });
    await admin('/__demo/device', { action: 'progress', item: movie.id, positionSeconds: 100, paused: true });
    expect((await admin('/__demo/sessions')).json).toMatchObject({ idleTimeoutMs: 60_000, nowPlaying: { demo: [expect.objectContaining({ itemId: movie.id })] } });
    demo.faults.clock(2 * MINUTE_MS);
    const swept = await admin('/__demo/sessions', { sweep: true });
    expect(swept.json.stopped).toEqual(expect.arrayContaining([{ userName: 'demo', itemId: movie.id, deviceId: 'demo-phone', positionTicks: 100 * SECOND }]));
    expect((await admin('/__demo/sessions')).json.nowPlaying).toEqual({ demo: [] });
    expect((await admin('/__demo/sessions', { idleTimeoutMs: 300_000 })).json.idleTimeoutMs).toBe(300_000);
  });

  it('refuses a sessions command it does not understand', async () => {
    expect(await admin('/__demo/sessions', {})).toMatchObject({ status: 400, json: { error: expect.stringContaining('{"sweep":true}') } });
    expect(await admin('/__demo/sessions', { idleSweepMs: 0 })).toMatchObject({ status: 400, json: { error: 'idleSweepMs must be more than 0' } });
  });
});
