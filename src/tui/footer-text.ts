import { sanitizeText } from '../text/sanitize.js';
import { formatSpan } from '../text/time.js';
import type { SyncStatus } from '../sync/status.js';

/** Spinner frames for "Syncing…". */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A request unanswered for this long is shown as a wait ("Waiting for the server · 8 s") instead of "Syncing…". */
export const STALL_MS = 2000;

/** The footer's tone, for colour when colour is allowed. */
export type FooterTone = 'ok' | 'busy' | 'warn' | 'error';

/** One footer line, split into the state part and the dead-letter part. */
export interface FooterLine {
  text: string;
  tone: FooterTone;
  failed?: string;
}

/** Keeps the last error short: the footer is one line. */
function shortError(message: string | null): string | undefined {
  if (message === null) return undefined;
  // Error text can carry what a server sent (a content type, a status line): never raw.
  const clean = sanitizeText(message);
  const match = /:\s([^:]+)$/.exec(clean);
  return (match?.[1] ?? clean).trim();
}

/** Whether a request has gone unanswered long enough to show the wait (the footer then counts it up once a second). */
export function isStalled(status: SyncStatus, now: number): boolean {
  return status.state === 'syncing' && status.waitingSince !== null && now - status.waitingSince >= STALL_MS;
}

/**
 * Updates still to go: a playing item's progress waiting for its regular slot (`live`) is on
 * schedule, not pending, here and on the sync screen alike.
 */
export function waitingCount(status: SyncStatus): number {
  return Math.max(0, status.pending - status.live);
}

/**
 * The footer's words for a status, e.g. `↻ Retry 4 in 12 s · 3 pending · connection refused`;
 * `signedOut` when a request other than syncing was refused. Pure, so every state is tested without a terminal.
 */
export function footerText(status: SyncStatus, now: number, spinnerFrame = 0, signedOut = false): FooterLine {
  const count = waitingCount(status);
  const pending = `${count} pending`;
  const expired = status.expired > 0 ? ` (${status.expired} expired)` : '';
  const kept = [
    ...(status.deadLetters > status.superseded ? [`${status.deadLetters - status.superseded} failed${expired}`] : []),
    ...(status.superseded > 0 ? [`${status.superseded} changed elsewhere`] : []),
  ];
  const failed = kept.length > 0 ? `✗ ${kept.join(' · ')} · S to review` : undefined;
  const others = status.otherAccounts > 0 ? ` · ${status.otherAccounts} for another account` : '';
  const finish = (line: FooterLine): FooterLine => ({ ...line, text: line.text + others, ...(failed ? { failed } : {}) });
  const wait = status.nextRetryAt === null ? undefined : formatSpan(Math.max(0, status.nextRetryAt - now));
  const spinner = SPINNER[spinnerFrame % SPINNER.length];
  // A 401 on browsing signs out as one on syncing does, queue or no queue.
  switch (signedOut ? 'auth' : status.state) {
    case 'auth':
      return finish({ text: count > 0 ? `⚠ Signed out · sign in to sync ${pending}` : '⚠ Signed out · the server no longer accepts your sign-in', tone: 'error' });
    case 'untrusted':
      // Fits 80 columns: what is wrong, that the queue is kept, that it keeps trying, the fix.
      return finish({
        text: ['⚠ Untrusted certificate', `${count} kept`, wait !== undefined ? `retry in ${wait}` : 'retrying now', '--insecure if you trust it'].join(' · '),
        tone: 'error',
      });
    case 'offline':
      return finish({
        text: ['⚠ Offline', pending, wait !== undefined ? `next try in ${wait}` : 'trying now', 'r to retry'].join(' · '),
        tone: 'warn',
      });
    case 'retrying': {
      const parts = [`↻ Retry ${status.attempts}${wait !== undefined ? ` in ${wait}` : ''}`, pending];
      const error = shortError(status.lastError);
      if (error) parts.push(error);
      return finish({ text: parts.join(' · '), tone: 'warn' });
    }
    case 'syncing':
      if (isStalled(status, now)) {
        return finish({ text: `${spinner} Waiting for the server · ${formatSpan(now - status.waitingSince!)} · ${pending}`, tone: 'busy' });
      }
      return finish({ text: `${spinner} Syncing… ${pending}`, tone: 'busy' });
    case 'idle': {
      // "0 s ago" says nothing: the age shows once it is a minute or more.
      const ago = status.lastSyncedAt === null || now - status.lastSyncedAt < 60_000 ? '' : ` · ${formatSpan(now - status.lastSyncedAt)} ago`;
      return finish({ text: `✓ Synced${ago}`, tone: 'ok' });
    }
  }
}

/**
 * The key hint beside the footer line, when both fit in `columns` (two spaces between); otherwise
 * none: the sync state is what the footer is for, and `?` works without being shown.
 */
export function footerHint(line: FooterLine, hint: string | undefined, columns: number): string | undefined {
  if (hint === undefined) return undefined;
  const used = [...line.text].length + (line.failed ? 2 + [...line.failed].length : 0);
  return used + 2 + [...hint].length <= columns ? hint : undefined;
}
