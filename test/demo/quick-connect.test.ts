import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const server = useDemoServer();
const shortLived = useDemoServer({ quickConnectExpiryMs: 500 });
const disabled = useDemoServer({ quickConnect: false });

const TV = 'MediaBrowser Client="tv", Device="living-room", DeviceId="tv-1", Version="2.0"';

async function initiate(demo: DemoServer, header = TV) {
  return raw(demo, 'POST', '/QuickConnect/Initiate', { headers: { authorization: header } });
}

function connect(demo: DemoServer, secret: string) {
  return raw(demo, 'GET', `/QuickConnect/Connect?secret=${secret}`);
}

function exchange(demo: DemoServer, secret: string) {
  return raw(demo, 'POST', '/Users/AuthenticateWithQuickConnect', { headers: { authorization: TV }, body: { Secret: secret } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Quick Connect', () => {
  it('says it is enabled, anonymously', async () => {
    expect(await raw(server(), 'GET', '/QuickConnect/Enabled')).toMatchObject({ status: 200, json: true });
  });

  it('signs a device in once a signed-in user authorizes its code', async () => {
    // Given a TV that starts a request
    const started = await initiate(server());
    expect(started.status).toBe(200);
    expect(started.json).toEqual({
      Authenticated: false,
      Secret: expect.stringMatching(/^[0-9A-F]{64}$/),
      Code: expect.stringMatching(/^[1-9]\d{5}$/),
      DeviceId: 'tv-1',
      DeviceName: 'living-room',
      AppName: 'tv',
      AppVersion: '2.0',
      DateAdded: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    const { Secret: secret, Code: code } = started.json as { Secret: string; Code: string };
    expect((await connect(server(), secret)).json.Authenticated).toBe(false);
    // When a user signed in on a phone authorizes the code
    const phone = await rawSignIn(server(), 'phone-1');
    expect(await raw(server(), 'POST', `/QuickConnect/Authorize?code=${code}`, { token: phone })).toMatchObject({ status: 200, json: true });
    // Then the TV sees the approval and trades its secret for a working token
    expect((await connect(server(), secret)).json).toMatchObject({ Authenticated: true, Code: code });
    const signedIn = await exchange(server(), secret);
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toMatchObject({ User: { Name: 'demo' }, SessionInfo: { DeviceId: 'tv-1', DeviceName: 'living-room', Client: 'tv' }, ServerId: expect.any(String) });
    const token = signedIn.json.AccessToken as string;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(token).not.toBe(phone);
    expect(await raw(server(), 'GET', '/Users/Me', { token })).toMatchObject({ status: 200, json: { Name: 'demo' } });
  });

  it('hands out the same result again for the same secret: Jellyfin does not use an approval up', async () => {
    const { Secret: secret, Code: code } = (await initiate(server())).json as { Secret: string; Code: string };
    expect(server().approveQuickConnect(code)).toBe(true);
    const first = await exchange(server(), secret);
    const second = await exchange(server(), secret);
    expect(second.status).toBe(200);
    expect(second.json.AccessToken).toBe(first.json.AccessToken);
  });

  it('revokes the earlier token of the same user on the approved device', async () => {
    const before = await rawSignIn(server(), 'tv-1');
    const { Code: code } = (await initiate(server())).json as { Code: string };
    server().approveQuickConnect(code);
    expect((await raw(server(), 'GET', '/Users/Me', { token: before })).status).toBe(401);
  });

  it('refuses a code already authorized (500, InvalidOperationException) and an unknown one (404)', async () => {
    const phone = await rawSignIn(server(), 'phone-1');
    const { Code: code } = (await initiate(server())).json as { Code: string };
    expect((await raw(server(), 'POST', `/QuickConnect/Authorize?code=${code}`, { token: phone })).status).toBe(200);
    expect(await raw(server(), 'POST', `/QuickConnect/Authorize?code=${code}`, { token: phone })).toMatchObject({ status: 500, text: 'Error processing request.' });
    expect(await raw(server(), 'POST', '/QuickConnect/Authorize?code=000000', { token: phone })).toMatchObject({ status: 404, contentType: 'text/plain; charset=utf-8' });
    expect(server().approveQuickConnect('000000')).toBe(false);
  });

  it('needs a token and a code to authorize, and only for the caller itself', async () => {
    const phone = await rawSignIn(server(), 'phone-1');
    const { Code: code } = (await initiate(server())).json as { Code: string };
    expect((await raw(server(), 'POST', `/QuickConnect/Authorize?code=${code}`)).status).toBe(401);
    expect((await raw(server(), 'POST', '/QuickConnect/Authorize', { token: phone })).status).toBe(400);
    expect((await raw(server(), 'POST', `/QuickConnect/Authorize?code=${code}&userId=ffffffffffffffffffffffffffffffff`, { token: phone })).status).toBe(403);
  });

  it('answers an unknown secret with 404 "Unknown secret", and an unapproved one cannot sign in (404)', async () => {
    expect(await connect(server(), 'F00D')).toMatchObject({ status: 404, contentType: 'application/json; charset=utf-8', json: 'Unknown secret' });
    const { Secret: secret } = (await initiate(server())).json as { Secret: string };
    expect((await exchange(server(), secret)).status).toBe(404);
    expect((await exchange(server(), 'F00D')).status).toBe(404);
  });

  it('answers 400 without the client values, a secret, or a body', async () => {
    expect((await initiate(server(), 'MediaBrowser Client="tv", Device="living-room", Version="2.0"')).status).toBe(400);
    expect((await raw(server(), 'POST', '/QuickConnect/Initiate')).status).toBe(400);
    expect((await raw(server(), 'GET', '/QuickConnect/Connect')).status).toBe(400);
    expect((await raw(server(), 'POST', '/Users/AuthenticateWithQuickConnect', { body: {} })).status).toBe(400);
    expect((await raw(server(), 'POST', '/Users/AuthenticateWithQuickConnect')).status).toBe(400);
  });

  it('keeps secrets out of the journal', async () => {
    const { Secret: secret } = (await initiate(server())).json as { Secret: string };
    await connect(server(), secret);
    await exchange(server(), secret);
    expect(JSON.stringify(server().journal)).not.toContain(secret);
  });
});

describe('Quick Connect expiry (quickConnectExpiryMs)', () => {
  it('forgets a request that waited longer than the expiry', async () => {
    const { Secret: secret, Code: code } = (await initiate(shortLived())).json as { Secret: string; Code: string };
    expect((await connect(shortLived(), secret)).status).toBe(200);
    await sleep(650);
    expect((await connect(shortLived(), secret)).status).toBe(404);
    expect(shortLived().approveQuickConnect(code)).toBe(false);
  });

  it('forgets an approval after the expiry, while the approved request stays visible a minute longer', async () => {
    // Given an approved request
    const { Secret: secret, Code: code } = (await initiate(shortLived())).json as { Secret: string; Code: string };
    expect(shortLived().approveQuickConnect(code)).toBe(true);
    expect((await exchange(shortLived(), secret)).status).toBe(200);
    // When the expiry passes
    await sleep(650);
    // Then the secret no longer signs in, though Connect still reports it approved
    expect((await exchange(shortLived(), secret)).status).toBe(404);
    expect((await connect(shortLived(), secret)).json.Authenticated).toBe(true);
  });
});

describe('Quick Connect disabled (quickConnect: false)', () => {
  it('says so, and answers 401 "Quick connect is disabled" to Initiate, Connect and Authorize', async () => {
    expect((await raw(disabled(), 'GET', '/QuickConnect/Enabled')).json).toBe(false);
    const token = await rawSignIn(disabled());
    for (const reply of [await initiate(disabled()), await connect(disabled(), 'F00D'), await raw(disabled(), 'POST', '/QuickConnect/Authorize?code=123456', { token })]) {
      expect(reply).toMatchObject({ status: 401, json: 'Quick connect is disabled' });
    }
  });

  it('answers 401 to AuthenticateWithQuickConnect, 400 to an Initiate without client values, and approves nothing', async () => {
    expect(await exchange(disabled(), 'F00D')).toMatchObject({ status: 401, text: 'Error processing request.' });
    expect((await initiate(disabled(), 'MediaBrowser Client="tv"')).status).toBe(400);
    expect(disabled().approveQuickConnect('123456')).toBe(false);
  });
});

describe('the admin approve command', () => {
  let admin: DemoServer | undefined;
  afterEach(async () => {
    await admin?.close();
  });

  async function approve(body: unknown): Promise<{ status: number; json: any }> {
    const reply = await fetch(`${admin!.adminUrl}/__demo/quick-connect/approve`, { method: 'POST', body: JSON.stringify(body) });
    return { status: reply.status, json: await reply.json() };
  }

  it('approves a waiting code as the demo user', async () => {
    // Given a demo server with its admin endpoint and a TV waiting with a code
    admin = await startDemoServer();
    const { Secret: secret, Code: code } = (await initiate(admin)).json as { Secret: string; Code: string };
    // When a person approves the code there
    expect(await approve({ code })).toEqual({ status: 200, json: { approved: true, code } });
    // Then the TV signs in as the demo user
    const signedIn = await exchange(admin, secret);
    expect(signedIn.json.User.Name).toBe('demo');
    expect(await approve({ code })).toMatchObject({ status: 404, json: { error: expect.stringContaining(code) } });
  });

  it('rejects a malformed code, an unknown user, and answers 409 when Quick Connect is disabled', async () => {
    admin = await startDemoServer();
    const { Code: code } = (await initiate(admin)).json as { Code: string };
    expect((await approve({ code: 123456 })).status).toBe(400);
    expect(await approve({ code, user: 'nobody' })).toMatchObject({ status: 400, json: { error: expect.stringContaining('nobody') } });
    await admin.close();
    admin = await startDemoServer({ quickConnect: false });
    expect((await approve({ code: '123456' })).status).toBe(409);
  });
});
