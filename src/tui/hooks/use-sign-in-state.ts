import { useSyncExternalStore } from 'react';
import type { TuiServices } from '../services.js';
import { useSyncStatus } from './use-sync-status.js';

/**
 * Whether the server refused the token, from any request (browsing, playing, syncing), and how
 * many times the user has signed in again since start (screens that failed load again on a change).
 */
export function useSignInState(services: Pick<TuiServices, 'sync' | 'signIn'>): { signedOut: boolean; signIns: number } {
  const status = useSyncStatus(services.sync);
  const account = useSyncExternalStore(
    (onChange) => services.signIn.subscribe(onChange),
    () => services.signIn.state(),
  );
  return { signedOut: status.state === 'auth' || account.signedOut, signIns: account.signIns };
}
