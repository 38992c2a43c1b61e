import { useSyncExternalStore } from 'react';
import type { LocalWatchState } from '../../session/local-watch-state.js';

/** Re-renders when the user's local watch changes; returns the store for lookups. */
export function useWatchState(watch: LocalWatchState): LocalWatchState {
  useSyncExternalStore(
    (cb) => watch.subscribe(cb),
    () => watch.revision,
  );
  return watch;
}
