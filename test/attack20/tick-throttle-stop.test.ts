import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEEPALIVE_MS, TickThrottle, type TickState } from '../../src/player/tick-throttle.js';

// The throttle's timers on vitest's fake clock (as test/player/tick-throttle.test.ts does): what
// is attacked is which ticks go out and when, over minutes of a process's life.
afterEach(() => {
  vi.useRealTimers();
});

function throttle(state: TickState) {
  const sent: Array<{ positionSeconds: number; at: number }> = [];
  const ticks = new TickThrottle(1000, () => state, (tick) => sent.push({ positionSeconds: tick.positionSeconds, at: Date.now() }));
  return { ticks, sent };
}

describe('the tick throttle, attacked', () => {
  it('after stop, nothing brings the keepalive back: not a late tick, a seek told, nor a paused minute', () => {
    vi.useFakeTimers({ now: 0 });
    const state: TickState = { positionSeconds: 5, durationSeconds: 60, paused: true, live: true };
    const { ticks, sent } = throttle(state);
    ticks.start();
    ticks.tick(true);
    ticks.stop();
    // (a read answered after the end, a seek's answer after the end)
    ticks.told(7);
    state.positionSeconds = 8;
    ticks.tick(true);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(10 * KEEPALIVE_MS);
    expect(sent).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('across seeks: the keepalive counts from the seek, and a burst of reads after it keeps to one tick a second', () => {
    vi.useFakeTimers({ now: 0 });
    const state: TickState = { positionSeconds: 0, durationSeconds: 600, paused: true, live: true };
    const { ticks, sent } = throttle(state);
    ticks.start();
    ticks.tick(true);
    vi.advanceTimersByTime(KEEPALIVE_MS - 100);
    // A seek while paused: mpv's answer says where (the seek's own report went as `seek`)
    ticks.cancel();
    ticks.told(300);
    state.positionSeconds = 300;
    vi.advanceTimersByTime(KEEPALIVE_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((tick) => tick.positionSeconds)).toEqual([0, 300]);
    // Playing on at 8x: reads every 125 ms, ticks at most one per interval (give or take a tenth)
    state.paused = false;
    const from = Date.now();
    for (let read = 1; read <= 40; read++) {
      vi.advanceTimersByTime(125);
      state.positionSeconds = 300 + read;
      ticks.schedule();
    }
    vi.advanceTimersByTime(1000);
    const playing = sent.filter((tick) => tick.at > from).map((tick) => tick.at);
    for (let at = 1; at < playing.length; at++) expect(playing[at]! - playing[at - 1]!).toBeGreaterThanOrEqual(900);
    expect(sent.at(-1)!.positionSeconds).toBe(340);
    ticks.stop();
  });

  it('the clock set back while a film plays: the ticks (the time on screen, the saved position) go on each second', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const state: TickState = { positionSeconds: 0, durationSeconds: 600, paused: false, live: true };
    const { ticks, sent } = throttle(state);
    ticks.start();
    ticks.tick(true);
    for (let second = 1; second <= 3; second++) {
      vi.advanceTimersByTime(1000);
      state.positionSeconds = second;
      ticks.schedule();
    }
    // NTP steps the wall clock back an hour (the film plays on; timers count real time)
    vi.setSystemTime(Date.now() - 3_600_000);
    for (let second = 4; second <= 8; second++) {
      vi.advanceTimersByTime(1000);
      state.positionSeconds = second;
      ticks.schedule();
    }
    vi.advanceTimersByTime(1000);
    expect(sent.map((tick) => tick.positionSeconds)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    ticks.stop();
  });
});
