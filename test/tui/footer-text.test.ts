import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src/sync/status.js';
import { footerText } from '../../src/tui/footer-text.js';

const now = Date.parse('2026-11-25T10:00:00Z');
const base: SyncStatus = { state: 'idle', pending: 0, live: 0, otherAccounts: 0, inFlight: 0, waitingSince: null, attempts: 0, nextRetryAt: null, lastError: null, deadLetters: 0, expired: 0, superseded: 0, notice: null, lastSyncedAt: null };

describe('footerText', () => {
  it.each<[string, Partial<SyncStatus>, string]>([
    ['idle, never synced', {}, '✓ Synced'],
    ['idle after a sync', { lastSyncedAt: now - 120_000 }, '✓ Synced · 2 min ago'],
    ['idle just after a sync', { lastSyncedAt: now - 2_000 }, '✓ Synced'],
    ['syncing', { state: 'syncing', pending: 3, inFlight: 1 }, '⠋ Syncing… 3 pending'],
    ['retrying', { state: 'retrying', pending: 3, attempts: 4, nextRetryAt: now + 12_000, lastError: 'Cannot reach http://jf: connection refused' }, '↻ Retry 4 in 12 s · 3 pending · connection refused'],
    ['offline', { state: 'offline', pending: 3, attempts: 2, nextRetryAt: now + 40_000 }, '⚠ Offline · 3 pending · next try in 40 s · r to retry'],
    ['offline while probing', { state: 'offline', pending: 1, nextRetryAt: null }, '⚠ Offline · 1 pending · trying now · r to retry'],
    ['signed out', { state: 'auth', pending: 3 }, '⚠ Signed out · sign in to sync 3 pending'],
    // A stalled request: the wait, counted from when it was sent, instead of "Syncing…" until it times out.
    ['a request unanswered for 8 s', { state: 'syncing', pending: 3, inFlight: 1, waitingSince: now - 8_000 }, '⠋ Waiting for the server · 8 s · 3 pending'],
    // (A guard, passing before too: a request answered within 2 s never flashes a wait.)
    ['a request just sent', { state: 'syncing', pending: 3, inFlight: 1, waitingSince: now - 500 }, '⠋ Syncing… 3 pending'],
    // An untrusted certificate: the queue is kept, reelterm keeps trying, and the fix.
    ['an untrusted certificate', { state: 'untrusted', pending: 3, attempts: 2, nextRetryAt: now + 40_000, lastError: 'certificate has expired' }, '⚠ Untrusted certificate · 3 kept · retry in 40 s · --insecure if you trust it'],
    ['an untrusted certificate while probing', { state: 'untrusted', pending: 1, nextRetryAt: null }, '⚠ Untrusted certificate · 1 kept · retrying now · --insecure if you trust it'],
    // A playing item's progress waiting for its slot is on schedule: not pending (the sync screen agrees).
    ['a mark while playing', { state: 'syncing', pending: 2, live: 1, inFlight: 1 }, '⠋ Syncing… 1 pending'],
    ['offline while playing', { state: 'offline', pending: 3, live: 1, nextRetryAt: now + 40_000 }, '⚠ Offline · 2 pending · next try in 40 s · r to retry'],
    // Another account's updates: kept, and said so.
    ['updates of another account', { otherAccounts: 2 }, '✓ Synced · 2 for another account'],
    ['updates of another account while retrying', { state: 'retrying', pending: 1, attempts: 1, nextRetryAt: now + 2_000, otherAccounts: 1 }, '↻ Retry 1 in 2 s · 1 pending · 1 for another account'],
  ])('shows %s', (_name, status, expected) => {
    expect(footerText({ ...base, ...status }, now).text).toBe(expected);
  });

  it('adds failed updates to any state', () => {
    expect(footerText({ ...base, deadLetters: 1 }, now)).toMatchObject({ text: '✓ Synced', failed: '✗ 1 failed · S to review' });
  });

  it('says how many failed updates expired', () => {
    expect(footerText({ ...base, deadLetters: 2, expired: 1 }, now)).toMatchObject({ text: '✓ Synced', failed: '✗ 2 failed (1 expired) · S to review' });
  });

  it('fits the untrusted-certificate line in 80 columns, the fix included', () => {
    // The longest it gets in practice: hundreds queued, the backoff cap's 5 min.
    const { text } = footerText({ ...base, state: 'untrusted', pending: 999, nextRetryAt: now + 300_000 }, now);
    expect(text).toBe('⚠ Untrusted certificate · 999 kept · retry in 5 min · --insecure if you trust it');
    expect([...text].length).toBeLessThanOrEqual(80);
  });
});
