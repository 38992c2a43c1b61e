import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const SECOND = 10_000_000;
const UNKNOWN = '0123456789abcdef0123456789abcdef';
const server = useDemoServer({
  library: { movies: 10 },
  users: [
    { name: 'demo', password: 'demo' },
    { name: 'kid', password: 'kid', enableUserPreferenceAccess: false, rememberAudioSelections: false },
  ],
});

const kidToken = () => rawSignIn(server(), 'kid-tablet', 'kid', 'kid');
const movie = (index: number) => server().library.all().filter((item) => item.type === 'Movie')[index]!.id;
const kidId = () => server().users.find((user) => user.name === 'kid')!.id;

describe('a user without preference access (UserPolicy.EnableUserPreferenceAccess = false)', () => {
  it('sees it in /Users/Me and in the sign-in result, with the remembered-track settings', async () => {
    const token = await kidToken();
    const me = (await raw(server(), 'GET', '/Users/Me', { token })).json;
    expect(me).toMatchObject({ Name: 'kid', Policy: { EnableUserPreferenceAccess: false, IsAdministrator: false }, Configuration: { RememberAudioSelections: false, RememberSubtitleSelections: true } });
    const signIn = await raw(server(), 'POST', '/Users/AuthenticateByName', {
      headers: { authorization: 'MediaBrowser Client="raw", Device="raw-host", DeviceId="kid-phone", Version="1.0"' },
      body: { Username: 'kid', Pw: 'kid' },
    });
    expect(signIn.json.User).toMatchObject({ Policy: { EnableUserPreferenceAccess: false }, Configuration: { RememberAudioSelections: false } });
  });

  it.each([
    ['GET', '/UserItems/{itemId}/UserData', 'User is not allowed to view this item user data.'],
    ['POST', '/UserItems/{itemId}/UserData', 'User is not allowed to update this item user data.'],
    ['GET', '/Users/{userId}/Items/{itemId}/UserData', 'User is not allowed to view this item user data.'],
    ['POST', '/Users/{userId}/Items/{itemId}/UserData', 'User is not allowed to update this item user data.'],
  ])('%s %s answers 403 with Jellyfin\'s message as a JSON string, and writes nothing', async (method, template, message) => {
    const token = await kidToken();
    const id = movie(1);
    const path = template.replace('{itemId}', id).replace('{userId}', kidId());
    const reply = await raw(server(), method, path, { token, body: method === 'POST' ? { Played: true, PlaybackPositionTicks: 100 * SECOND } : undefined });
    expect(reply).toMatchObject({ status: 403, contentType: 'application/json; charset=utf-8', json: message });
    expect(server().userData('kid', id)).toMatchObject({ Played: false, PlaybackPositionTicks: 0 });
  });

  it('is refused before the item is looked up, but after the body is read', async () => {
    const token = await kidToken();
    expect((await raw(server(), 'GET', `/UserItems/${UNKNOWN}/UserData`, { token })).status).toBe(403);
    expect((await raw(server(), 'POST', `/UserItems/${UNKNOWN}/UserData`, { token, body: { Played: true } })).status).toBe(403);
    expect((await raw(server(), 'POST', `/UserItems/${movie(1)}/UserData`, { token })).status).toBe(400);
    expect((await raw(server(), 'GET', '/UserItems/not-a-guid/UserData', { token })).status).toBe(400);
  });

  it('still marks played and unplayed and reports playback: those routes have no such check', async () => {
    const token = await kidToken();
    const [marked, reported] = [movie(2), movie(3)];
    expect((await raw(server(), 'POST', `/UserPlayedItems/${marked}`, { token })).json).toMatchObject({ Played: true });
    expect((await raw(server(), 'DELETE', `/UserPlayedItems/${marked}`, { token })).json).toMatchObject({ Played: false });
    await raw(server(), 'POST', '/Sessions/Playing', { token, body: { ItemId: reported, PositionTicks: 0 } });
    await raw(server(), 'POST', '/Sessions/Playing/Progress', { token, body: { ItemId: reported, PositionTicks: 200 * SECOND } });
    expect(server().userData('kid', reported)).toMatchObject({ PlaybackPositionTicks: 200 * SECOND, PlayCount: 1 });
  });

  it('leaves other users their access', async () => {
    const token = await rawSignIn(server(), 'demo-laptop');
    const id = movie(4);
    expect((await raw(server(), 'GET', '/Users/Me', { token })).json).toMatchObject({ Policy: { EnableUserPreferenceAccess: true }, Configuration: { RememberAudioSelections: true, RememberSubtitleSelections: true } });
    expect((await raw(server(), 'POST', `/UserItems/${id}/UserData`, { token, body: { PlaybackPositionTicks: 100 * SECOND } })).json).toMatchObject({ PlaybackPositionTicks: 100 * SECOND });
    expect((await raw(server(), 'GET', `/UserItems/${id}/UserData`, { token })).status).toBe(200);
  });
});
