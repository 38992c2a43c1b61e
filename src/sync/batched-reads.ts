import type { Op } from './op.js';

/**
 * Reads of items' server state, many in one request. A replay reads its item first (was it
 * changed by someone else?); a backlog of thousands would be one read and one write each. The
 * outbox says which items come next (`hint`); the first read among them asks the server for a
 * whole batch, and each later replay takes its item's answer from it once, while it is fresh.
 * A write of reelterm's to an item drops what was read of it (`forget`).
 */
export class BatchedReads<T> {
  /** Items the outbox will send next, oldest hint first (a Set keeps insertion order). */
  private readonly upcoming = new Set<string>();
  /** Answers not taken yet, with when they were read (the engine's clock). */
  private readonly answers = new Map<string, { value: T; at: number; asked: number }>();
  /** Batches on their way, by item. */
  private readonly loading = new Map<string, { batch: Promise<Map<string, T>>; asked: number }>();
  /** A counter of events: when each batch was asked for, and when each item's last delivery ended. */
  private tick = 0;
  private readonly settledAt = new Map<string, number>();

  constructor(
    private readonly readMany: (ids: string[], signal: AbortSignal) => Promise<Map<string, T>>,
    private readonly options: { batch?: number; freshForMs?: number; now?: () => number } = {},
  ) {}

  /**
   * Of the ops the outbox sends next, those that will be replays (older than `lateAfterMs`; a
   * start is never replayed): their items are read with the next batch.
   */
  hintReplays(ops: readonly Op[], lateAfterMs: number): void {
    const now = Date.now();
    this.hint(ops.filter((op) => op.kind !== 'started' && now - Date.parse(op.createdAt) >= lateAfterMs).map((op) => op.itemId));
  }

  /** Items whose updates go out soon: read with the next batch. */
  hint(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.upcoming.size >= this.batchSize * 4) break;
      this.upcoming.add(id);
    }
  }

  /**
   * The item's state from a batch read (this one's, or one on its way), taken once; undefined
   * when the server's answer left it out (the caller reads it alone, for the server's own error).
   */
  async read(id: string, signal: AbortSignal): Promise<T | undefined> {
    const now = this.now();
    const answered = this.answers.get(id);
    this.answers.delete(id);
    // (an answer asked for before the item's last delivery ended may not show what it did)
    if (answered !== undefined && now - answered.at <= this.freshForMs && (this.settledAt.get(id) ?? 0) < answered.asked) return answered.value;
    const pending = this.loading.get(id);
    if (pending !== undefined) {
      const found = (await pending.batch).get(id);
      // (this item's own delivery ended while the batch was out: read it alone)
      return (this.settledAt.get(id) ?? 0) < pending.asked ? found : undefined;
    }
    const ids = [id];
    for (const next of this.upcoming) {
      if (ids.length >= this.batchSize) break;
      if (next !== id && !this.loading.has(next) && !this.answers.has(next)) ids.push(next);
    }
    for (const each of ids) this.upcoming.delete(each);
    const askedAt = ++this.tick;
    const asked = this.readMany(ids, signal);
    // Those waiting on this batch read alone when it fails (one unknown item must not fail them all).
    const batch = asked.catch(() => new Map<string, T>());
    const loading = { batch, asked: askedAt };
    for (const each of ids) this.loading.set(each, loading);
    try {
      const found = await asked;
      const at = this.now();
      for (const [key, value] of found) if (key !== id) this.answers.set(key, { value, at, asked: askedAt });
      return found.get(id);
    } catch (error) {
      // A batch the server refused as a whole: this item is read alone, for its own answer.
      if (ids.length > 1) return undefined;
      throw error;
    } finally {
      for (const each of ids) if (this.loading.get(each) === loading) this.loading.delete(each);
    }
  }

  /** A delivery for the item ended: answers asked for before now may not show what it did. */
  settled(id: string): void {
    this.answers.delete(id);
    // Only a batch on its way can hold an answer asked for before now: any later one is asked
    // after this (a backlog of thousands keeps no mark per item delivered).
    if (this.loading.has(id)) this.settledAt.set(id, ++this.tick);
    else this.settledAt.delete(id);
  }

  private get batchSize(): number {
    return this.options.batch ?? 100;
  }

  private get freshForMs(): number {
    return this.options.freshForMs ?? 30_000;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
