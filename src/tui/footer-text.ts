import { sanitizeText } from '../jellyfin/sanitize.js';
import { formatSpan } from '../commands/format.js';
import type { SyncStatus } from '../sync/status.js';

/** Spinner frames for "Syncing…". */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

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

/**
 * The footer's words for a status, e.g. `↻ Retry 4 in 12 s · 3 pending · connection refused`.
 * Pure, so every state is tested without a terminal.
 */
export function footerText(status: SyncStatus, now: number, spinnerFrame = 0): FooterLine {
  const pending = `${status.pending} pending`;
  const failed = status.deadLetters > 0 ? `✗ ${status.deadLetters} failed · S to review` : undefined;
  const withFailed = (line: FooterLine): FooterLine => (failed ? { ...line, failed } : line);
  const wait = status.nextRetryAt === null ? undefined : formatSpan(Math.max(0, status.nextRetryAt - now));
  switch (status.state) {
    case 'auth':
      return withFailed({ text: `⚠ Signed out · sign in to sync ${status.pending} pending`, tone: 'error' });
    case 'untrusted':
      return withFailed({ text: [`⚠ Certificate not trusted`, pending, wait !== undefined ? `next try in ${wait}` : 'trying now', '--insecure if you trust it'].join(' · '), tone: 'error' });
    case 'offline':
      return withFailed({
        text: ['⚠ Offline', pending, wait !== undefined ? `next try in ${wait}` : 'trying now', 'r to retry'].join(' · '),
        tone: 'warn',
      });
    case 'retrying': {
      const parts = [`↻ Retry ${status.attempts}${wait !== undefined ? ` in ${wait}` : ''}`, pending];
      const error = shortError(status.lastError);
      if (error) parts.push(error);
      return withFailed({ text: parts.join(' · '), tone: 'warn' });
    }
    case 'syncing':
      return withFailed({ text: `${SPINNER[spinnerFrame % SPINNER.length]} Syncing… ${pending}`, tone: 'busy' });
    case 'idle': {
      // "0 s ago" says nothing: the age shows once it is a minute or more.
      const ago = status.lastSyncedAt === null || now - status.lastSyncedAt < 60_000 ? '' : ` · ${formatSpan(now - status.lastSyncedAt)} ago`;
      return withFailed({ text: `✓ Synced${ago}`, tone: 'ok' });
    }
  }
}
