import type { Clock, TimerHandle } from '../../src/sync/clock.js';

interface FakeTimer {
  at: number;
  order: number;
  callback: () => void;
}

/** Virtual time for the sync engine: timers fire only when a test advances the clock. */
export class FakeClock implements Clock {
  private current: number;
  private order = 0;
  private readonly timers = new Set<FakeTimer>();

  constructor(start = Date.parse('2026-11-25T10:00:00.000Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), order: this.order++, callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as FakeTimer);
  }

  /** Pending timers' due times, earliest first. */
  pending(): number[] {
    return [...this.timers].map((t) => t.at).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing due timers in order and letting promises run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = [...this.timers].filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (due === undefined) break;
      this.timers.delete(due);
      this.current = due.at;
      due.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

/** Lets queued promise callbacks and immediate I/O callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
