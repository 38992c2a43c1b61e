import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer();

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('fault injection', () => {
  it('goes offline (connections refused) and comes back on the same port', async () => {
    const { port } = server();
    await server().faults.offline();
    expect(await refuses(port)).toBe(true);
    await server().faults.online();
    expect(server().port).toBe(port);
    expect((await raw(server(), 'GET', '/System/Ping')).status).toBe(200);
  });

  it('answers the "starting" 503 page to everything but the ping', async () => {
    server().faults.status(503, { retryAfter: 7 });
    const reply = await raw(server(), 'GET', '/System/Info/Public');
    expect(reply).toMatchObject({ status: 503, text: 'Jellyfin Server is loading. Please try again shortly.' });
    expect(reply.contentType).toMatch(/^text\/html/);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect((await raw(server(), 'GET', '/System/Ping')).status).toBe(200);
    expect(server().journal.at(-2)?.fault).toBe('status');
  });

  it('limits a status fault to a number of requests', async () => {
    server().faults.status(500, { times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await raw(server(), 'GET', '/System/Info/Public')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('limits a status fault to a time window', async () => {
    server().faults.status(502, { forMs: 60 });
    expect((await raw(server(), 'GET', '/System/Info/Public')).status).toBe(502);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await raw(server(), 'GET', '/System/Info/Public')).status).toBe(200);
  });

  it('stalls: the request is accepted, journaled and never answered', async () => {
    server().faults.stall();
    const outcome = await Promise.race([
      fetch(`${server().url}/System/Ping`).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 150)),
    ]);
    expect(outcome).toBe('still waiting');
    expect(server().journal.at(-1)).toMatchObject({ path: '/System/Ping', fault: 'stall' });
    expect(server().journal.at(-1)?.status).toBeUndefined();
  });

  it('adds latency to every answer', async () => {
    server().faults.latency(120);
    const started = Date.now();
    await raw(server(), 'GET', '/System/Ping');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('resets the connection after sending headers', async () => {
    server().faults.resetMidResponse(1);
    const response = await fetch(`${server().url}/System/Info/Public`);
    await expect(response.text()).rejects.toThrow();
    expect((await raw(server(), 'GET', '/System/Info/Public')).status).toBe(200);
  });

  it('sends truncated JSON or HTML with a 200', async () => {
    server().faults.malformed(1);
    const truncated = await raw(server(), 'GET', '/System/Info/Public');
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeUndefined();
    server().faults.malformed(1, 'html');
    expect((await raw(server(), 'GET', '/System/Info/Public')).contentType).toMatch(/^text\/html/);
  });

  it('expires every token', async () => {
    const token = await rawSignIn(server());
    server().faults.expireTokens();
    expect(await raw(server(), 'GET', '/Users/Me', { token })).toMatchObject({ status: 401, text: '' });
  });

  it('clears every fault at once', async () => {
    server().faults.status(500);
    server().faults.latency(5_000);
    await server().faults.offline();
    // Let fetch's pool see its kept-alive sockets close before the next request.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server().faults.clear();
    expect(server().faults.snapshot()).toEqual({ offline: false, latencyMs: 0, clockOffsetMs: 0 });
    expect((await raw(server(), 'GET', '/System/Info/Public')).status).toBe(200);
  });
});

describe('the admin endpoint', () => {
  let admin: DemoServer | undefined;
  afterEach(async () => {
    await admin?.close();
  });

  async function command(body: unknown): Promise<{ status: number; json: any }> {
    const reply = await fetch(`${admin!.adminUrl}/__demo/faults`, { method: 'POST', body: JSON.stringify(body) });
    return { status: reply.status, json: await reply.json() };
  }

  it('switches faults with a JSON body and stays reachable while offline', async () => {
    // Given a demo server with its admin endpoint
    admin = await startDemoServer();
    expect(admin.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // When a person takes it offline, then asks for a 503 with Retry-After
    expect((await command({ fault: 'offline' })).json.offline).toBe(true);
    expect(await refuses(admin.port)).toBe(true);
    await command({ fault: 'online' });
    const status = await command({ fault: 'status', code: 503, retryAfter: 5 });
    // Then the fault is in force and reported back
    expect(status.json.status).toMatchObject({ code: 503, retryAfter: 5 });
    expect((await raw(admin, 'GET', '/UserViews')).status).toBe(503);
    await command({ fault: 'clear' });
    expect((await raw(admin, 'GET', '/UserViews')).status).toBe(401);
  });

  it('brings the server back by itself after offline forMs', async () => {
    admin = await startDemoServer();
    await command({ fault: 'offline', forMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await raw(admin, 'GET', '/System/Ping')).status).toBe(200);
  });

  it('rejects an unknown fault with a readable message', async () => {
    admin = await startDemoServer();
    const reply = await command({ fault: 'meteor' });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toContain('Unknown fault "meteor"');
  });

  it('listens on loopback only, even when the server listens everywhere', async () => {
    admin = await startDemoServer({ host: '0.0.0.0' });
    expect(new URL(admin.adminUrl!).hostname).toBe('127.0.0.1');
  });

  it('is served on the Jellyfin port too, which answers while a fault is in force', async () => {
    // Given a demo server on loopback that answers every request with a 503
    admin = await startDemoServer();
    admin.faults.status(503, { includePing: true });
    expect(admin.switchesUrl).toBe(admin.url);
    // When a person clears it through the server's own port
    const reply = await fetch(`${admin.url}/__demo/faults`, { method: 'POST', body: '{"fault":"clear"}' });
    // Then the switch is thrown, and Jellyfin's side answers again
    expect(reply.status).toBe(200);
    expect((await raw(admin, 'GET', '/System/Ping')).status).toBe(200);
    expect(admin.journal.some((entry) => entry.path.startsWith('/__demo'))).toBe(false);
  });

  it('takes the Jellyfin port offline from that port, answering first with the way back', async () => {
    admin = await startDemoServer();
    const reply = await fetch(`${admin.url}/__demo/faults`, { method: 'POST', body: '{"fault":"offline"}' });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { note: string }).note).toContain(`curl -d '{"fault":"online"}' ${admin.adminUrl}/__demo/faults`);
    await eventually(async () => expect(await refuses(admin!.port)).toBe(true));
    await command({ fault: 'online' });
    await eventually(async () => expect((await raw(admin!, 'GET', '/System/Ping')).status).toBe(200));
  });

  it('is not served on the Jellyfin port when that port listens beyond loopback', async () => {
    admin = await startDemoServer({ host: '0.0.0.0' });
    expect(admin.switchesUrl).toBe(admin.adminUrl);
    expect((await fetch(`http://127.0.0.1:${admin.port}/__demo/faults`, { method: 'POST', body: '{"fault":"offline"}' })).status).toBe(404);
    expect(admin.faults.snapshot().offline).toBe(false);
  });
});
