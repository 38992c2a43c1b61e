import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src/sync/status.js';
import { footerText } from '../../src/tui/footer-text.js';

const now = Date.parse('2026-11-25T10:00:00Z');
const base: SyncStatus = { state: 'idle', pending: 0, live: 0, otherAccounts: 0, inFlight: 0, waitingSince: null, attempts: 0, nextRetryAt: null, lastError: null, deadLetters: 0, expired: 0, lastSyncedAt: null };

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
  ])('shows %s', (_name, status, expected) => {
    expect(footerText({ ...base, ...status }, now).text).toBe(expected);
  });

  it('adds failed updates to any state', () => {
    expect(footerText({ ...base, deadLetters: 1 }, now)).toMatchObject({ text: '✓ Synced', failed: '✗ 1 failed · S to review' });
  });
});
