import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const SECOND = 10_000_000;
const server = useDemoServer({ library: { movies: 40 } });

let next = 0;
function freshMovie(): string {
  next += 1;
  return server().library.all().filter((item) => item.type === 'Movie')[next]!.id;
}

describe('playstate rules (SessionManager, UserDataManager)', () => {
  it('Stopped without PositionTicks marks the item played and counts a play', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    server().setUserData('demo', id, { playbackPositionTicks: 200 * SECOND });
    expect((await raw(server(), 'POST', '/Sessions/Playing/Stopped', { token, body: { ItemId: id } })).status).toBe(204);
    expect(server().userData('demo', id)).toMatchObject({ Played: true, PlayCount: 1, PlaybackPositionTicks: 0 });
  });

  it('Stopped with a negative position is a 400 and changes nothing', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    expect((await raw(server(), 'POST', '/Sessions/Playing/Stopped', { token, body: { ItemId: id, PositionTicks: -1 } })).status).toBe(400);
    expect(server().userData('demo', id)).toMatchObject({ Played: false, PlayCount: 0 });
  });

  it('Failed=true on Stopped leaves user data alone', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    await raw(server(), 'POST', '/Sessions/Playing/Stopped', { token, body: { ItemId: id, Failed: true } });
    expect(server().userData('demo', id)).toMatchObject({ Played: false, PlayCount: 0 });
  });

  it('a report for an unknown item is a 204 no-op', async () => {
    const token = await rawSignIn(server());
    for (const path of ['/Sessions/Playing', '/Sessions/Playing/Progress', '/Sessions/Playing/Stopped']) {
      expect((await raw(server(), 'POST', path, { token, body: { ItemId: '0123456789abcdef0123456789abcdef', PositionTicks: 5 } })).status).toBe(204);
    }
  });

  it('Progress and Stopped update user data without a prior Start, and never touch LastPlayedDate', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { itemid: id, positionticks: String(150 * SECOND) } });
    expect(server().userData('demo', id)).toMatchObject({ PlaybackPositionTicks: 150 * SECOND, PlayCount: 0 });
    expect(server().userData('demo', id)).not.toHaveProperty('LastPlayedDate');
  });

  it('exactly 90 % keeps the position; just over marks played', async () => {
    const token = await rawSignIn(server());
    const [kept, played] = [freshMovie(), freshMovie()];
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { ItemId: kept, PositionTicks: 540 * SECOND } });
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { ItemId: played, PositionTicks: 540 * SECOND + 1 } });
    expect(server().userData('demo', kept)).toMatchObject({ Played: false, PlaybackPositionTicks: 540 * SECOND });
    expect(server().userData('demo', played)).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
  });

  it('datePlayed accepts the legacy yyyyMMddHHmmss form as UTC', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    const reply = await raw(server(), 'POST', `/UserPlayedItems/${id}?datePlayed=20230102030405`, { token });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ Played: true, LastPlayedDate: '2023-01-02T03:04:05.0000000Z', ItemId: id, Key: id });
  });

  it('markPlayed without a date keeps an existing LastPlayedDate and PlayCount at least 1', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    server().setUserData('demo', id, { lastPlayedDate: new Date('2020-05-05T00:00:00Z') });
    const reply = await raw(server(), 'POST', `/UserPlayedItems/${id}`, { token });
    expect(reply.json).toMatchObject({ Played: true, PlayCount: 1, LastPlayedDate: '2020-05-05T00:00:00.0000000Z' });
  });

  it('UserPlayedItems and UserData answer 404 for an unknown item', async () => {
    const token = await rawSignIn(server());
    const unknown = '0123456789abcdef0123456789abcdef';
    expect((await raw(server(), 'POST', `/UserPlayedItems/${unknown}`, { token })).status).toBe(404);
    expect((await raw(server(), 'DELETE', `/UserPlayedItems/${unknown}`, { token })).status).toBe(404);
    expect((await raw(server(), 'GET', `/UserItems/${unknown}/UserData`, { token })).status).toBe(404);
    expect((await raw(server(), 'POST', `/UserItems/${unknown}/UserData`, { token, body: { Played: true } })).status).toBe(404);
  });

  it('a UserData write copies PlayCount and IsFavorite and ignores PlayedPercentage and Key', async () => {
    const token = await rawSignIn(server());
    const id = freshMovie();
    const reply = await raw(server(), 'POST', `/UserItems/${id}/UserData`, {
      token,
      body: { PlayCount: 7, IsFavorite: true, PlayedPercentage: 99, Key: 'other', PlaybackPositionTicks: null },
    });
    expect(reply.json).toMatchObject({ PlayCount: 7, IsFavorite: true, Key: id, PlaybackPositionTicks: 0 });
    expect(reply.json).not.toHaveProperty('PlayedPercentage');
  });

  it('a body without Content-Type: application/json is a 415', async () => {
    const token = await rawSignIn(server());
    const reply = await raw(server(), 'POST', '/Sessions/Playing', { token, body: { ItemId: freshMovie() }, headers: { 'content-type': 'text/plain' } });
    expect(reply.status).toBe(415);
  });
});
