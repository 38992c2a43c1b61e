import { describe, expect, it } from 'vitest';
import { startPlexDemoServer } from '../../src/servers/plex/demo/index.js';
import { CLIENT, plexTv, pms, usePlexDemo } from './helpers.js';

// The plex.tv half (PLEX.md §2, §7.1): PIN sign-in, the user, resources and ping, on its own port.

const demo = usePlexDemo();

describe('the PIN flow (PLEX.md §2.2)', () => {
  it('creates a PIN: 201, a 4-character code, expiresIn 900, no token yet', async () => {
    const reply = await plexTv(demo(), 'POST', '/api/v2/pins');
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ id: expect.any(Number), code: expect.stringMatching(/^[A-Z0-9]{4}$/), product: 'reelterm', clientIdentifier: CLIENT['X-Plex-Client-Identifier'], expiresIn: 900, authToken: null, trusted: false });
    expect(Date.parse(reply.json.expiresAt) - Date.parse(reply.json.createdAt)).toBe(900_000);
  });

  it('creates a strong PIN (25 characters) with ?strong=true', async () => {
    const reply = await plexTv(demo(), 'POST', '/api/v2/pins?strong=true');
    expect(reply.json.code).toMatch(/^[a-z0-9]{25}$/);
  });

  it('answers 400 code 1000 without X-Plex-Client-Identifier or X-Plex-Product', async () => {
    const bare = await plexTv(demo(), 'POST', '/api/v2/pins', { anonymous: true });
    expect(bare.status).toBe(400);
    expect(bare.json).toEqual({ errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }] });
    const noProduct = await plexTv(demo(), 'POST', '/api/v2/pins', { anonymous: true, headers: { 'X-Plex-Client-Identifier': 'x' } });
    expect(noProduct.status).toBe(400);
  });

  it('polls until the code is linked (the test hook plays the user at plex.tv/link), then hands out the account token', async () => {
    const { id, code } = (await plexTv(demo(), 'POST', '/api/v2/pins')).json;
    expect((await plexTv(demo(), 'GET', `/api/v2/pins/${id}`)).json.authToken).toBeNull();
    expect(demo().linkPin('ZZZZZ')).toBe(false);
    expect(demo().linkPin(code)).toBe(true);
    const linked = await plexTv(demo(), 'GET', `/api/v2/pins/${id}`);
    expect(linked.json.authToken).toBe(demo().owner.authToken);
    // The account token is for plex.tv; the server's own token comes from resources (PLEX.md §0.10).
    expect(demo().owner.authToken).not.toBe(demo().owner.serverToken);
  });

  it('links to another account when asked', async () => {
    const { id, code } = (await plexTv(demo(), 'POST', '/api/v2/pins')).json;
    demo().linkPin(code, 'kid');
    expect((await plexTv(demo(), 'GET', `/api/v2/pins/${id}`)).json.authToken).toBe(demo().users[1]!.authToken);
  });

  it('answers 404 code 1020 once the PIN expired, and to another client', async () => {
    const { id, code } = (await plexTv(demo(), 'POST', '/api/v2/pins')).json;
    const other = await plexTv(demo(), 'GET', `/api/v2/pins/${id}`, { headers: { 'X-Plex-Client-Identifier': 'someone-else' } });
    expect(other.status).toBe(404);
    demo().plexTvFaults.clock(15 * 60_000 + 1_000);
    const expired = await plexTv(demo(), 'GET', `/api/v2/pins/${id}`);
    expect(expired.status).toBe(404);
    expect(expired.json).toEqual({ errors: [{ code: 1020, message: 'Code not found or expired', status: 404 }] });
    expect(demo().linkPin(code)).toBe(false);
  });

  it('links every new PIN at once with autoLinkPins (for `--demo --plex`)', async () => {
    const auto = await startPlexDemoServer({ autoLinkPins: true, library: { films: 1, shows: 0 } });
    try {
      const { id } = (await plexTv(auto, 'POST', '/api/v2/pins')).json;
      expect((await plexTv(auto, 'GET', `/api/v2/pins/${id}`)).json.authToken).toBe(auto.owner.authToken);
    } finally {
      await auto.close();
    }
  });
});

describe('the user and ping (PLEX.md §2.2 step 4)', () => {
  it('answers 200 with the account for a valid token, 401 JSON for any other', async () => {
    const ok = await plexTv(demo(), 'GET', '/api/v2/user', { token: demo().owner.authToken });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: demo().owner.id, username: 'demo', uuid: demo().owner.uuid, authToken: demo().owner.authToken, rememberExpiresAt: expect.any(Number) });
    const bad = await plexTv(demo(), 'GET', '/api/v2/user', { token: 'not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }] });
    // The server token is not a plex.tv token.
    expect((await plexTv(demo(), 'GET', '/api/v2/user', { token: demo().owner.serverToken })).status).toBe(401);
  });

  it('pings with a valid token', async () => {
    expect((await plexTv(demo(), 'GET', '/api/v2/ping', { token: demo().owner.authToken })).status).toBe(200);
    expect((await plexTv(demo(), 'GET', '/api/v2/ping')).status).toBe(401);
  });
});

describe('resources (PLEX.md §2.4)', () => {
  it('lists the server with its own accessToken and connections, a player, and a friend\'s offline server', async () => {
    const reply = await plexTv(demo(), 'GET', '/api/v2/resources?includeHttps=1&includeRelay=1', { token: demo().owner.authToken });
    expect(reply.status).toBe(200);
    const devices = reply.json as Array<Record<string, any>>;
    const servers = devices.filter((device) => String(device.provides).split(',').includes('server'));
    expect(servers.map((server) => server.name)).toEqual(['reelterm demo', "Friend's Plex"]);
    const [server] = servers;
    expect(server).toMatchObject({ product: 'Plex Media Server', clientIdentifier: demo().machineIdentifier, owned: true, presence: true, accessToken: demo().owner.serverToken });
    expect(server!.accessToken).not.toBe(demo().owner.authToken);
    expect(server!.connections.map((c: any) => [c.local, c.relay])).toEqual([
      [false, true],
      [true, false],
      [false, false],
    ]);
    for (const c of server!.connections) expect(c).toMatchObject({ protocol: 'http', address: '127.0.0.1', port: expect.any(Number), uri: `http://127.0.0.1:${c.port}`, IPv6: false });
    expect(devices.find((device) => device.provides === 'client,player')).toBeDefined();
    expect(servers[1]).toMatchObject({ owned: false, presence: false });
  });

  it('leaves the relay out without includeRelay=1', async () => {
    const reply = await plexTv(demo(), 'GET', '/api/v2/resources', { token: demo().owner.authToken });
    expect(reply.json[0].connections.some((c: any) => c.relay)).toBe(false);
  });

  it('has a refused local connection, a working remote one and a working relay, each answering /identity', async () => {
    const [server] = (await plexTv(demo(), 'GET', '/api/v2/resources?includeRelay=1', { token: demo().owner.authToken })).json;
    const probe = async (uri: string) => {
      try {
        const reply = await fetch(`${uri}/identity`, { headers: { Accept: 'application/json' } });
        return ((await reply.json()) as { MediaContainer: { machineIdentifier: string } }).MediaContainer.machineIdentifier;
      } catch {
        return 'refused';
      }
    };
    const byKind = (local: boolean, relay: boolean) => server.connections.find((c: any) => c.local === local && c.relay === relay).uri;
    expect(await probe(byKind(true, false))).toBe('refused');
    expect(await probe(byKind(false, false))).toBe(demo().machineIdentifier);
    expect(await probe(byKind(false, true))).toBe(demo().machineIdentifier);
    // An authenticated call through the relay works with the server token.
    const sections = await fetch(`${byKind(false, true)}/library/sections`, { headers: { Accept: 'application/json', 'X-Plex-Token': server.accessToken } });
    expect(sections.status).toBe(200);
  });

  it('can make the remote connection fail too, so only the relay is left', async () => {
    demo().setReachability({ remote: false });
    const [server] = (await plexTv(demo(), 'GET', '/api/v2/resources?includeRelay=1', { token: demo().owner.authToken })).json;
    const remote = server.connections.find((c: any) => !c.local && !c.relay);
    await expect(fetch(`${remote.uri}/identity`)).rejects.toThrow();
  });

  it('gives a managed user the server as a home member, not its owner, with its own token', async () => {
    const kid = demo().users[1]!;
    const [server] = (await plexTv(demo(), 'GET', '/api/v2/resources', { token: kid.authToken })).json;
    expect(server).toMatchObject({ owned: false, home: true, accessToken: kid.serverToken });
    expect((await pms(demo(), 'GET', '/library/sections', { token: kid.serverToken })).status).toBe(200);
  });

  it('answers 401 JSON without a valid account token', async () => {
    const reply = await plexTv(demo(), 'GET', '/api/v2/resources');
    expect(reply.status).toBe(401);
    expect(reply.json.errors[0].code).toBe(1001);
  });
});
