import { useSyncExternalStore } from 'react';
import type { SyncStatus } from '../../sync/status.js';

/** The part of the outbox the TUI reads status from. */
export interface StatusSource {
  status(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
}

/** The outbox's status, re-rendering only when it changes (not on a timer). */
export function useSyncStatus(source: StatusSource): SyncStatus {
  return useSyncExternalStore(
    (onChange) => source.subscribe(onChange),
    () => source.status(),
  );
}
