import { useSyncExternalStore } from 'react';
import type { TuiServices } from '../services.js';

/**
 * Whether the server refused the token, from any request (browsing, playing, syncing), and how
 * many times the user has signed in again since start (screens that failed load again on a change).
 * Only those re-render the caller: the sync status changes on every progress report while a film
 * plays, and the app and every screen of its stack read this.
 */
export function useSignInState(services: Pick<TuiServices, 'sync' | 'signIn'>): { signedOut: boolean; signIns: number } {
  const refused = useSyncExternalStore(
    (onChange) => services.sync.subscribe(onChange),
    () => services.sync.status().state === 'auth',
  );
  const account = useSyncExternalStore(
    (onChange) => services.signIn.subscribe(onChange),
    () => services.signIn.state(),
  );
  return { signedOut: refused || account.signedOut, signIns: account.signIns };
}
