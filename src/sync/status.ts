import type { ScheduleFacts } from './retry-schedule.js';

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
export interface EngineFacts {
  /** The retry schedule's part (backoff, offline mode, the failure streak). */
  schedule: ScheduleFacts;
  /** The signed-in account's queued ops (the only ones this engine delivers). */
  mine: number;
  /** Every queued op, any account's. */
  total: number;
  /** Of this account's, a playing item's progress waiting for its regular slot. */
  live: number;
  deadLetters: number;
  expired: number;
  superseded: number;
  authPaused: boolean;
  /** Requests in flight. */
  inFlight: number;
  /** When the oldest of them was sent; null when none is. */
  waitingSince: number | null;
  notice: string | null;
  lastSyncedAt: number | null;
}

/** The status from the engine's facts (it runs at every change: the engine keeps the counts, nothing here scans the queue). */
export function summarize(facts: EngineFacts): SyncStatus {
  const { mine, live, inFlight, schedule } = facts;
  let state: SyncState = 'idle';
  if (facts.authPaused) state = 'auth';
  else if (schedule.offline) state = schedule.untrusted ? 'untrusted' : 'offline';
  else if (schedule.retryAt !== null) state = 'retrying';
  else if (inFlight > 0 || mine > live) state = 'syncing';
  return {
    state,
    pending: mine,
    live,
    otherAccounts: facts.total - mine,
    inFlight,
    waitingSince: facts.waitingSince,
    attempts: schedule.failureStreak,
    nextRetryAt: facts.authPaused ? null : schedule.offline ? schedule.probeAt : schedule.retryAt,
    lastError: schedule.lastError,
    deadLetters: facts.deadLetters,
    expired: facts.expired,
    superseded: facts.superseded,
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

  constructor(private readonly compute: () => SyncStatus) {}

  /** The current status snapshot; the same object until something in it changes. */
  current(): SyncStatus {
    const fresh = this.compute();
    if (this.snapshot === undefined || !sameStatus(fresh, this.snapshot)) this.snapshot = fresh;
    return this.snapshot;
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

/** Whether two snapshots say the same (every field is a plain value). */
function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  // (a loop over the keys in place: this runs at every delivery of a drain of thousands)
  for (const key in a) if (!Object.is(a[key as keyof SyncStatus], b[key as keyof SyncStatus])) return false;
  return true;
}
