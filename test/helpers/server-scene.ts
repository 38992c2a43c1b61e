import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { startDemoServer, type DemoServer, type DemoServerOptions } from '../../src/servers/jellyfin/demo/index.js';
import type { DemoVersion } from '../../src/servers/jellyfin/demo/playstate.js';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { openOutbox, type Outbox } from '../../src/sync/index.js';
import { JellyfinDeliver, type JellyfinDeliverOptions } from '../../src/servers/jellyfin/deliver.js';
import type { OpPayload } from '../../src/sync/op.js';
import { FaultProxy } from './fault-proxy.js';
import { MovableClock } from './movable-clock.js';
import { tempDir } from './temp-home.js';
import { eventually } from './wait.js';

export const S = 10_000_000;
export const MINUTE = 60_000;

interface LossRule {
  method: string;
  path: RegExp;
  remaining: number;
  /** 'lose': the server acts, the answer never arrives (socket cut); '503': the server acts, a proxy answers 503. */
  mode: 'lose' | '503';
  /** Called once the server has acted, before the client hears anything. */
  onLost?: () => void;
}

/**
 * An HTTP proxy that forwards every request to the server and, for the requests a rule names,
 * lets the server act and then loses its answer (the client sees its socket cut) or swaps it for
 * a proxy's 503. A real network part: the request really reaches the demo server.
 */
export class AnswerLosingProxy {
  private readonly rules: LossRule[] = [];
  /** Every request passed, as "METHOD /path". */
  readonly seen: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<AnswerLosingProxy> {
    const target = new URL(targetUrl);
    let self: AnswerLosingProxy | undefined;
    const server = createServer((req, res) => self!.handle(req, res, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    self = new AnswerLosingProxy(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** The next `times` requests matching lose their answer after the server acted (`onLost` is told then, before the client). */
  loseAnswer(method: string, path: RegExp, times = 1, mode: LossRule['mode'] = 'lose', onLost?: () => void): void {
    this.rules.push({ method, path, remaining: times, mode, ...(onLost !== undefined ? { onLost } : {}) });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse, target: URL): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.seen.push(`${req.method} ${path}`);
      const rule = this.rules.find((r) => r.remaining > 0 && r.method === req.method && r.path.test(path));
      if (rule) rule.remaining -= 1;
      const upstream = httpRequest(
        { host: target.hostname, port: Number(target.port), method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            rule?.onLost?.();
            if (rule?.mode === 'lose') {
              req.socket.destroy();
              return;
            }
            if (rule?.mode === '503') {
              res.writeHead(503, { 'content-type': 'text/html' });
              res.end('<html><body>503 Service Unavailable</body></html>');
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  }
}

export interface Scene {
  server: DemoServer;
  /** Cuts reelterm alone off the network (`down()/up()`). */
  proxy: FaultProxy;
  /** Loses chosen answers after the server acted. */
  lossy: AnswerLosingProxy;
  clock: MovableClock;
  client: JellyfinClient;
  itemId: string;
  runtimeTicks: number;
  queueFile: string;
  open(deliverOptions?: JellyfinDeliverOptions): Promise<Outbox>;
}

/** reelterm → FaultProxy → AnswerLosingProxy → demo server; the engine on a real queue file. */
export async function scene(version: DemoVersion, options: Partial<DemoServerOptions> & { user?: string } = {}): Promise<Scene> {
  const { user = 'demo', ...serverOptions } = options;
  const server = await startDemoServer({ adminPort: false, version, sessions: { idleTimeoutMs: MINUTE, idleSweepMs: 60 * MINUTE }, ...serverOptions });
  onTestFinished(() => server.close());
  const lossy = await AnswerLosingProxy.start(server.url);
  onTestFinished(() => lossy.close());
  const { proxy, url } = await FaultProxy.start(lossy.url);
  onTestFinished(() => proxy.close());
  const clock = new MovableClock();
  const client = new JellyfinClient({ serverUrl: url, deviceId: 'reelterm-laptop', deviceName: 'laptop', clientVersion: '0.1.0', timeoutMs: 2_000, now: clock.now });
  await client.authenticateByName(user, user);
  const dir = await tempDir();
  const film = server.library.first('Movie');
  const queueFile = join(dir, 'queue.json');
  const open = async (deliverOptions: JellyfinDeliverOptions = {}) => {
    const { outbox } = await openOutbox({
      queueFile,
      lockFile: join(dir, 'queue.lock'),
      deliver: new JellyfinDeliver(client, deliverOptions),
      clock,
      backoff: { baseMs: 20, capMs: 100 },
    });
    onTestFinished(() => outbox.close());
    return outbox;
  };
  return { server, proxy, lossy, clock, client, itemId: film.id, runtimeTicks: film.runTimeTicks!, queueFile, open };
}

export const payload = (s: Scene, seconds: number, extra: OpPayload = {}): OpPayload => ({
  positionTicks: seconds * S,
  runtimeTicks: s.runtimeTicks,
  played: false,
  playSessionId: 'reelterm-play',
  ...extra,
});

/** Plays live to `seconds` (a start, then a progress report, both delivered). */
export async function playLive(s: Scene, outbox: Outbox, seconds: number, itemId = s.itemId): Promise<void> {
  expect(await (await outbox.enqueue({ itemId, kind: 'started', payload: payload(s, 0) })).outcome).toBe('delivered');
  expect(await (await outbox.enqueue({ itemId, kind: 'progress', payload: payload(s, seconds, { urgent: true }) })).outcome).toBe('delivered');
}

/** reelterm alone loses the network; `work` queues updates meanwhile; waits until the engine says offline. */
export async function offline(s: Scene, outbox: Outbox, work: () => Promise<unknown>): Promise<void> {
  await s.proxy.down();
  await work();
  await eventually(() => expect(outbox.status().state).toBe('offline'));
}

/** Minutes later (after a restart when `restart`), the network is back: the queue drains (or gives up). */
export async function comeBack(s: Scene, outbox: Outbox, restart: boolean, minutes = 2): Promise<Outbox> {
  s.clock.shift += minutes * MINUTE;
  let engine = outbox;
  if (restart) {
    await outbox.close();
    engine = await s.open();
  }
  await s.proxy.up();
  engine.retryNow();
  await eventually(() => expect(engine.status().pending).toBe(0), 10_000);
  return engine;
}

export const watchState = (s: Scene, user = 'demo', itemId = s.itemId) => {
  const data = s.server.userData(user, itemId);
  return { position: Math.round((data.PlaybackPositionTicks ?? 0) / S), played: data.Played };
};
