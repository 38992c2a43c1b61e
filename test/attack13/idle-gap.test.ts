import { describe, expect, it } from 'vitest';
import type { DemoVersion } from '../../src/servers/jellyfin/demo/playstate.js';
import { eventually } from '../helpers/wait.js';
import { MINUTE, payload, playLive, scene, watchState } from '../helpers/server-scene.js';

/**
 * A gap in reelterm's check-ins longer than the server waits (a laptop suspended mid-film, a
 * network gone while mpv plays from its cache): the next live report goes as a replay.
 */
describe.each<DemoVersion>(['10.11.11', '12.0.0'])('a long gap in the middle of a film (%s)', (version) => {
  /*
   * DEFECT: the laptop sleeps an hour mid-film; meanwhile the phone plays the film (a play
   * counted). The laptop wakes and the film goes on in reelterm. Its first progress is an "idle"
   * replay, rightly kept aside (the phone changed the item). But a superseded replay leaves
   * reelterm's remembered state (`seen`) as it was, an hour old and "open": EVERY later progress
   * tick is again treated as idle, read again, and kept aside again. The footer's "changed
   * elsewhere" count grows by one a tick for the rest of the film, and the server never hears of
   * the playback going on in front of the user (no check-in, no session).
   */
  it('the film going on after the gap gives one "changed elsewhere", not one per progress tick', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    // An hour asleep, on both clocks; the server stops the silent session by itself.
    s.clock.shift += 60 * MINUTE;
    s.server.faults.clock(60 * MINUTE);
    s.server.sweepIdleSessions();
    const phone = await s.server.device('demo');
    await phone.start(s.itemId, 0);
    await phone.stop(s.itemId, 300);
    // The laptop wakes: mpv plays on from 1:40; a progress every 10 s.
    const outcomes: string[] = [];
    for (const at of [105, 115, 125, 135]) {
      s.clock.shift += 10_000;
      s.server.faults.clock(60 * MINUTE + (at - 95) * 1000);
      outcomes.push(await (await outbox.enqueue({ itemId: s.itemId, kind: 'progress', payload: payload(s, at) })).outcome);
    }
    await eventually(() => expect(outbox.status().pending).toBe(0));
    expect(outbox.status().superseded).toBeLessThanOrEqual(1);
    expect(outcomes.filter((o) => o === 'superseded').length).toBeLessThanOrEqual(1);
  });

  /* Guard: the gap with nobody else: the next progress undoes the server's idle stop, and later ticks go live. */
  it('with nobody else, the next tick after an hour asleep restores the position and the session', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    s.clock.shift += 60 * MINUTE;
    s.server.faults.clock(60 * MINUTE);
    s.server.sweepIdleSessions();
    if (version === '10.11.11') expect(watchState(s)).toEqual({ position: 0, played: true });
    s.clock.shift += 10_000;
    s.server.faults.clock(60 * MINUTE + 10_000);
    expect(await (await outbox.enqueue({ itemId: s.itemId, kind: 'progress', payload: payload(s, 110) })).outcome).toBe('delivered');
    expect(watchState(s)).toEqual({ position: 110, played: false });
    s.clock.shift += 10_000;
    s.server.faults.clock(60 * MINUTE + 20_000);
    expect(await (await outbox.enqueue({ itemId: s.itemId, kind: 'progress', payload: payload(s, 120) })).outcome).toBe('delivered');
    // The session is open again on the server (a live report, not another replay).
    expect(s.server.nowPlaying('demo').map((p) => p.deviceId)).toContain('reelterm-laptop');
    expect(outbox.deadLetters()).toEqual([]);
  });
});
