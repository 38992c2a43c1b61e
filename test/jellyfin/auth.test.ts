import { describe, expect, it } from 'vitest';
import { authorizationHeader } from '../../src/servers/jellyfin/auth-header.js';
import { demoClient, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { failure } from '../helpers/api-error.js';

const server = useDemoServer({ users: [{ name: 'demo', password: 'demo' }, { name: 'ann', password: 'secret' }] });

describe('authorization header', () => {
  it('URL-encodes every value and adds Token only when set', () => {
    expect(authorizationHeader({ client: 'reelterm', device: 'my "box", den', deviceId: 'id 1', version: '0.1.0' })).toBe(
      'MediaBrowser Client="reelterm", Device="my%20%22box%22%2C%20den", DeviceId="id%201", Version="0.1.0"',
    );
    expect(authorizationHeader({ client: 'c', device: 'd', deviceId: 'i', version: 'v', token: 'abc' })).toMatch(/, Token="abc"$/);
  });

  it('round-trips an awkward device name through the server', async () => {
    const client = demoClient(server(), { deviceName: 'Ann\'s "laptop", upstairs + 1' });
    await client.authenticateByName('demo', 'demo');
    expect(server().journal.at(-1)?.client?.device).toBe('Ann\'s "laptop", upstairs + 1');
  });
});

describe('sign-in', () => {
  it('returns the token, user and server, and uses the token afterwards', async () => {
    const client = demoClient(server());
    const signIn = await client.authenticateByName('demo', 'demo');
    expect(signIn.token).toMatch(/^[0-9a-f]{32}$/);
    expect(signIn.userName).toBe('demo');
    expect(signIn.userId).toBe(server().users[0]?.id);
    expect(signIn.serverId).toMatch(/^[0-9a-f]{32}$/);
    expect((await client.me()).name).toBe('demo');
  });

  it('says "Wrong user name or password" as an auth error for a bad password', async () => {
    const error = await failure(demoClient(server()).authenticateByName('demo', 'nope'));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toContain('Wrong user name or password');
  });

  it('matches user names case-insensitively, as Jellyfin does', async () => {
    await expect(demoClient(server()).authenticateByName('DEMO', 'demo')).resolves.toMatchObject({ userName: 'demo' });
  });

  it('revokes the old token when the same device signs in again', async () => {
    // Given a client signed in on device "shared"
    const first = await signedInClient(server(), { deviceId: 'shared' });
    // When another instance signs in with the same DeviceId
    await signedInClient(server(), { deviceId: 'shared' });
    // Then the first token is refused
    expect((await failure(first.me())).kind).toBe('auth');
  });

  it('keeps tokens of other devices when one device signs in again', async () => {
    const other = await signedInClient(server(), { deviceId: 'other-device' });
    await signedInClient(server(), { deviceId: 'shared-2' });
    await signedInClient(server(), { deviceId: 'shared-2' });
    await expect(other.me()).resolves.toMatchObject({ name: 'demo' });
  });

  it('keeps tokens of other users on the same device', async () => {
    const demo = await signedInClient(server(), { deviceId: 'family-pc' });
    await demoClient(server(), { deviceId: 'family-pc' }).authenticateByName('ann', 'secret');
    await expect(demo.me()).resolves.toMatchObject({ name: 'demo' });
  });

  it('signs out: the server refuses the old token afterwards', async () => {
    // Given a signed-in client and a copy of its header
    const client = await signedInClient(server());
    const header = client.authorizationHeader();
    // When it logs out
    await client.logout();
    // Then the client forgets the token and the server no longer accepts it
    expect(client.signedIn).toBe(false);
    const reply = await fetch(`${server().url}/Users/Me`, { headers: { authorization: header } });
    expect(reply.status).toBe(401);
  });

  it('maps a 401 on an authorised call to an auth error', async () => {
    const client = demoClient(server(), { token: '0123456789abcdef0123456789abcdef' });
    const error = await failure(client.userViews());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });
});

describe('the token stays secret', () => {
  it('never appears in the stream URL, and is in the header for mpv', async () => {
    const client = await signedInClient(server());
    const signIn = await client.authenticateByName('demo', 'demo');
    const url = client.streamUrl('abc', 'abc');
    expect(url).not.toContain(signIn.token);
    expect(url).toBe(`${server().url}/Videos/abc/stream?static=true&MediaSourceId=abc`);
    expect(client.authorizationHeader()).toContain(`Token="${signIn.token}"`);
  });

  it('never appears in an error message', async () => {
    const token = 'feedfacefeedfacefeedfacefeedface';
    const client = demoClient(server(), { token });
    const errors = [await failure(client.userViews()), await failure(client.item('0123456789abcdef0123456789abcdef'))];
    server().faults.status(500);
    errors.push(await failure(client.userViews()));
    for (const error of errors) expect(`${error.message} ${String(error.stack)}`).not.toContain(token);
  });

  it('is never written to the server journal', async () => {
    const client = await signedInClient(server());
    await client.userViews();
    const token = (await client.authenticateByName('demo', 'demo')).token;
    expect(JSON.stringify(server().journal)).not.toContain(token);
    expect(JSON.stringify(server().journal)).not.toContain('"Pw":"demo"');
    expect(server().journal.at(-1)?.body).toEqual({ Username: 'demo', Pw: '[redacted]' });
  });
});
