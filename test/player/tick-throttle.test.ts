import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEEPALIVE_MS, TickThrottle, type TickState } from '../../src/player/tick-throttle.js';

// The throttle's timing alone, on vitest's fake clock: what it saves is wake-ups of a process
// that plays a film for hours, which a real clock could only show as a duration. The ticks it
// sends with real mpv are in position-reads.test.ts and the playback tests.
afterEach(() => {
  vi.useRealTimers();
});

function throttle(state: TickState) {
  const sent: Array<{ positionSeconds: number; paused: boolean; at: number }> = [];
  let asked = 0;
  const ticks = new TickThrottle(
    1000,
    () => {
      asked += 1;
      return state;
    },
    (tick) => sent.push({ positionSeconds: tick.positionSeconds, paused: tick.paused, at: Date.now() }),
  );
  return { ticks, sent, asked: () => asked };
}

describe('the ticks of a playing file', () => {
  it('go out as the position is read, once a second, not held for the last milliseconds of the interval', () => {
    vi.useFakeTimers({ now: 0 });
    const state: TickState = { positionSeconds: 1, durationSeconds: 60, paused: false, live: true };
    const { ticks, sent } = throttle(state);
    ticks.start();
    ticks.tick(true);
    // A read a little before the interval is over (timers and mpv's answer drift by a few ms)
    vi.advanceTimersByTime(975);
    state.positionSeconds = 2;
    ticks.schedule();
    expect(sent.map((tick) => tick.at)).toEqual([0, 975]);
    // A read well inside the interval (a seek's burst, `--speed=8`) still waits for its slot
    vi.advanceTimersByTime(300);
    state.positionSeconds = 2.3;
    ticks.schedule();
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(700);
    expect(sent.map((tick) => tick.at)).toEqual([0, 975, 1975]);
    ticks.stop();
  });

  it('while paused, one keepalive every 10 s and nothing run in between', () => {
    vi.useFakeTimers({ now: 0 });
    const state: TickState = { positionSeconds: 42, durationSeconds: 60, paused: true, live: true };
    const { ticks, sent, asked } = throttle(state);
    ticks.start();
    ticks.tick(true);
    const askedAfterTick = asked();
    vi.advanceTimersByTime(KEEPALIVE_MS - 1);
    // (the throttle was not even asked how playback is: no timer ran)
    expect(asked()).toBe(askedAfterTick);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((tick) => [tick.at, tick.positionSeconds, tick.paused])).toEqual([
      [0, 42, true],
      [KEEPALIVE_MS, 42, true],
    ]);
    vi.advanceTimersByTime(KEEPALIVE_MS);
    expect(sent).toHaveLength(3);
    ticks.stop();
    vi.advanceTimersByTime(3 * KEEPALIVE_MS);
    expect(sent).toHaveLength(3);
  });

  it('counts the keepalive from the last tick: a film that plays on sends no extra one', () => {
    vi.useFakeTimers({ now: 0 });
    const state: TickState = { positionSeconds: 0, durationSeconds: 600, paused: false, live: true };
    const { ticks, sent } = throttle(state);
    ticks.start();
    for (let second = 1; second <= 25; second++) {
      vi.advanceTimersByTime(1000);
      state.positionSeconds = second;
      ticks.schedule();
    }
    expect(sent.map((tick) => tick.positionSeconds)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Paused now: the keepalive comes 10 s after the last tick, not sooner
    state.paused = true;
    vi.advanceTimersByTime(KEEPALIVE_MS - 1);
    expect(sent).toHaveLength(25);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toMatchObject({ positionSeconds: 25, paused: true });
    ticks.stop();
  });

  it('sends no keepalive while ticks cannot go (a seek under way, loading), and one once they can', () => {
    vi.useFakeTimers({ now: 0 });
    const state: TickState = { positionSeconds: 5, durationSeconds: 600, paused: true, live: false };
    const { ticks, sent } = throttle(state);
    ticks.start();
    vi.advanceTimersByTime(3 * KEEPALIVE_MS);
    expect(sent).toHaveLength(0);
    state.live = true;
    vi.advanceTimersByTime(KEEPALIVE_MS);
    expect(sent).toHaveLength(1);
    ticks.stop();
  });
});
