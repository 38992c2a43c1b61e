import { describe, expect, it } from 'vitest';
import { CLIENT_HEADER, useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const v10 = useDemoServer({ version: '10.11.11' });
const v12 = useDemoServer({ version: '12.0.0' });

describe('wire conventions', () => {
  it('matches paths and query names case-insensitively', async () => {
    const token = await rawSignIn(v10());
    const movies = v10().library.views[0]!.id;
    const reply = await raw(v10(), 'GET', `/items?PARENTID=${movies}&LiMiT=3`, { token });
    expect(reply.status).toBe(200);
    expect(reply.json.Items).toHaveLength(3);
    expect(reply.json.TotalRecordCount).toBe(36);
  });

  it('writes PascalCase JSON with nulls omitted, N-form GUIDs and UTC dates', async () => {
    const token = await rawSignIn(v10());
    const movie = v10().library.first('Movie');
    const reply = await raw(v10(), 'GET', `/Items/${movie.id}`, { token });
    expect(reply.contentType).toBe('application/json; charset=utf-8');
    expect(reply.json.Id).toMatch(/^[0-9a-f]{32}$/);
    expect(reply.json.PremiereDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000Z$/);
    expect(reply.text).not.toContain('null');
    expect(reply.json).not.toHaveProperty('SeriesId');
    expect(reply.json.UserData).not.toHaveProperty('LastPlayedDate');
  });

  it('accepts a dashed GUID in the route and answers 400 for a non-GUID', async () => {
    const token = await rawSignIn(v10());
    const id = v10().library.first('Movie').id;
    const dashed = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`.toUpperCase();
    expect((await raw(v10(), 'GET', `/Items/${dashed}`, { token })).json.Id).toBe(id);
    expect((await raw(v10(), 'GET', '/Items/movie-1', { token })).status).toBe(400);
  });

  it('answers 404 with no body for an unknown route and 405 for a wrong method', async () => {
    const token = await rawSignIn(v10());
    expect(await raw(v10(), 'GET', '/Nope/Nothing', { token })).toMatchObject({ status: 404, text: '' });
    expect((await raw(v10(), 'DELETE', '/System/Ping')).status).toBe(405);
  });
});

describe('authentication', () => {
  it('answers the ping anonymously on GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      expect(await raw(v10(), method, '/System/Ping')).toMatchObject({ status: 200, json: 'Jellyfin Server' });
    }
  });

  it('reports the emulated version in the public info', async () => {
    expect((await raw(v10(), 'GET', '/System/Info/Public')).json).toMatchObject({ Version: '10.11.11', ProductName: 'Jellyfin Server' });
    expect((await raw(v12(), 'GET', '/System/Info/Public')).json.Version).toBe('12.0.0');
  });

  it('answers 401 with an empty body without a token or with an unknown one', async () => {
    expect(await raw(v10(), 'GET', '/UserViews')).toMatchObject({ status: 401, text: '' });
    expect(await raw(v10(), 'GET', '/UserViews', { token: 'ffffffffffffffffffffffffffffffff' })).toMatchObject({ status: 401, text: '' });
  });

  it('requires Client, Device, DeviceId and Version to sign in (400)', async () => {
    const body = { Username: 'demo', Pw: 'demo' };
    expect((await raw(v10(), 'POST', '/Users/AuthenticateByName', { body })).status).toBe(400);
    const noVersion = 'MediaBrowser Client="c", Device="d", DeviceId="i"';
    expect((await raw(v10(), 'POST', '/Users/AuthenticateByName', { body, headers: { authorization: noVersion } })).status).toBe(400);
    expect((await raw(v10(), 'POST', '/Users/AuthenticateByName', { body, headers: { authorization: CLIENT_HEADER } })).status).toBe(200);
  });

  it('answers 401 to a wrong password', async () => {
    const reply = await raw(v10(), 'POST', '/Users/AuthenticateByName', { body: { Username: 'demo', Pw: 'x' }, headers: { authorization: CLIENT_HEADER } });
    expect(reply.status).toBe(401);
  });

  it('returns the AuthenticationResult shape', async () => {
    const reply = await raw(v10(), 'POST', '/Users/AuthenticateByName', { body: { username: 'demo', pw: 'demo' }, headers: { authorization: CLIENT_HEADER } });
    expect(Object.keys(reply.json).sort()).toEqual(['AccessToken', 'ServerId', 'SessionInfo', 'User']);
    expect(reply.json.User).toMatchObject({ Name: 'demo', HasPassword: true, Policy: { IsAdministrator: false } });
    expect(reply.json.SessionInfo).toMatchObject({ DeviceId: 'test-device', Client: 'reelterm', ApplicationVersion: '0.1.0' });
  });

  it('URL-decodes header values', async () => {
    await raw(v10(), 'POST', '/Users/AuthenticateByName', {
      body: { Username: 'demo', Pw: 'demo' },
      headers: { authorization: 'MediaBrowser Client="reel%20term", Device="a%2C+b", DeviceId="x", Version="1"' },
    });
    expect(v10().journal.at(-1)?.client).toMatchObject({ client: 'reel term', device: 'a, b' });
  });

  it.each([
    ['X-Emby-Token', (token: string) => ({ headers: { 'X-Emby-Token': token } }), ''],
    ['X-MediaBrowser-Token', (token: string) => ({ headers: { 'X-MediaBrowser-Token': token } }), ''],
    ['X-Emby-Authorization', (token: string) => ({ headers: { 'X-Emby-Authorization': `MediaBrowser Token="${token}"` } }), ''],
    ['the Emby scheme', (token: string) => ({ headers: { authorization: `Emby Token="${token}"` } }), ''],
    ['api_key', () => ({}), 'api_key'],
  ])('accepts legacy %s on 10.11 and rejects it on 12.0', async (_name, options, queryName) => {
    for (const [server, expected] of [
      [v10(), 200],
      [v12(), 401],
    ] as const) {
      const token = await rawSignIn(server);
      const path = queryName ? `/Users/Me?${queryName}=${token}` : '/Users/Me';
      expect((await raw(server, 'GET', path, options(token))).status).toBe(expected);
    }
  });

  it('accepts the ApiKey query on both versions', async () => {
    for (const server of [v10(), v12()]) {
      const token = await rawSignIn(server);
      expect((await raw(server, 'GET', `/Users/Me?ApiKey=${token}`)).status).toBe(200);
    }
  });

  it('redacts the token in the journal', async () => {
    const token = await rawSignIn(v10());
    await raw(v10(), 'GET', `/Users/Me?ApiKey=${token}`);
    await raw(v10(), 'GET', '/UserViews', { token });
    const entries = v10().journal.slice(-2);
    expect(entries[0]?.query).toEqual({ ApiKey: '[redacted]' });
    expect(entries[1]?.client?.hasToken).toBe(true);
    expect(entries[1]?.user).toBe('demo');
    expect(JSON.stringify(v10().journal)).not.toContain(token);
  });

  it('rejects another user\'s userId with 403', async () => {
    const token = await rawSignIn(v10());
    expect((await raw(v10(), 'GET', '/UserViews?userId=0123456789abcdef0123456789abcdef', { token })).status).toBe(403);
    expect((await raw(v10(), 'GET', `/UserViews?userId=${v10().users[0]!.id}`, { token })).status).toBe(200);
  });
});

describe('item queries', () => {
  it('includes Overview, Path and MediaSources only when named in Fields', async () => {
    const token = await rawSignIn(v10());
    const movies = v10().library.views[0]!.id;
    const bare = (await raw(v10(), 'GET', `/Items?parentId=${movies}&limit=1`, { token })).json.Items[0];
    const full = (await raw(v10(), 'GET', `/Items?parentId=${movies}&limit=1&fields=overview,Path,MediaSources,Bogus`, { token })).json.Items[0];
    for (const field of ['Overview', 'Path', 'MediaSources']) {
      expect(bare).not.toHaveProperty(field);
      expect(full).toHaveProperty(field);
    }
    expect(bare).toHaveProperty('RunTimeTicks');
    expect(bare).toHaveProperty('UserData');
  });

  it('omits UserData with enableUserData=false', async () => {
    const token = await rawSignIn(v10());
    const reply = await raw(v10(), 'GET', '/UserViews?enableUserData=false', { token });
    expect(reply.json.Items[0]).not.toHaveProperty('UserData');
  });

  it('selects by ids, in the order given', async () => {
    const token = await rawSignIn(v10());
    const [a, b] = v10().library.all().slice(0, 2);
    const reply = await raw(v10(), 'GET', `/Items?ids=${b!.id},${a!.id}`, { token });
    expect(reply.json.Items.map((item: { Id: string }) => item.Id)).toEqual([b!.id, a!.id]);
  });

  it('answers IsPlayed,IsUnplayed with an empty list on 10.11 and 400 on 12.0', async () => {
    const filter = '/Items?recursive=true&filters=IsPlayed,IsUnplayed';
    expect((await raw(v10(), 'GET', filter, { token: await rawSignIn(v10()) })).json).toMatchObject({ Items: [], TotalRecordCount: 0 });
    expect((await raw(v12(), 'GET', filter, { token: await rawSignIn(v12()) })).status).toBe(400);
  });

  it('counts every match in TotalRecordCount whatever the page', async () => {
    const token = await rawSignIn(v10());
    const reply = await raw(v10(), 'GET', '/Items?recursive=true&includeItemTypes=Episode&startIndex=190&limit=50', { token });
    expect(reply.json).toMatchObject({ TotalRecordCount: 192, StartIndex: 190 });
    expect(reply.json.Items).toHaveLength(2);
  });

  it('answers 404 for seasons of an unknown series', async () => {
    const token = await rawSignIn(v10());
    expect((await raw(v10(), 'GET', '/Shows/0123456789abcdef0123456789abcdef/Seasons', { token })).status).toBe(404);
  });
});
