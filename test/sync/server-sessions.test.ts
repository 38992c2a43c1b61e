import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { DemoVersion } from '../../src/servers/jellyfin/demo/playstate.js';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { openOutbox, type Outbox } from '../../src/sync/index.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import { seenFrom } from '../../src/servers/jellyfin/replay-rules.js';
import { comeBack, MINUTE, offline, payload, playLive, S, scene, watchState, type Scene } from '../helpers/server-scene.js';
import { MovableClock } from '../helpers/movable-clock.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

/**
 * A real Jellyfin keeps playback sessions of its own (JELLYFIN.md §5.2): on 10.11 a session
 * that stops checking in runs on by itself (automatic progress) until the idle stop writes
 * that position, perhaps "watched"; 12.0 writes the last reported one. reelterm's queued
 * updates, replayed after a crash or a lost network, must survive it: the server ends with
 * the user's last position and watched state. And another device that watched the item
 * meanwhile is not overwritten.
 *
 * Real parts: the demo server with sessions and a second device over HTTP, a TCP proxy that
 * cuts reelterm alone off the network, the real engine on a real queue file. The demo
 * server's idle sweep is run by the test (`sweepIdleSessions`) and its clock moved, instead
 * of waiting five minutes.
 */

/** The network drops for reelterm alone; the viewer goes on to `seconds` and stops: the stop waits in the queue. */
async function stopOffline(s: Scene, outbox: Outbox, seconds: number): Promise<void> {
  await offline(s, outbox, () => outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, seconds) }));
}

describe.each<DemoVersion>(['10.11.11', '12.0.0'])('replays against the server\'s own sessions (%s)', (version) => {
  it('a crash mid-film: the idle stop comes first, the replay leaves the user\'s last position', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 200);
    await stopOffline(s, outbox, 260);
    // Three minutes without a check-in: the server stops the session by itself.
    s.server.faults.clock(3 * MINUTE);
    const stops = s.server.sweepIdleSessions();
    expect(stops.map((stop) => stop.deviceId)).toEqual(['reelterm-laptop']);
    // 10.11 wrote where its automatic progress had got to; 12.0 the last report.
    if (version === '10.11.11') expect(watchState(s).position).toBeGreaterThanOrEqual(380);
    else expect(watchState(s).position).toBe(200);
    await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 260, played: false });
    expect(outbox.deadLetters()).toEqual([]);
  });

  it('a crash mid-film: the replay comes first, and the idle stop finds nothing left to write', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 200);
    await stopOffline(s, outbox, 260);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 260, played: false });
    s.server.faults.clock(30 * MINUTE);
    expect(s.server.sweepIdleSessions()).toEqual([]);
    expect(watchState(s)).toEqual({ position: 260, played: false });
    expect(engine.deadLetters()).toEqual([]);
  });

  it('the idle stop ran on past 90 % and marked it watched: the replay unmarks it', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 400);
    await stopOffline(s, outbox, 420);
    s.server.faults.clock(3 * MINUTE);
    s.server.sweepIdleSessions();
    if (version === '10.11.11') expect(watchState(s)).toEqual({ position: 0, played: true });
    await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 420, played: false });
  });
});

describe.each<DemoVersion>(['10.11.11', '12.0.0'])('a network gone longer than the server waits, while the film plays on (%s)', (version) => {
  it('the next progress, fresh as it is, undoes what the server\'s idle stop wrote', async () => {
    const s = await scene(version);
    // (the server waits five minutes on a check-in; reelterm counts four and a half: here a second)
    const outbox = await s.open({ sessionIdleMs: 1_000 });
    await playLive(s, outbox, 400);
    await s.proxy.down();
    // The server hears nothing for three minutes and stops the session: on 10.11 past 90 %, watched.
    s.server.faults.clock(3 * MINUTE);
    s.server.sweepIdleSessions();
    if (version === '10.11.11') expect(watchState(s)).toEqual({ position: 0, played: true });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await s.proxy.up();
    // The network is back and the film goes on at 7:00: a progress made a moment ago.
    const progress = await outbox.enqueue({ itemId: s.itemId, kind: 'progress', payload: { positionTicks: 420 * S, runtimeTicks: s.runtimeTicks, played: false, urgent: true } });
    expect(await progress.outcome).toBe('delivered');
    expect(watchState(s)).toEqual({ position: 420, played: false });
  });
});

describe.each<DemoVersion>(['10.11.11', '12.0.0'])('another device on the same account (%s)', (version) => {
  it('a phone that started before reelterm\'s offline stop and watched further after it keeps its position', async () => {
    const s = await scene(version);
    const phone = await s.server.device('demo');
    await phone.start(s.itemId, 0);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await stopOffline(s, outbox, 150);
    await phone.progress(s.itemId, 300);
    await phone.stop(s.itemId, 400);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 400, played: false });
    const [kept] = engine.deadLetters();
    expect(kept).toMatchObject({ reason: 'superseded', op: { kind: 'stopped' }, server: { positionTicks: 400 * S, played: false } });
    expect(engine.status()).toMatchObject({ superseded: 1, deadLetters: 1 });
  });

  it('a phone that started after reelterm\'s offline stop keeps its position', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await stopOffline(s, outbox, 150);
    const phone = await s.server.device('demo');
    await phone.start(s.itemId, 0);
    await phone.stop(s.itemId, 90);
    const engine = await comeBack(s, outbox, false);
    expect(watchState(s)).toEqual({ position: 90, played: false });
    expect(engine.deadLetters().map((d) => d.reason)).toEqual(['superseded']);
  });

  it('a phone that marked it watched keeps it watched', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await stopOffline(s, outbox, 150);
    const phone = await s.server.device('demo');
    await phone.markPlayed(s.itemId);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 0, played: true });
    expect(engine.deadLetters()[0]).toMatchObject({ reason: 'superseded', server: { played: true } });
    // and the update kept aside is still there, with both values, after a restart
    await engine.close();
    const again = await s.open();
    expect(again.deadLetters()).toEqual([expect.objectContaining({ reason: 'superseded', server: expect.objectContaining({ positionTicks: 0, played: true }) })]);
  });

  it('with nobody else, the replay lands', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await stopOffline(s, outbox, 150);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 150, played: false });
    expect(engine.deadLetters()).toEqual([]);
  });

  it('an update kept aside and sent anyway by the user overwrites the other device\'s', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await stopOffline(s, outbox, 150);
    const phone = await s.server.device('demo');
    await phone.markPlayed(s.itemId);
    const engine = await comeBack(s, outbox, false);
    const [kept] = engine.deadLetters();
    expect(await engine.retryDeadLetter(kept!.op.id)).toBe(true);
    await eventually(() => expect(watchState(s)).toEqual({ position: 150, played: false }));
    expect(engine.deadLetters()).toEqual([]);
  });
});

describe.each<DemoVersion>(['10.11.11', '12.0.0'])('an account that may not write watch data directly (%s)', (version) => {
  it('replays through a late stop report and says so, instead of failing the update', async () => {
    const server = await startDemoServer({ adminPort: false, version, users: [{ name: 'kid', password: 'kid', enableUserPreferenceAccess: false }] });
    onTestFinished(() => server.close());
    const clock = new MovableClock();
    const client = new JellyfinClient({ serverUrl: server.url, deviceId: 'reelterm-laptop', deviceName: 'laptop', clientVersion: '0.1.0', timeoutMs: 2_000, now: clock.now });
    await client.authenticateByName('kid', 'kid');
    const dir = await tempDir();
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: new JellyfinDeliver(client), clock, backoff: { baseMs: 20, capMs: 100 } });
    onTestFinished(() => outbox.close());
    const film = server.library.first('Movie');
    await server.faults.offline();
    await outbox.enqueue({ itemId: film.id, kind: 'stopped', payload: { positionTicks: 250 * S, runtimeTicks: film.runTimeTicks!, played: false } });
    await eventually(() => expect(outbox.status().state).toBe('offline'));
    clock.shift += 5 * MINUTE;
    await server.faults.online();
    outbox.retryNow();
    await eventually(() => expect(outbox.status().pending).toBe(0), 10_000);
    expect(outbox.deadLetters()).toEqual([]);
    expect(Math.round((server.userData('kid', film.id).PlaybackPositionTicks ?? 0) / S)).toBe(250);
    expect(outbox.status().notice).toMatch(/may not write watch data directly.*stop reports/);
  });
});

describe('a start whose answer was lost', () => {
  it('still keeps a phone\'s later mark: only what reelterm\'s own start can do is taken as its own', async () => {
    const s = await scene('10.11.11');
    const outbox = await s.open();
    const item = await s.client.item(s.itemId);
    const seen = seenFrom(item.userData, item.userData.readAt!, undefined);
    s.proxy.mode = 'reset';
    await outbox.enqueue({ itemId: s.itemId, kind: 'started', payload: { positionTicks: 0, runtimeTicks: s.runtimeTicks, played: false }, seen });
    await eventually(() => expect(s.server.userData('demo', s.itemId).PlayCount).toBe(1));
    await stopOffline(s, outbox, 150);
    await (await s.server.device('demo')).markPlayed(s.itemId);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 0, played: true });
    expect(engine.deadLetters().map((d) => d.reason)).toEqual(['superseded']);
  });

  it('is not taken for another device: the server counted reelterm\'s own play, and the replay lands', async () => {
    const s = await scene('10.11.11');
    const outbox = await s.open();
    // The server acts on the start, then the connection is reset before its answer arrives.
    s.proxy.mode = 'reset';
    await outbox.enqueue({ itemId: s.itemId, kind: 'started', payload: { positionTicks: 0, runtimeTicks: s.runtimeTicks, played: false } });
    await eventually(() => expect(s.server.userData('demo', s.itemId).PlayCount).toBe(1));
    await stopOffline(s, outbox, 150);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 150, played: false });
    expect(engine.deadLetters()).toEqual([]);
  });
});

describe('a playback offline from its start', () => {
  it('compares with the state the item was read with: a phone\'s mark meanwhile is kept, and with nobody else the stop lands', async () => {
    for (const phoneMarks of [true, false]) {
      const s = await scene('10.11.11');
      const outbox = await s.open();
      // The item as the library showed it, then the network goes before playback starts.
      const item = await s.client.item(s.itemId);
      await s.proxy.down();
      const seen = seenFrom(item.userData, item.userData.readAt!, undefined);
      const payload = { positionTicks: 0, runtimeTicks: s.runtimeTicks, played: false };
      await outbox.enqueue({ itemId: s.itemId, kind: 'started', payload, seen });
      await outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: { ...payload, positionTicks: 200 * S }, seen });
      if (phoneMarks) await (await s.server.device('demo')).markPlayed(s.itemId);
      const engine = await comeBack(s, outbox, true);
      if (phoneMarks) {
        expect(watchState(s)).toEqual({ position: 0, played: true });
        expect(engine.deadLetters().map((d) => d.reason)).toEqual(['superseded']);
      } else {
        expect(watchState(s)).toEqual({ position: 200, played: false });
        expect(engine.deadLetters()).toEqual([]);
      }
    }
  });
});
