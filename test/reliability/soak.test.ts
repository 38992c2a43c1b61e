import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { seededRandom, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { PlaybackSession } from '../../src/session/playback-session.js';
import { openOutbox, type Outbox } from '../../src/sync/index.js';
import type { Op, QueueData } from '../../src/sync/op.js';
import { JellyfinDeliver, resumeState } from '../../src/servers/jellyfin/deliver.js';
import { demoClient, useDemoServer } from '../helpers/demo-server.js';
import { FaultProxy, type ProxyMode } from '../helpers/fault-proxy.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

// A scripted user (the session and outbox APIs, no TUI, no mpv: player events are what mpv
// would send) acts on 100 items while faults cycle: a TCP proxy between client and demo server
// refuses connections, resets them mid-response and stalls them past the request timeout; the
// demo server answers 503 bursts, expires the token (the user then signs in again), and its
// clock runs ten minutes ahead of this machine's (SOAK_CLOCK_MINUTES sets another offset). Updates held up for more than half a
// second are replays (the path a restart takes). Seeks are sent at once; the queue file is read
// the instant each update leaves, which is what a kill at that instant would leave behind.
// The server keeps its own playback sessions, as Jellyfin does: one that has not checked in for
// 300 ms is stopped by its idle sweep (every 250 ms here, five minutes on a real server) at its
// automatic-progress position, so reelterm's replays meet idle stops before and after them. A
// phone on the same account plays and marks 20 other items all along; nothing of reelterm's may
// be taken for the phone's (no update kept aside as "changed elsewhere"), nor overwrite the phone's.
// CI runs 1,000 actions; SOAK_MINUTES=10 keeps going for ten minutes.

const SECOND = 10_000_000;
const RUNTIME = 600 * SECOND;
const server = useDemoServer({ version: '10.11.11', library: { movies: 120, series: 0 }, sessions: { idleTimeoutMs: 300, idleSweepMs: 250 } });

/** What the server must hold for an item after the user's last action (Jellyfin 10.11's rules). */
type Expected = { played: boolean; positionTicks: number };

type Fault = (demo: DemoServer, proxy: FaultProxy) => Promise<void>;

/** Sets the proxy's mode for a while, then lets traffic through again. */
function forAWhile(proxy: FaultProxy, mode: ProxyMode, ms: number): void {
  proxy.mode = mode;
  setTimeout(() => {
    if (proxy.mode === mode) proxy.mode = 'pass';
  }, ms).unref();
}

const FAULTS: Array<[string, Fault]> = [
  ['refused connections', async (_demo, proxy) => forAWhile(proxy, 'refuse', 300)],
  ['resets mid-response', async (_demo, proxy) => forAWhile(proxy, 'reset', 150)],
  ['a 503 burst', async (demo) => demo.faults.status(503, { times: 5, retryAfter: 0 })],
  // 30 s in the long run, as a hung server holds a request; scaled to 2.5 s for CI.
  ['a stall past the timeout', async (_demo, proxy) => forAWhile(proxy, 'stall', Number(process.env.SOAK_MINUTES ?? 0) > 0 ? 30_000 : 2500)],
  // The user signs in again once the footer says so (see the loop).
  ['a token expiry', async (demo) => demo.faults.expireTokens()],
  ['a quiet moment', async () => undefined],
];

/**
 * The Jellyfin deliverer, reading the queue file the instant each update leaves: what a kill
 * right then (seconds after a seek, say) would leave for the next start to send.
 */
class WatchedDeliver extends JellyfinDeliver {
  readonly olderInFile: string[] = [];
  queueFile = '';
  override async send(op: Op, context: { signal: AbortSignal; now: number }) {
    let file: Op[] = [];
    try {
      file = (JSON.parse(readFileSync(this.queueFile, 'utf8')) as QueueData).ops;
    } catch {
      // No file yet.
    }
    const older = file.filter((queued) => queued.itemId === op.itemId && queued.seq < op.seq);
    if (older.length > 0) this.olderInFile.push(`${op.itemId}: sent ${op.kind}#${op.seq} while the file held ${older.map((o) => `${o.kind}#${o.seq}`).join(', ')}`);
    return super.send(op, context);
  }
}

async function soak(demo: DemoServer, options: { actions: number; minutes: number }) {
  // The client talks to the server through the fault proxy.
  const { proxy, url } = await FaultProxy.start(demo.url);
  demo.faults.clock(Number(process.env.SOAK_CLOCK_MINUTES ?? 10) * 60_000);
  onTestFinished(() => proxy.close());
  const client = demoClient(demo, { serverUrl: url, timeoutMs: 1000 });
  const dir = await tempDir();
  // The server's idle timeout is 300 ms here (5 minutes on a real one): reelterm's guard is set below it, as it is by default.
  const deliver = new WatchedDeliver(client, { replayAfterMs: 500, sessionIdleMs: 200 });
  deliver.queueFile = join(dir, 'queue.json');
  const { outbox } = await openOutbox({
    queueFile: join(dir, 'queue.json'),
    lockFile: join(dir, 'queue.lock'),
    deliver,
    backoff: { baseMs: 20, capMs: 300 },
    progressIntervalMs: 200,
  });
  const states = new Set<string>();
  outbox.subscribe(() => states.add(outbox.status().state));
  const movies = demo.library.all().filter((item) => item.type === 'Movie');
  const items = movies.slice(0, 100);
  const phoneItems = movies.slice(100, 120);
  let phone = await demo.device('demo');
  const phoneExpected = new Map<string, Expected>();
  /** The phone does one thing on one of its own items: plays a stretch (left open now and then), or marks. */
  let phoneActions = 0;
  const phoneActs = async () => {
    phoneActions += 1;
    const item = phoneItems[Math.floor(random() * phoneItems.length)]!;
    const roll = random();
    if (roll < 0.2) {
      await phone.markPlayed(item.id);
      phoneExpected.set(item.id, { played: true, positionTicks: 0 });
    } else if (roll < 0.3) {
      await phone.markUnplayed(item.id);
      phoneExpected.set(item.id, { played: false, positionTicks: 0 });
    } else {
      const at = 60 + Math.floor(random() * 400);
      await phone.start(item.id, at);
      await phone.progress(item.id, at + 1);
      // Half the time the phone vanishes mid-film: the server's idle stop ends that session later.
      if (random() < 0.5) {
        await phone.stop(item.id, at + 2);
        phoneExpected.set(item.id, { played: false, positionTicks: (at + 2) * SECOND });
      } else {
        phoneExpected.delete(item.id);
        // and stays quiet for a while, so the server's idle sweep stops that session.
        phoneQuietUntil = Date.now() + 700;
      }
    }
  };
  let phoneQuietUntil = 0;
  const random = seededRandom(7);
  const expected = new Map<string, Expected>();
  /** Per item, what the user did, in order: P watched, U unwatched, S…T a playback (start, stop). */
  const actions = new Map<string, string[]>();
  const did = (itemId: string, ...steps: string[]) => actions.set(itemId, [...(actions.get(itemId) ?? []), ...steps]);
  const signIn = async () => {
    // The user signs in again the way the app does: a new token, then the queue resumes.
    for (;;) {
      try {
        await client.authenticateByName('demo', 'demo');
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    outbox.resumeAfterSignIn();
  };

  await signIn();
  const deadline = Date.now() + options.minutes * 60_000;
  let done = 0;
  let faultAt = 0;
  let iteration = 0;
  while (done < options.actions || Date.now() < deadline) {
    // A new fault every six user actions (a play segment is one action of several steps).
    if (iteration++ % 6 === 0) {
      const [name, fault] = FAULTS[faultAt++ % FAULTS.length]!;
      await demo.faults.clear();
      proxy.mode = 'pass';
      await fault(demo, proxy);
      if (name === 'a token expiry') {
        // The next update meets the revoked token: the queue pauses for a sign-in, spending nothing.
        const item = items[Math.floor(random() * items.length)]!;
        await outbox.enqueue({ itemId: item.id, kind: 'played', title: item.name });
        expected.set(item.id, { played: true, positionTicks: 0 });
        did(item.id, 'P');
        outbox.retryNow();
        await eventually(() => expect(outbox.status().state).toBe('auth'), 15_000);
      }
    }
    // The footer says "Signed out": the user signs in again, as they would with L.
    if (outbox.status().state === 'auth') await signIn();
    if (iteration % 200 === 50) {
      // Now and then the phone vanishes mid-film and stays away until the server's idle sweep has
      // stopped it (it tries again through a 503 burst or a revoked token, as a phone would).
      const item = phoneItems[iteration % phoneItems.length]!;
      const before = new Set(demo.idleStops);
      for (let tries = 0; ; tries++) {
        try {
          await phone.start(item.id, 120);
          await phone.progress(item.id, 121);
          break;
        } catch (error) {
          if (tries > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
          phone = await demo.device('demo').catch(() => phone);
        }
      }
      await eventually(() => expect(demo.idleStops.some((stop) => !before.has(stop) && stop.deviceId === 'demo-phone')).toBe(true), 10_000);
      phoneExpected.delete(item.id);
    }
    // The phone meets the server's faults too (a 503, a revoked token): it signs in again and goes on.
    if (iteration % 2 === 0 && Date.now() > phoneQuietUntil) {
      await phoneActs().catch(async () => {
        phone = await demo.device('demo').catch(() => phone);
      });
    }
    const item = items[Math.floor(random() * items.length)]!;
    const roll = random();
    if (roll < 0.2) {
      await outbox.enqueue({ itemId: item.id, kind: 'played', title: item.name });
      expected.set(item.id, { played: true, positionTicks: 0 });
      did(item.id, 'P');
    } else if (roll < 0.35) {
      await outbox.enqueue({ itemId: item.id, kind: 'unplayed', title: item.name });
      expected.set(item.id, { played: false, positionTicks: 0 });
      did(item.id, 'U');
    } else {
      // A play segment: start somewhere, some ticks, perhaps a pause and a seek, then a stop.
      const session = new PlaybackSession({ rules: JELLYFIN_RESUME, item: { id: item.id, title: item.name, runtimeTicks: RUNTIME, positionTicks: 0, played: false }, outbox });
      let position = Math.floor(random() * 600);
      session.start(position);
      for (let tick = 0; tick < 3; tick++) {
        position = Math.min(600, position + 1);
        session.handle({ type: 'tick', positionSeconds: position, durationSeconds: 600, paused: false });
      }
      if (iteration % 150 === 75) {
        // Now and then the network goes while the film plays, until the server's idle sweep has
        // stopped reelterm's session by itself: the stop below is replayed after it.
        // (the stops the server had made before: by identity, as it keeps only its last thousand; taken
        // before the network comes back, since the sweep may stop the session as soon as it is reached)
        const before = new Set(demo.idleStops);
        const idleStopped = () => demo.idleStops.some((stop) => !before.has(stop) && stop.deviceId === 'test-device' && stop.itemId === item.id);
        const sessionOpen = () => demo.nowPlaying('demo').some((playing) => playing.deviceId === 'test-device' && playing.itemId === item.id);
        await demo.faults.clear();
        proxy.mode = 'pass';
        // The whole queue lands (an older item's late start or stop would take over the device's
        // one session). A report that went out older than replayAfterMs (a busy machine) was
        // replayed, which ends the server's session first by design: while the server holds none
        // for the item (and has not idle-stopped it already), the film plays on, and the next
        // tick's progress, sent live, opens it again.
        await eventually(async () => {
          if (outbox.status().state === 'auth') await signIn();
          outbox.retryNow();
          expect(await outbox.settle({ timeoutMs: 1000 })).toMatchObject({ settled: true, pending: 0 });
          if (sessionOpen() || idleStopped()) return;
          position = Math.min(600, position + 1);
          session.handle({ type: 'tick', positionSeconds: position, durationSeconds: 600, paused: false });
          throw new Error(`the server holds no session of reelterm's for ${item.id}`);
        }, 30_000);
        proxy.mode = 'refuse';
        await eventually(() => expect(idleStopped()).toBe(true), 10_000);
      }
      if (random() < 0.5) session.handle({ type: 'pause', positionSeconds: position });
      if (random() < 0.5) {
        position = Math.floor(random() * 600);
        session.handle({ type: 'seek', positionSeconds: position });
      }
      session.handle({ type: 'end', reason: 'stop', positionSeconds: position, durationSeconds: 600 });
      await session.ended;
      // Before 12.0 a playback start clears Played; the stop then decides.
      const decided = resumeState(position * SECOND, RUNTIME);
      expected.set(item.id, { played: decided.played === true, positionTicks: decided.positionTicks });
      did(item.id, 'S', 'T');
      done += 4; // start, ticks, pause/seek, stop
    }
    done += 1;
    // A user acts every few tens of milliseconds at most: the faults meet deliveries in flight.
    if (done % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
  }
  await demo.faults.clear();
  demo.faults.clock(0);
  proxy.mode = 'pass';
  if (outbox.status().state === 'auth') await signIn();
  return { outbox, expected, actions, done, states, faults: faultAt, deliver, phoneExpected, phoneActions };
}

async function drain(outbox: Outbox) {
  outbox.retryNow();
  await eventually(async () => {
    const result = await outbox.settle({ timeoutMs: 2000 });
    if (outbox.status().state === 'offline' || outbox.status().state === 'retrying') outbox.retryNow();
    expect(result).toMatchObject({ settled: true, pending: 0 });
  }, 60_000);
}

describe('the fault soak', () => {
  const minutes = Number(process.env.SOAK_MINUTES ?? 0);

  it(`${minutes > 0 ? `${minutes} minutes` : '1,000 actions'} on 100 items through cycling faults: the server ends with every last action`, async () => {
    const demo = server();
    const { outbox, expected, actions, done, states, faults, deliver, phoneExpected, phoneActions } = await soak(demo, { actions: 1000, minutes });
    expect(done).toBeGreaterThanOrEqual(1000);
    expect(faults).toBeGreaterThanOrEqual(40);
    // (the faults were met: the engine went offline, retried, and waited for a sign-in)
    expect([...states].sort()).toEqual(expect.arrayContaining(['auth', 'offline', 'retrying', 'syncing']));
    expect(demo.journal.some((entry) => entry.status === 503)).toBe(true);

    await drain(outbox);

    // Every item the user touched holds exactly what their last action left
    const wrong: string[] = [];
    for (const [itemId, want] of expected) {
      const got = demo.userData('demo', itemId);
      if (got.Played !== want.played || got.PlaybackPositionTicks !== want.positionTicks) {
        wrong.push(`${itemId}: want ${JSON.stringify(want)}, got ${JSON.stringify({ played: got.Played, positionTicks: got.PlaybackPositionTicks })}`);
      }
    }
    if (wrong.length > 0 && process.env.SOAK_DEBUG) {
      const id = wrong[0]!.split(':')[0]!;
      for (const entry of demo.journal) {
        const body = entry.body as { ItemId?: string; PositionTicks?: number; Failed?: boolean; Played?: boolean; PlaybackPositionTicks?: number } | undefined;
        if (entry.path.includes(id) || body?.ItemId === id) console.log(entry.time.toISOString(), entry.method, entry.path, entry.status, entry.fault ?? '', JSON.stringify(body));
      }
      console.log('idle stops', JSON.stringify(demo.idleStops.filter((stop) => stop.itemId === id)), 'actions', actions.get(id)?.join(''));
      console.log('dead', JSON.stringify(outbox.deadLetters().filter((d) => d.op.itemId === id)), 'pending', JSON.stringify(outbox.pendingOps().filter((op) => op.itemId === id)));
    }
    expect(wrong).toEqual([]);
    // and the phone's items hold what the phone last did: reelterm never wrote over them
    const phoneWrong: string[] = [];
    for (const [itemId, want] of phoneExpected) {
      const got = demo.userData('demo', itemId);
      if (got.Played !== want.played || got.PlaybackPositionTicks !== want.positionTicks) phoneWrong.push(`${itemId}: want ${JSON.stringify(want)}, got ${JSON.stringify({ played: got.Played, positionTicks: got.PlaybackPositionTicks })}`);
    }
    expect(phoneWrong).toEqual([]);
    expect(phoneExpected.size).toBeGreaterThan(0);
    expect(phoneActions).toBeGreaterThan(10);
    // (the server's idle sweep stopped sessions left open, reelterm's and the phone's)
    const stoppedDevices = new Set(demo.idleStops.map((stop) => stop.deviceId));
    expect([...stoppedDevices].sort()).toEqual(['demo-phone', 'test-device']);
    // and a kill at any instant would have left nothing older than what the server was sent
    expect(deliver.olderInFile).toEqual([]);
    // (replays happened: updates held up by the faults went through the UserData path)
    expect(demo.journal.some((entry) => entry.status === 200 && entry.method === 'POST' && /^\/UserItems\/[^/]+\/UserData$/.test(entry.path))).toBe(true);
    // and no update reached the server after a newer one, or twice in a way that changed state:
    // per item, what the server accepted (repeats of the same update folded: a resend after a
    // reset is harmless) is the user's own sequence with some steps coalesced away, never reordered
    const delivered = new Map<string, string[]>();
    for (const entry of demo.journal) {
      if (entry.status === undefined || entry.status >= 300) continue;
      // reelterm's own requests; a failed stop only ends the server's session before a replay (no watch state).
      if (entry.client?.deviceId !== 'test-device' || (entry.body as { Failed?: boolean } | undefined)?.Failed === true) continue;
      const mark = /^\/UserPlayedItems\/([^/]+)$/.exec(entry.path);
      const body = entry.body as { ItemId?: string } | undefined;
      const step = mark ? (entry.method === 'POST' ? 'P' : 'U') : entry.path === '/Sessions/Playing' ? 'S' : entry.path === '/Sessions/Playing/Stopped' ? 'T' : undefined;
      const itemId = mark?.[1] ?? body?.ItemId;
      if (step === undefined || itemId === undefined) continue;
      const steps = delivered.get(itemId) ?? [];
      if (steps.at(-1) !== step) steps.push(step);
      delivered.set(itemId, steps);
    }
    const reordered: string[] = [];
    for (const [itemId, steps] of delivered) {
      const wanted = actions.get(itemId) ?? [];
      let at = 0;
      for (const step of steps) {
        while (at < wanted.length && wanted[at] !== step) at++;
        if (at === wanted.length) {
          reordered.push(`${itemId}: user ${wanted.join('')}, server got ${steps.join('')}`);
          break;
        }
        at++;
      }
    }
    expect(delivered.size).toBeGreaterThan(50);
    expect(reordered).toEqual([]);
    expect(expected.size).toBeGreaterThan(50);
    // and the queue ends empty, nothing failed for good
    expect(outbox.pendingOps()).toEqual([]);
    expect(outbox.deadLetters()).toEqual([]);
    await outbox.close();
  }, Math.max(120_000, minutes * 60_000 + 120_000));
});
