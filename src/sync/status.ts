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

/** The status from the engine's facts (it runs at every change: the engine keeps the counts, nothing here scans the queue). */
export function summarize(facts: EngineFacts): SyncStatus {
  const { mine, live } = facts;
  const inFlight = facts.inFlightSince.length;
  let state: SyncState = 'idle';
  if (facts.authPaused) state = 'auth';
  else if (facts.offline) state = facts.untrusted ? 'untrusted' : 'offline';
  else if (facts.retryAt !== null) state = 'retrying';
  else if (inFlight > 0 || mine > live) state = 'syncing';
  let waitingSince: number | null = null;
  for (const since of facts.inFlightSince) if (waitingSince === null || since < waitingSince) waitingSince = since;
  return {
    state,
    pending: mine,
    live,
    otherAccounts: facts.total - mine,
    inFlight,
    waitingSince,
    attempts: facts.failureStreak,
    nextRetryAt: facts.authPaused ? null : facts.offline ? facts.probeAt : facts.retryAt,
    lastError: facts.lastError,
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
  for (const key of Object.keys(a) as Array<keyof SyncStatus>) if (!Object.is(a[key], b[key])) return false;
  return true;
}
