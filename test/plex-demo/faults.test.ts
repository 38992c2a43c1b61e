import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { plexTv, pms, usePlexDemo } from './helpers.js';

// The fault switches (PLEX.md §6, §7.2.7) as a client meets them.

const demo = usePlexDemo();

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('PMS faults', () => {
  it('maintenance: 503 with the XML "Maintenance" body even to JSON clients, Retry-After, /identity spared', async () => {
    demo().faults.maintenance({ retryAfter: 5 });
    const reply = await pms(demo(), 'GET', '/library/sections');
    expect(reply.status).toBe(503);
    expect(reply.contentType).toMatch(/^text\/xml/);
    expect(reply.text).toContain('<Response code="503" title="Maintenance" status="Plex Media Server is currently running database migrations."/>');
    expect(reply.headers.get('retry-after')).toBe('5');
    expect((await pms(demo(), 'GET', '/identity')).status).toBe(200);
    demo().faults.maintenance({ includePing: true, times: 1 });
    expect((await pms(demo(), 'GET', '/identity')).status).toBe(503);
    expect((await pms(demo(), 'GET', '/identity')).status).toBe(200);
  });

  it('other statuses answer Plex\'s HTML page, for a number of requests', async () => {
    demo().faults.status(500, { times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await pms(demo(), 'GET', '/library/sections')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('revoke: every token answers 401 after; the PIN flow and resources hand out the new ones', async () => {
    const old = demo().owner.serverToken;
    const oldAccount = demo().owner.authToken;
    demo().faults.revokeTokens();
    const refusedReply = await pms(demo(), 'GET', '/library/sections', { token: old });
    expect(refusedReply.status).toBe(401);
    expect(refusedReply.text).toContain('401 Unauthorized');
    expect((await plexTv(demo(), 'GET', '/api/v2/user', { token: oldAccount })).status).toBe(401);
    const { id, code } = (await plexTv(demo(), 'POST', '/api/v2/pins')).json;
    demo().linkPin(code);
    const token = (await plexTv(demo(), 'GET', `/api/v2/pins/${id}`)).json.authToken;
    const [server] = (await plexTv(demo(), 'GET', '/api/v2/resources', { token })).json;
    expect(server.accessToken).not.toBe(old);
    expect((await pms(demo(), 'GET', '/library/sections', { token: server.accessToken })).status).toBe(200);
  });

  it('offline: connections are refused, then it comes back on the same port', async () => {
    const port = demo().port;
    await demo().faults.offline();
    expect(await refused(port)).toBe(true);
    await expect(pms(demo(), 'GET', '/identity')).rejects.toThrow();
    // plex.tv stays up while the server is down.
    expect((await plexTv(demo(), 'POST', '/api/v2/pins')).status).toBe(201);
    await demo().faults.online();
    expect(demo().port).toBe(port);
    expect((await pms(demo(), 'GET', '/identity')).status).toBe(200);
  });

  it('stall: the request is accepted and journaled, and never answered', async () => {
    demo().faults.stall();
    await expect(fetch(`${demo().url}/identity`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(demo().journal.at(-1)).toMatchObject({ path: '/identity', fault: 'stall' });
    expect(demo().journal.at(-1)?.status).toBeUndefined();
  });

  it('reset: headers go out, then the connection is cut', async () => {
    demo().faults.resetMidResponse(1);
    await expect(pms(demo(), 'GET', '/library/sections')).rejects.toThrow();
    expect((await pms(demo(), 'GET', '/library/sections')).status).toBe(200);
  });

  it('malformed 200s: an HTML portal page, or JSON cut short', async () => {
    demo().faults.malformed(1, 'html');
    const html = await pms(demo(), 'GET', '/library/sections');
    expect(html).toMatchObject({ status: 200, json: undefined });
    expect(html.text).toContain('<html>');
    demo().faults.malformed(1, 'truncated-json');
    const cut = await pms(demo(), 'GET', '/library/sections');
    expect(cut.status).toBe(200);
    expect(cut.contentType).toMatch(/^application\/json/);
    expect(cut.json).toBeUndefined();
  });

  it('PMS marks its own answers X-Plex-Protocol, a fault\'s answer in its place never', async () => {
    const film = demo().library.first('movie');
    const scrobble = `/:/scrobble?identifier=com.plexapp.plugins.library&key=${film.ratingKey}`;
    const own = [await pms(demo(), 'PUT', scrobble), await pms(demo(), 'GET', '/library/sections'), await pms(demo(), 'GET', '/library/sections', { token: 'not-a-token' })];
    expect(own.map((reply) => [reply.status, reply.headers.get('x-plex-protocol')])).toEqual([
      [200, '1.0'],
      [200, '1.0'],
      [401, '1.0'],
    ]);
    demo().faults.malformed(1, 'html');
    const portal = await pms(demo(), 'PUT', scrobble);
    demo().faults.status(502, { times: 1 });
    const gateway = await pms(demo(), 'PUT', scrobble);
    expect([portal, gateway].map((reply) => [reply.status, reply.headers.get('x-plex-protocol')])).toEqual([
      [200, null],
      [502, null],
    ]);
    // plex.tv is not a PMS
    expect((await plexTv(demo(), 'POST', '/api/v2/pins')).headers.get('x-plex-protocol')).toBeNull();
  });

  it('latency delays every answer', async () => {
    demo().faults.latency(150);
    const started = Date.now();
    await pms(demo(), 'GET', '/identity');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('clock: the Date header follows the server clock', async () => {
    demo().faults.clock(-3_600_000);
    const reply = await pms(demo(), 'GET', '/identity');
    expect(Date.parse(reply.headers.get('date')!)).toBeLessThan(Date.now() - 3_500_000);
  });
});

describe('plex.tv faults (PLEX.md §6)', () => {
  it('plex.tv down while the server is up: the server still answers its token', async () => {
    await demo().plexTvFaults.offline();
    await expect(plexTv(demo(), 'GET', '/api/v2/user', { token: demo().owner.authToken })).rejects.toThrow();
    expect((await pms(demo(), 'GET', '/library/sections')).status).toBe(200);
  });

  it('rate limited: 429 code 1003', async () => {
    demo().plexTvFaults.status(429, { times: 1, retryAfter: 2 });
    const reply = await plexTv(demo(), 'POST', '/api/v2/pins');
    expect(reply.status).toBe(429);
    expect(reply.json).toEqual({ errors: [{ code: 1003, message: 'API rate limit exceeded', status: 429 }] });
  });
});

describe('the journal', () => {
  it('records method, path, query, status and whether a token came, never the token', async () => {
    await pms(demo(), 'GET', '/library/sections/1/all?X-Plex-Container-Size=1');
    await plexTv(demo(), 'GET', '/api/v2/user', { token: demo().owner.authToken });
    const [first, second] = demo().journal.slice(-2);
    expect(first).toMatchObject({ half: 'pms', method: 'GET', path: '/library/sections/1/all', route: '/library/sections/{sectionId}/all', query: { 'X-Plex-Container-Size': '1' }, status: 200, hasToken: true, clientIdentifier: 'test-client-1', account: 'demo' });
    expect(second).toMatchObject({ half: 'plex.tv', path: '/api/v2/user', status: 200, hasToken: true });
    const text = JSON.stringify(demo().journal);
    expect(text).not.toContain(demo().owner.serverToken);
    expect(text).not.toContain(demo().owner.authToken);
  });
});

describe('the switches for a person (`/__demo/…` on the plex.tv port)', () => {
  const post = (path: string, body: unknown) => fetch(`${demo().plexTvUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('links a PIN code, flips a fault on either half and changes a rule; none of it is journaled', async () => {
    const { code } = (await plexTv(demo(), 'POST', '/api/v2/pins')).json;
    expect((await post('/__demo/link', { code })).status).toBe(200);
    expect((await post('/__demo/link', { code: 'NOPE' })).status).toBe(404);
    expect((await post('/__demo/faults', { fault: 'maintenance' })).status).toBe(200);
    expect((await pms(demo(), 'GET', '/library/sections')).status).toBe(503);
    expect((await post('/__demo/faults', { half: 'plex.tv', fault: 'status', code: 429, times: 1 })).status).toBe(200);
    expect((await plexTv(demo(), 'POST', '/api/v2/pins')).status).toBe(429);
    expect(await (await post('/__demo/rules', { threshold: 75 })).json()).toMatchObject({ threshold: 75 });
    expect((await post('/__demo/rules', { threshold: 0 })).status).toBe(400);
    expect(demo().journal.some((entry) => entry.path.startsWith('/__demo'))).toBe(false);
  });
});
