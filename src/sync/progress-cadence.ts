import type { Clock, TimerHandle } from './clock.js';
import type { Op } from './op.js';

/**
 * How often a playing item's progress goes out: at most once every `intervalMs` per item,
 * unless urgent (a pause, a seek). Progress that must wait for its slot stays queued, and one
 * timer wakes the engine when the earliest slot comes.
 */
export class ProgressCadence {
  private readonly lastSentAt = new Map<string, number>();
  private timer: TimerHandle | null = null;
  private dueAt = Infinity;

  constructor(
    private readonly clock: Clock,
    /** Least time between two progress reports for one item (the settings screen changes it). */
    public intervalMs: number,
    /** The earliest slot came: held progress may go. */
    private readonly wake: () => void,
  ) {}

  /** When `op` may go, if it is progress that must wait for its item's slot; undefined when it may go now. */
  nextSlot(op: Op, now: number): number | undefined {
    if (op.kind !== 'progress' || op.payload.urgent) return undefined;
    const last = this.lastSentAt.get(op.itemId);
    return last !== undefined && now - last < this.intervalMs ? last + this.intervalMs : undefined;
  }

  /** Whether `op` is progress waiting for its item's slot, by the clock now. */
  held(op: Op): boolean {
    if (op.kind !== 'progress' || op.payload.urgent) return false;
    const last = this.lastSentAt.get(op.itemId);
    return last !== undefined && this.clock.now() - last < this.intervalMs;
  }

  /** The item's progress (or stop) went out, sent at `at`: its next progress waits a full interval. */
  sent(itemId: string, at: number): void {
    this.lastSentAt.set(itemId, at);
  }

  /** Every item's progress may go at once (a forced retry). */
  forget(): void {
    this.lastSentAt.clear();
  }

  /** Wakes the engine at `due` (the earliest held slot, Infinity when none), unless a wake-up comes sooner. */
  wakeAt(due: number, now: number): void {
    if (due < this.dueAt) {
      this.stop();
      this.dueAt = due;
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.dueAt = Infinity;
        this.wake();
      }, due - now);
    }
  }

  /** No wake-up pending. */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = Infinity;
  }
}
