import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { Outbox } from '../../src/sync/index.js';
import { systemClock, type Clock } from '../../src/sync/clock.js';
import { MovableClock } from '../helpers/movable-clock.js';
import { replayingOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';

const S = 10_000_000;
const MINUTE = 60_000;
const server = useDemoServer();

type Canned = { status: number; headers: Record<string, string>; body: string };

/**
 * A real HTTP reverse proxy in front of the demo server, as a home setup has one (nginx, Caddy,
 * Traefik, an API gateway). It can drop the `Date` header from answers and answer some paths
 * itself, as a gateway does for a route it does not know.
 */
class Middlebox {
  stripDate = false;
  cannedFor: ((req: IncomingMessage) => Canned | undefined) | undefined;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<Middlebox> {
    const upstream = new URL(target);
    let box!: Middlebox;
    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (box.stripDate) res.sendDate = false;
      const canned = box.cannedFor?.(req);
      if (canned) {
        req.resume();
        res.writeHead(canned.status, canned.headers).end(canned.body);
        return;
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const headers = { ...answer.headers };
          if (box.stripDate) delete headers.date;
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as { port: number };
    box = new Middlebox(http, `http://127.0.0.1:${port}`);
    return box;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function engineThrough(box: Middlebox, clock: Clock = systemClock): Promise<Outbox> {
  const client = await signedInClient(server(), { serverUrl: box.url, now: clock.now });
  const outbox = await replayingOutbox(client, clock);
  cleanups.push(() => outbox.close());
  return outbox;
}

function film(demo: DemoServer, skip: string[] = []) {
  return demo.library.first('Movie', (m) => !skip.includes(m.id) && demo.userData('demo', m.id).LastPlayedDate == null && (m.runTimeTicks ?? 0) > 300 * S);
}

describe('item 6: a 4xx that is not Jellyfin\'s answer', () => {
  /**
   * An API gateway or proxy in front of Jellyfin (Kong, an ingress, a Cloudflare rule, a
   * reverse proxy mid-reload) answers a route it does not know with a 404 *in JSON*:
   * `{"message":"no Route matched with those values"}`. That is not Jellyfin's problem-details
   * body (no `status`, no `title`), yet any JSON object is taken for Jellyfin's word: the
   * update is failed for good. The user's stop lands in the dead letters; `sync` says it
   * failed and the position never reaches the server unless they find `--retry-failed`. With a
   * misconfigured route for a whole evening, every stop and mark of that evening goes there.
   */
  it.each([
    ['404', 404, { message: 'no Route matched with those values' }],
    ['403', 403, { error: 'forbidden', reason: 'WAF rule 942100' }],
  ])('keeps a stop queued when a gateway answers %s with its own JSON', async (_name, status, body) => {
    const demo = server();
    const box = await Middlebox.start(demo.url);
    cleanups.push(() => box.close());
    const outbox = await engineThrough(box);
    const item = film(demo);
    box.cannedFor = (req) =>
      req.url?.startsWith('/Sessions/Playing') ? { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) } : undefined;
    const stop = await outbox.enqueue({ itemId: item.id, kind: 'stopped', payload: { positionTicks: 300 * S, runtimeTicks: item.runTimeTicks! } });
    await eventually(() => expect(outbox.status().lastError ?? outbox.status().deadLetters).toBeTruthy());
    expect(outbox.deadLetters()).toEqual([]);
    // Once the gateway is fixed, the stop lands
    box.cannedFor = undefined;
    outbox.retryNow();
    expect(await stop.outcome).toBe('delivered');
  });
});

describe("item 2: a server clock ahead, behind a proxy that sends no Date header", () => {
  /**
   * The stale-replay guard places both times on the server's clock only when an answer carried
   * a `Date` header. Without one (a proxy or a CDN that drops it, an embedded HTTP stack), it
   * falls back to a fixed 60 s tolerance, which is exactly the defect of item 2: the server's
   * own stamp of *our* start, ten minutes ahead, is taken for another device's later activity,
   * and the stop queued offline is "superseded": never written, while `sync` prints "Synced".
   * The user's position (5:00 here) is lost; the server keeps the start's 0.
   */
  it('replays a stop queued offline after a live start when the server clock is ten minutes ahead', async () => {
    const demo = server();
    demo.faults.clock(10 * MINUTE);
    cleanups.push(async () => demo.faults.clock(0));
    const box = await Middlebox.start(demo.url);
    box.stripDate = true;
    cleanups.push(() => box.close());
    const clock = new MovableClock();
    const outbox = await engineThrough(box, clock);
    const item = film(demo);
    const runtimeTicks = item.runTimeTicks!;
    const start = await outbox.enqueue({ itemId: item.id, kind: 'started', payload: { positionTicks: 0, runtimeTicks } });
    expect(await start.outcome).toBe('delivered');
    await demo.faults.offline();
    const stop = await outbox.enqueue({ itemId: item.id, kind: 'stopped', payload: { positionTicks: 300 * S, runtimeTicks } });
    await eventually(() => expect(outbox.status().lastError).toBeTruthy());
    clock.shift += 5 * MINUTE;
    await demo.faults.online();
    outbox.retryNow();
    expect(await stop.outcome).toBe('delivered');
    expect(demo.userData('demo', item.id)).toMatchObject({ PlaybackPositionTicks: 300 * S });
  });
});
