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
