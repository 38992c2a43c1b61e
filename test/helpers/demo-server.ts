import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, onTestFinished } from 'vitest';
import { startDemoServer, type DemoServer, type DemoServerOptions } from '../../src/servers/jellyfin/demo/index.js';
import { JellyfinClient, type JellyfinClientOptions } from '../../src/servers/jellyfin/client.js';
import { openOutbox, type Outbox } from '../../src/sync/index.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import type { OutboxOptions } from '../../src/sync/outbox.js';
import type { Clock } from '../../src/sync/clock.js';
import { tempDir } from './temp-home.js';

/** The header a well-behaved client sends before it has a token. */
export const CLIENT_HEADER = 'MediaBrowser Client="reelterm", Device="test-host", DeviceId="test-device", Version="0.1.0"';

/**
 * Starts one demo server for the file (no admin listener) and clears its faults and journal
 * after each test. Returns a getter: the server exists only once `beforeAll` has run.
 */
export function useDemoServer(options: DemoServerOptions = {}): () => DemoServer {
  let server: DemoServer | undefined;
  beforeAll(async () => {
    server = await startDemoServer({ adminPort: false, ...options });
  });
  afterEach(async () => {
    await server?.faults.clear();
    server?.clearJournal();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The demo server has not started yet');
    return server;
  };
}

/** A client for the demo server (not signed in), with a short timeout so stalls fail fast. */
export function demoClient(server: DemoServer, options: Partial<JellyfinClientOptions> = {}): JellyfinClient {
  return new JellyfinClient({
    serverUrl: server.url,
    deviceId: 'test-device',
    deviceName: 'test-host',
    clientVersion: '0.1.0',
    timeoutMs: 2_000,
    ...options,
  });
}

/** A client signed in as the demo user. */
export async function signedInClient(server: DemoServer, options: Partial<JellyfinClientOptions> = {}): Promise<JellyfinClient> {
  const client = demoClient(server, options);
  await client.authenticateByName('demo', 'demo');
  return client;
}

/**
 * The real sync engine on a temp queue file, delivering to a server through the Jellyfin
 * client, with short backoff so recovery tests run fast; closed after the test.
 */
export async function demoOutbox(client: JellyfinClient, options: Partial<Pick<OutboxOptions, 'progressIntervalMs' | 'backoff'>> = {}): Promise<Outbox> {
  const dir = await tempDir();
  const { outbox } = await openOutbox({
    queueFile: join(dir, 'queue.json'),
    lockFile: join(dir, 'queue.lock'),
    deliver: new JellyfinDeliver(client),
    backoff: { baseMs: 20, capMs: 200 },
    ...options,
  });
  onTestFinished(() => outbox.close());
  return outbox;
}

/**
 * The real engine on a temp queue, replaying anything that waited over a minute (the path a
 * restart takes), on the given clock of this machine's; the caller closes it.
 */
export async function replayingOutbox(client: JellyfinClient, clock: Clock): Promise<Outbox> {
  const dir = await tempDir();
  const { outbox } = await openOutbox({
    queueFile: join(dir, 'queue.json'),
    lockFile: join(dir, 'queue.lock'),
    deliver: new JellyfinDeliver(client, { replayAfterMs: 60_000 }),
    clock,
    backoff: { baseMs: 20, capMs: 100 },
  });
  return outbox;
}
