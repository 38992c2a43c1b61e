import type { DeadLetter, Op } from './op.js';

/**
 * What the engine asks of the queue at every delivery (how many are this account's, an item's
 * ops, the dead letters by reason), kept up to date as the queue changes instead of counted
 * again over thousands of ops each time. It follows the arrays it was told of: when the queue
 * holds other arrays, or arrays of another length (read again from the file, changed by
 * someone else), it counts them again.
 */
export class QueueIndex {
  private ops: readonly Op[] | undefined;
  private opsLength = -1;
  /** Per item, its queued ops (every account's) in queue order. */
  private readonly byItem = new Map<string, Op[]>();
  private mineCount = 0;
  /** This account's queued progress: what may be a playing item's progress waiting for its slot. */
  private readonly progressOps = new Set<Op>();

  private dead: readonly DeadLetter[] | undefined;
  private deadLength = -1;
  private expiredCount = 0;
  private supersededCount = 0;

  constructor(private readonly isMine: (op: Op) => boolean) {}

  /** The queue as it is now: counted again unless it is the queue this index follows. */
  follow(ops: readonly Op[], deadLetters: readonly DeadLetter[]): this {
    if (ops !== this.ops || ops.length !== this.opsLength) this.rebuildOps(ops);
    if (deadLetters !== this.dead || deadLetters.length !== this.deadLength) this.rebuildDead(deadLetters);
    return this;
  }

  /** Counts everything again at the next `follow` (the accounts of ops changed). */
  invalidate(): void {
    this.ops = undefined;
    this.dead = undefined;
  }

  /** After a change told below: the arrays the queue holds now. */
  settle(ops: readonly Op[], deadLetters: readonly DeadLetter[]): void {
    this.ops = ops;
    this.opsLength = ops.length;
    this.dead = deadLetters;
    this.deadLength = deadLetters.length;
  }

  /** The item's queued ops, every account's, in queue order (do not change the array). */
  of(itemId: string): readonly Op[] {
    return this.byItem.get(itemId) ?? [];
  }

  get mine(): number {
    return this.mineCount;
  }

  /** This account's queued progress ops. */
  get progress(): ReadonlySet<Op> {
    return this.progressOps;
  }

  get expired(): number {
    return this.expiredCount;
  }

  get superseded(): number {
    return this.supersededCount;
  }

  /** `op` went to the end of the queue. */
  added(op: Op): void {
    const list = this.byItem.get(op.itemId);
    if (list === undefined) this.byItem.set(op.itemId, [op]);
    else list.push(op);
    if (!this.isMine(op)) return;
    this.mineCount += 1;
    if (op.kind === 'progress') this.progressOps.add(op);
  }

  /** `op` left the queue. */
  removed(op: Op): void {
    const list = this.byItem.get(op.itemId);
    const at = list?.indexOf(op) ?? -1;
    if (at < 0) return;
    if (list!.length === 1) this.byItem.delete(op.itemId);
    else list!.splice(at, 1);
    if (!this.isMine(op)) return;
    this.mineCount -= 1;
    this.progressOps.delete(op);
  }

  /** A dead letter was added or taken out (`by` +1 or -1). */
  deadChanged(dead: DeadLetter, by: 1 | -1): void {
    if (dead.reason === 'expired') this.expiredCount += by;
    else if (dead.reason === 'superseded') this.supersededCount += by;
  }

  private rebuildOps(ops: readonly Op[]): void {
    this.byItem.clear();
    this.progressOps.clear();
    this.mineCount = 0;
    for (const op of ops) this.added(op);
    this.ops = ops;
    this.opsLength = ops.length;
  }

  private rebuildDead(deadLetters: readonly DeadLetter[]): void {
    this.expiredCount = 0;
    this.supersededCount = 0;
    for (const dead of deadLetters) this.deadChanged(dead, 1);
    this.dead = deadLetters;
    this.deadLength = deadLetters.length;
  }
}
