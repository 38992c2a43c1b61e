/** What the engine is doing right now. */
export type SyncState = 'idle' | 'syncing' | 'retrying' | 'offline' | 'untrusted' | 'auth';

/** The one snapshot the footer, the sync screen and `--pending` read. */
export interface SyncStatus {
  state: SyncState;
  /** This account's ops waiting to be delivered (in flight and live included). */
  pending: number;
  /** Of those, a playing item's progress waiting for its regular slot: on schedule, not late. */
  live: number;
  /** Ops of another account: kept, and delivered when that account signs in again. */
  otherAccounts: number;
  inFlight: number;
  /** Epoch ms when the oldest request in flight was sent (the footer shows the wait). */
  waitingSince: number | null;
  /** Consecutive failed attempts (ops or probes) since the last success. */
  attempts: number;
  /** Epoch ms of the next retry or probe, when one is scheduled. */
  nextRetryAt: number | null;
  lastError: string | null;
  deadLetters: number;
  /** Of the dead letters, those too old to replay blindly. */
  expired: number;
  /** Of the dead letters, those not sent because someone else changed the item on the server since. */
  superseded: number;
  /** Something about how updates are delivered for this account that the user should know (sync screen). */
  notice: string | null;
  /** Epoch ms of the last successful delivery. */
  lastSyncedAt: number | null;
}

/** What the engine knows, for {@link summarize}. */
export interface EngineFacts<T extends { kind: string }> {
  ops: readonly T[];
  deadLetters: readonly { reason: string }[];
  /** Whether an op is the signed-in account's (the only ones this engine delivers). */
  mine: (op: T) => boolean;
  /** Whether an op is a playing item's progress waiting for its regular slot. */
  held: (op: T) => boolean;
  authPaused: boolean;
  offline: boolean;
  untrusted: boolean;
  retryAt: number | null;
  probeAt: number | null;
  /** When each request in flight was sent. */
  inFlightSince: readonly number[];
  failureStreak: number;
  lastError: string | null;
  notice: string | null;
  lastSyncedAt: number | null;
}

/** The status from the engine's facts, in one pass over the queue (it runs at every change). */
export function summarize<T extends { kind: string }>(facts: EngineFacts<T>): SyncStatus {
  let mine = 0;
  let live = 0;
  for (const op of facts.ops) {
    if (!facts.mine(op)) continue;
    mine += 1;
    if (op.kind === 'progress' && facts.held(op)) live += 1;
  }
  let expired = 0;
  let superseded = 0;
  for (const dead of facts.deadLetters) {
    if (dead.reason === 'expired') expired += 1;
    else if (dead.reason === 'superseded') superseded += 1;
  }
  const inFlight = facts.inFlightSince.length;
  let state: SyncState = 'idle';
  if (facts.authPaused) state = 'auth';
  else if (facts.offline) state = facts.untrusted ? 'untrusted' : 'offline';
  else if (facts.retryAt !== null) state = 'retrying';
  else if (inFlight > 0 || mine > live) state = 'syncing';
  return {
    state,
    pending: mine,
    live,
    otherAccounts: facts.ops.length - mine,
    inFlight,
    waitingSince: inFlight > 0 ? Math.min(...facts.inFlightSince) : null,
    attempts: facts.failureStreak,
    nextRetryAt: facts.authPaused ? null : facts.offline ? facts.probeAt : facts.retryAt,
    lastError: facts.lastError,
    deadLetters: facts.deadLetters.length,
    expired,
    superseded,
    notice: facts.notice,
    lastSyncedAt: facts.lastSyncedAt,
  };
}

/**
 * The status as its readers see it: one snapshot object until something in it changes (a view
 * compares by identity), and each change told once to every listener.
 */
export class StatusFeed {
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private snapshot: SyncStatus | undefined;
  private snapshotKey = '';

  constructor(private readonly compute: () => SyncStatus) {}

  /** The current status snapshot; the same object until something in it changes. */
  current(): SyncStatus {
    const fresh = this.compute();
    const key = JSON.stringify(fresh);
    if (key !== this.snapshotKey) {
      this.snapshot = fresh;
      this.snapshotKey = key;
    }
    return this.snapshot!;
  }

  /** Calls `listener` with every new status; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners of the status, if it changed since it was last read. */
  emit(): void {
    const before = this.snapshot;
    const status = this.current();
    if (status === before) return;
    for (const listener of this.listeners) listener(status);
  }
}
