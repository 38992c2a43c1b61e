/** What the engine is doing right now. */
export type SyncState = 'idle' | 'syncing' | 'retrying' | 'offline' | 'auth';

/** The one snapshot the footer, the sync screen and `--pending` read. */
export interface SyncStatus {
  state: SyncState;
  /** Ops waiting to be delivered (in flight included). */
  pending: number;
  inFlight: number;
  /** Consecutive failed attempts (ops or probes) since the last success. */
  attempts: number;
  /** Epoch ms of the next retry or probe, when one is scheduled. */
  nextRetryAt: number | null;
  lastError: string | null;
  deadLetters: number;
  /** Epoch ms of the last successful delivery. */
  lastSyncedAt: number | null;
}
