import type { Outcome } from './op.js';

/**
 * Who waits for how each op ends. An op that replaces others (coalescing) or that a newer one
 * absorbs takes their waiters along: everyone hears of the update that carried their change.
 */
export class Outcomes {
  private readonly waiters = new Map<string, Array<(outcome: Outcome) => void>>();

  /** A promise of how op `id` ends, which the ops it `replaced` also settle with. */
  of(id: string, replaced: readonly string[]): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const waiting = [resolve, ...replaced.flatMap((old) => this.waiters.get(old) ?? [])];
      for (const old of replaced) this.waiters.delete(old);
      this.waiters.set(id, waiting);
    });
  }

  /** Op `from` was folded into `to`: its waiters wait for `to`. */
  move(from: string, to: string): void {
    const waiting = this.waiters.get(from) ?? [];
    this.waiters.delete(from);
    this.waiters.set(to, [...(this.waiters.get(to) ?? []), ...waiting]);
  }

  /** Op `id` ended so. */
  resolve(id: string, outcome: Outcome): void {
    const waiting = this.waiters.get(id) ?? [];
    this.waiters.delete(id);
    for (const resolve of waiting) resolve(outcome);
  }
}
