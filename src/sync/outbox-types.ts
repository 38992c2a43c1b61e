import type { Low } from 'lowdb';
import type { BackoffPolicy } from './backoff.js';
import type { Clock } from './clock.js';
import type { Deliver } from './deliver.js';
import type { OpAccount, Outcome, QueueData } from './op.js';

/** Tuning for the outbox; every field has a production default. */
export interface OutboxOptions {
  db: Low<QueueData>;
  deliver: Deliver;
  clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Longest a batched change (progress, a delivery) waits before it is written. */
  flushIntervalMs?: number;
  /** Least time between two progress reports for one item, unless urgent (pause, seek). */
  progressIntervalMs?: number;
  /** Deliveries in flight at once (different items only; one item is always sequential). */
  concurrency?: number;
  /**
   * The signed-in account: new ops are stamped with it, and only its ops are delivered (another
   * account's wait, shown, until that account signs in). Ops of a queue written before accounts
   * were recorded are adopted by it. Without one, every op is delivered (tests, tools).
   */
  account?: OpAccount;
  /** Runs once after `close()` has written the queue (releases the owner lock). */
  onClose?: () => Promise<void>;
}

/** What `enqueue()` hands back. */
export interface OpHandle {
  id: string;
  /** Resolves once the op is in the queue file (at once for stop and marks; at the next flush for progress). */
  persisted: Promise<void>;
  /** Settles with how the op ended. An op replaced by a newer one settles with the newer one's outcome. */
  outcome: Promise<Outcome>;
}

/** What `settle()` found when it returned. */
export interface SettleResult {
  /** True when nothing matching is left in the queue. */
  settled: boolean;
  /** Matching ops still queued. */
  pending: number;
  reason?: 'timeout' | 'auth' | 'closed' | 'untrusted';
}

/** The queue file could not be written; the op is kept in memory and written at the next chance. */
export class QueueWriteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueueWriteError';
  }
}
