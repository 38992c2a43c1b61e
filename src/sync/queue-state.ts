import { randomUUID } from 'node:crypto';
import type { Low } from 'lowdb';
import type { Clock } from './clock.js';
import type { Deliver } from './deliver.js';
import { coalesceKey, sameAccount, type DeadLetter, type Op, type OpAccount, type OpInput, type QueueData, type SeenState } from './op.js';
import { QueueIndex } from './queue-index.js';
import { newestSeen } from './seen.js';

/**
 * What the queue holds (ops in delivery order, dead letters) and the rules that change it: a new
 * update replaces the queued ones it makes pointless (coalescing) and takes over their failures
 * and doubts, a dead letter goes back unless something newer is queued, and each op carries the
 * newest known view of its item's server state (its basis). It knows nothing of deliveries or
 * timers: which queued ops may no longer be replaced (in flight, about to go) its caller says.
 */
export class QueueState {
  /** Counts and per-item lists of the queue, kept as it changes (a delivery must not scan thousands of ops). */
  private readonly index = new QueueIndex((op) => this.isMine(op));

  constructor(
    private readonly db: Low<QueueData>,
    /** The signed-in account, if any: see `OutboxOptions.account`. */
    private readonly account: OpAccount | undefined,
    private readonly server: Pick<Deliver, 'seen' | 'withDoubt' | 'clockOffsetMs'>,
    private readonly clock: Clock,
  ) {}

  private get data(): QueueData {
    return this.db.data;
  }

  /** The index, following the queue as it is now. */
  private indexed(): QueueIndex {
    return this.index.follow(this.data.ops, this.data.deadLetters);
  }

  /** After a change told to the index: it follows the queue's arrays as they are now. */
  private reindexed(): void {
    this.index.settle(this.data.ops, this.data.deadLetters);
  }

  /**
   * What the status counts: this account's queued ops, all queued ops, this account's queued
   * progress (of which the status counts those waiting for their slot), and the dead letters.
   */
  counts(): { mine: number; total: number; progress: ReadonlySet<Op>; deadLetters: number; expired: number; superseded: number } {
    const index = this.indexed();
    return {
      mine: index.mine,
      total: this.data.ops.length,
      progress: index.progress,
      deadLetters: this.data.deadLetters.length,
      expired: index.expired,
      superseded: index.superseded,
    };
  }

  /** Ops of a queue written before accounts were recorded become the signed-in account's; returns how many. */
  adoptUnowned(): number {
    let adopted = 0;
    if (this.account !== undefined) {
      for (const op of this.data.ops) {
        if (op.account !== undefined) continue;
        op.account = this.account;
        adopted += 1;
      }
    }
    if (adopted > 0) this.index.invalidate();
    return adopted;
  }

  /** Whether the op belongs to the signed-in account (the only one this engine can deliver). */
  isMine(op: Op): boolean {
    return this.account === undefined || sameAccount(op.account, this.account);
  }

  /** This account's queued ops (for one item, or all): another account's cannot land here. */
  matching(itemId: string | undefined): number {
    if (itemId === undefined && this.account === undefined) return this.data.ops.length;
    const index = this.indexed();
    if (itemId === undefined) return index.mine;
    let count = 0;
    for (const op of index.of(itemId)) if (this.isMine(op)) count += 1;
    return count;
  }

  /**
   * Makes the op for `input` and queues it last, in place of the queued ops it replaces (never
   * one that `taken` names); returns it, and the ops it replaced.
   */
  add(input: OpInput, taken: (id: string) => boolean): { op: Op; replaced: Op[] } {
    const now = this.clock.now();
    const op: Op = {
      id: randomUUID(),
      itemId: input.itemId,
      kind: input.kind,
      payload: { ...input.payload },
      createdAt: new Date(input.at?.getTime() ?? now).toISOString(),
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      seq: ++this.data.seq,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(this.account !== undefined ? { account: this.account } : {}),
      ...this.serverOffset(),
    };
    const index = this.indexed();
    const sameItem = index.of(op.itemId);
    // What the server had as far as this account knows: a replay after a crash compares with it.
    const earlier = sameItem.filter((queued) => sameAccount(queued.account, op.account)).map((queued) => queued.basis);
    const basis = newestSeen(this.server.seen?.(op.itemId), input.seen, ...earlier);
    if (basis !== undefined) op.basis = basis;
    const replaced = sameItem.filter((queued) => this.replaces(op, queued, taken));
    // A replaced update that failed before may have reached the server all the same.
    for (const r of replaced) if (r.unsure === true) this.setBasis(op, this.withDoubt(op.basis, r, now));
    if (replaced.length > 0) {
      const gone = new Set(replaced.map((r) => r.id));
      this.data.ops = this.data.ops.filter((queued) => !gone.has(queued.id));
      for (const r of replaced) index.removed(r);
      if (op.kind === 'progress' && replaced.some((r) => r.kind === 'progress' && r.payload.urgent)) {
        op.payload.urgent = true;
      }
      if (op.kind === 'played' && replaced.some((r) => r.kind === 'unplayed' || r.payload.unmarkedFirst === true)) op.payload.unmarkedFirst = true;
      // The failures of what it replaces are its own: --pending and the footer keep counting.
      for (const r of replaced) {
        if (r.attempts > op.attempts) {
          op.attempts = r.attempts;
          op.lastError = r.lastError;
          op.nextAttemptAt = r.nextAttemptAt;
        }
      }
    }
    this.data.ops.push(op);
    index.added(op);
    this.reindexed();
    return { op, replaced };
  }

  /**
   * The server's clock as known now (or, while it cannot be reached, as last measured, kept in
   * the queue file): each op is placed on it when made.
   */
  private serverOffset(): { serverOffsetMs?: number } {
    const measured = this.server.clockOffsetMs?.();
    if (measured !== undefined) this.data.serverOffsetMs = measured;
    return this.data.serverOffsetMs === undefined ? {} : { serverOffsetMs: this.data.serverOffsetMs };
  }

  /**
   * A new op replaces a queued one of the same (item, kind) unless that one is in flight; a stop
   * absorbs progress. Reports of another playback of the item are not replaced: each playback
   * is a watch of its own (a server may count each one).
   */
  private replaces(op: Op, queued: Op, taken: (id: string) => boolean): boolean {
    if (queued.itemId !== op.itemId || taken(queued.id) || !sameAccount(queued.account, op.account)) return false;
    const [mine, theirs] = [op.payload.playSessionId, queued.payload.playSessionId];
    if (mine !== undefined && theirs !== undefined && mine !== theirs) return false;
    if (coalesceKey(queued.kind) === coalesceKey(op.kind)) return true;
    return op.kind === 'stopped' && queued.kind === 'progress';
  }

  /**
   * Drops a failed op that a newer queued one replaces, and returns the newer one (which takes
   * over its attempts); undefined when there is none.
   */
  foldIntoNewer(op: Op, taken: (id: string) => boolean): Op | undefined {
    // (one that replaces it is of the same item)
    const newer = this.indexed().of(op.itemId).find((queued) => queued.seq > op.seq && this.replaces(queued, op, taken));
    if (newer === undefined) return undefined;
    this.remove(op);
    newer.attempts = Math.max(newer.attempts, op.attempts);
    // What the folded one may have done on the server unseen, the newer one must not take for another device's.
    if (op.unsure === true) this.setBasis(newer, this.withDoubt(newestSeen(newer.basis, op.basis), op, this.clock.now()));
    return newer;
  }

  /**
   * The deliverer's newer view of the item (what this op left on the server, or may have) goes
   * to the item's later updates, on disk at the next write: a restart compares with it.
   */
  refreshBasis(done: Op): void {
    const seen = this.server.seen?.(done.itemId);
    if (seen === undefined) return;
    for (const queued of this.indexed().of(done.itemId)) {
      if (queued === done || queued.itemId !== done.itemId || !sameAccount(queued.account, done.account)) continue;
      const basis = newestSeen(queued.basis, seen);
      if (basis !== undefined) queued.basis = basis;
    }
  }

  /** The basis after an op of ours whose answer was lost, by the server's rules (without them, what the server may hold is not known). */
  private withDoubt(seen: SeenState | undefined, op: Op, at: number): SeenState | undefined {
    return this.server.withDoubt !== undefined ? this.server.withDoubt(seen, op, at) : undefined;
  }

  private setBasis(op: Op, basis: SeenState | undefined): void {
    if (basis === undefined) delete op.basis;
    else op.basis = basis;
  }

  /** Removes one op in place (the queue can hold thousands: no copy per delivery). */
  remove(op: Op): void {
    const ops = this.data.ops;
    // (deliveries go from the front: the op is nearly always found within the first few)
    let at = ops.indexOf(op);
    if (at < 0) at = ops.findIndex((queued) => queued.id === op.id);
    if (at < 0) return;
    const index = this.indexed();
    index.removed(ops[at]!);
    if (at < ops.length / 2) {
      // Near the front (where deliveries are): move the few before it on by one and drop the
      // first, which the engine does without moving the thousands after it.
      ops.copyWithin(1, 0, at);
      ops.shift();
    } else {
      ops.splice(at, 1);
    }
    this.reindexed();
  }

  /** Drops a queued op for good; false when it is not queued. */
  discard(opId: string): boolean {
    const op = this.data.ops.find((queued) => queued.id === opId);
    if (op === undefined) return false;
    this.remove(op);
    return true;
  }

  /** Moves an op from the queue to the dead letters, with why. */
  toDeadLetters(op: Op, reason: DeadLetter['reason'], error: string, server?: DeadLetter['server']): void {
    this.remove(op);
    const dead: DeadLetter = { op: { ...op, lastError: error }, reason, error, at: new Date(this.clock.now()).toISOString(), ...(server ? { server } : {}) };
    const index = this.indexed();
    this.data.deadLetters.push(dead);
    index.deadChanged(dead, 1);
    this.reindexed();
  }

  /**
   * Takes one of this account's dead letters out and puts it back at the end of the queue, unless
   * a newer op for the same item and kind is queued; true when it went back.
   */
  requeueDeadLetter(opId: string): boolean {
    const at = this.data.deadLetters.findIndex((d) => d.op.id === opId && this.isMine(d.op));
    if (at < 0) return false;
    const index = this.indexed();
    const [dead] = this.data.deadLetters.splice(at, 1);
    index.deadChanged(dead!, -1);
    const op = dead!.op;
    const newer = index.of(op.itemId).some((q) => coalesceKey(q.kind) === coalesceKey(op.kind) && sameAccount(q.account, op.account));
    if (!newer) {
      const back: Op = { ...op, attempts: 0, nextAttemptAt: null, lastError: null, seq: ++this.data.seq, anyAge: true };
      this.data.ops.push(back);
      index.added(back);
    }
    this.reindexed();
    return !newer;
  }

  /** Removes a dead letter for good; false when there is none with that id. */
  discardDeadLetter(opId: string): boolean {
    const index = this.indexed();
    const gone = this.data.deadLetters.filter((d) => d.op.id === opId);
    if (gone.length === 0) return false;
    this.data.deadLetters = this.data.deadLetters.filter((d) => d.op.id !== opId);
    for (const dead of gone) index.deadChanged(dead, -1);
    this.reindexed();
    return true;
  }
}
