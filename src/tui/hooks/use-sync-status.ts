import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { SyncStatus } from '../../sync/status.js';
import { footerText, isStalled } from '../footer-text.js';

/** The part of the outbox the TUI reads status from. */
export interface StatusSource {
  status(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
}

/**
 * A delivery answered within this long is not shown as "Syncing…": while a film plays, its
 * progress goes every 10 s and is answered in milliseconds, and a spinner flashing for that
 * (two whole-screen redraws each time) said nothing and was most of the app's CPU left.
 */
export const QUIET_SYNC_MS = 300;

interface Shown {
  /** The freshest status with the words shown (a later tick draws from it, not from an old one). */
  status: SyncStatus;
}

/**
 * How often the footer redraws by itself for `status` at `now`: the spinner; a countdown, or a
 * wait counted up, once a second; the age of the last sync once a minute. 0: only a change redraws it.
 */
export function footerRedrawMs(status: SyncStatus, now: number): number {
  if (status.state === 'syncing') return isStalled(status, now) ? 1000 : 120;
  if (status.nextRetryAt !== null) return 1000;
  return status.state === 'idle' && status.lastSyncedAt !== null ? 60_000 : 0;
}

/**
 * What the footer draws for `status` at `now`, as one string to compare: its words, and how often
 * it redraws them by itself (the first sync of a session leaves "✓ Synced" as it was, but from
 * then on its age is to be counted).
 */
function drawnAs(status: SyncStatus, now: number, signedOut: boolean): string {
  const line = footerText(status, now, 0, signedOut);
  return `${line.tone} ${line.text} ${line.failed ?? ''} ${footerRedrawMs(status, now)}`;
}

/**
 * The outbox's status as the footer shows it, re-rendering only when the footer's words change,
 * or how often it redraws them (not on every change of the queue: a progress report queued, counted or answered while the
 * footer says "✓ Synced" all along redraws nothing), and not for a sync that ends within
 * {@link QUIET_SYNC_MS}. `signedOut`: the footer's sign-out state, which changes its words.
 */
export function useSyncStatus(source: StatusSource, signedOut = false): SyncStatus {
  const shown = useRef<Shown | undefined>(undefined);
  // When the status last changed (the words are computed at that time, so reading them twice
  // between changes gives the same answer), and whether a sync going on is still quiet.
  const seen = useRef({ at: Date.now(), syncing: false, quiet: false });
  const subscribe = useCallback(
    (onChange: () => void) => {
      // Another source starts afresh: a quiet sync of the one before went with its timer, and
      // would hide this one's sync for good.
      seen.current = { at: Date.now(), syncing: false, quiet: false };
      let timer: NodeJS.Timeout | undefined;
      const unsubscribe = source.subscribe((status) => {
        const now = Date.now();
        seen.current.at = now;
        if (status.state !== 'syncing') {
          seen.current.syncing = false;
          seen.current.quiet = false;
          clearTimeout(timer);
        } else if (!seen.current.syncing) {
          seen.current.syncing = true;
          seen.current.quiet = true;
          // Still syncing once the quiet time is over: shown then. (A flag, not a comparison of
          // clocks: a timer may fire a millisecond before Date.now() says the time has passed.)
          timer = setTimeout(() => {
            seen.current.at = Date.now();
            seen.current.quiet = false;
            onChange();
          }, QUIET_SYNC_MS);
          timer.unref();
        }
        onChange();
      });
      return () => {
        clearTimeout(timer);
        unsubscribe();
      };
    },
    [source],
  );
  const current = useSyncExternalStore(subscribe, () => {
    const status = source.status();
    const { at, quiet } = seen.current;
    const before = shown.current;
    if (before !== undefined && quiet && status.state === 'syncing' && before.status.state !== 'syncing') {
      return before;
    }
    // Both read at the same time: the words shown have aged since they were first drawn ("✓ Synced"
    // then, "✓ Synced · 7 min ago" now), and a new status must be told from what shows now.
    if (before !== undefined && drawnAs(before.status, at, signedOut) === drawnAs(status, at, signedOut)) {
      // Drawn the same: no render; a later one (a tick) draws from this status.
      before.status = status;
      return before;
    }
    return (shown.current = { status });
  });
  return current.status;
}
