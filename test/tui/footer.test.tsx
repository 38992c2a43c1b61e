import { render } from 'ink-testing-library';
import { Profiler } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import type { SyncStatus } from '../../src/sync/status.js';
import { Footer } from '../../src/tui/components/Footer.js';
import { QUIET_SYNC_MS } from '../../src/tui/hooks/use-sync-status.js';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { settle } from '../helpers/fake-clock.js';
import { frame, plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { REFUSED } from '../helpers/scripted-deliver.js';
import { eventually, untilShown } from '../helpers/wait.js';

const idle: SyncStatus = { state: 'idle', pending: 0, live: 0, otherAccounts: 0, inFlight: 0, waitingSince: null, attempts: 0, nextRetryAt: null, lastError: null, deadLetters: 0, expired: 0, superseded: 0, notice: null, lastSyncedAt: null };

/** A status source the test sets by hand, like the outbox's. */
function statusSource(initial: SyncStatus) {
  let status = initial;
  const listeners = new Set<(status: SyncStatus) => void>();
  return {
    status: () => status,
    subscribe(listener: (status: SyncStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: SyncStatus) {
      status = next;
      for (const listener of listeners) listener(status);
    },
  };
}

const waited = (screen: string) => Number(/Waiting for the server · (\d+) s/.exec(screen)![1]);

describe('Footer', () => {
  it('follows the outbox from synced to offline with the pending count', async () => {
    // Given an idle queue
    const { outbox, deliver } = memoryOutbox();
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    await frame();
    expect(plain(lastFrame())).toBe('✓ Synced');
    // When an update cannot reach the server
    deliver.fallback = REFUSED;
    deliver.probeFallback = REFUSED;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    await frame();
    // Then the footer says so, with what the user can do
    expect(plain(lastFrame())).toMatch(/^⚠ Offline · 1 pending · next try in \d s · r to retry$/);
    unmount();
    await outbox.close();
  });

  it('shows failed updates next to the state', async () => {
    const { outbox, deliver } = memoryOutbox();
    deliver.script.push({ kind: 'permanent', status: 404 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    await frame();
    await vi.waitFor(() => expect(plain(lastFrame())).toMatch(/^✓ Synced {2}✗ 1 failed · S to review$/));
    unmount();
  });
});

describe('Footer while a request goes unanswered', () => {
  it('shows the wait instead of "Syncing…" once a request is unanswered for 2 s, then the error', async () => {
    // Given a server that takes a request and does not answer
    const { outbox, deliver } = memoryOutbox();
    let fail!: (error: Error) => void;
    deliver.send = () => new Promise((_resolve, reject) => (fail = reject));
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    // Then the footer first says it is syncing, then that it waits for the server
    await untilShown(() => plain(lastFrame()), /^. Syncing… 1 pending$/);
    await untilShown(() => plain(lastFrame()), /^. Waiting for the server · [23] s · 1 pending$/);
    // When the request times out, the footer says so
    fail(new ApiError('http://jf did not answer in time (request timeout)', { kind: 'retryable', retryAfterMs: 30_000 }));
    await untilShown(() => plain(lastFrame()), /^↻ Retry 1 in [23]\d s · 1 pending · http:\/\/jf did not answer in time \(request timeout\)$/);
    unmount();
    await outbox.close();
  });

  it('counts the wait up about once a second, not at the spinner\'s pace', async () => {
    // Given a request sent 8 s ago and still unanswered
    const source = statusSource({ ...idle, state: 'syncing', pending: 3, inFlight: 1, waitingSince: Date.now() - 8_000 });
    const { lastFrame, frames, unmount } = render(<Footer sync={source} />);
    const first = waited(await untilShown(() => plain(lastFrame()), /^. Waiting for the server · \d+ s · 3 pending$/));
    expect(first).toBeGreaterThanOrEqual(8);
    // When two more seconds are counted
    const drawn = frames.length;
    await eventually(() => expect(waited(plain(lastFrame()))).toBeGreaterThanOrEqual(first + 2));
    // Then it took a redraw or so per second (the 120 ms spinner would have drawn about 16)
    expect(frames.length - drawn).toBeLessThanOrEqual(4);
    // And when the request fails, the error replaces the wait
    source.set({ ...idle, state: 'retrying', pending: 3, attempts: 1, nextRetryAt: Date.now() + 4_000, lastError: 'http://jf did not answer in time (request timeout)' });
    await untilShown(() => plain(lastFrame()), /^↻ Retry 1 in \d s · 3 pending · http:\/\/jf did not answer in time \(request timeout\)$/);
    unmount();
  });

  it('says when the certificate is not trusted: the queue is kept, it keeps trying, --insecure is the fix', async () => {
    const { outbox, deliver } = memoryOutbox();
    const untrusted = { kind: 'retryable' as const, untrusted: true };
    deliver.fallback = untrusted;
    deliver.probeFallback = untrusted;
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await settle();
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    await untilShown(() => plain(lastFrame()), /^⚠ Untrusted certificate · 1 kept · (retry in \d+ s|retrying now) · --insecure if you trust it$/);
    unmount();
    await outbox.close();
  });

  it('says how many failed updates expired', async () => {
    const { outbox, deliver } = memoryOutbox();
    deliver.script.push('expired', { kind: 'permanent', status: 404 });
    await outbox.enqueue({ itemId: 'a', kind: 'played' });
    await outbox.enqueue({ itemId: 'b', kind: 'played' });
    await settle();
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    await untilShown(() => plain(lastFrame()), /^✓ Synced {2}✗ 2 failed \(1 expired\) · S to review$/);
    unmount();
    await outbox.close();
  });
});

describe('Footer while a film plays', () => {
  it('redraws nothing for progress reports answered at once: it says "✓ Synced" all along', async () => {
    // Given the footer of a playing film (what a commit costs is Ink laying out and drawing the
    // whole screen: counted here as React commits of the footer)
    const source = statusSource({ ...idle, lastSyncedAt: Date.now() });
    let commits = 0;
    const { lastFrame, unmount } = render(
      <Profiler id="footer" onRender={() => (commits += 1)}>
        <Footer sync={source} />
      </Profiler>,
    );
    await untilShown(() => plain(lastFrame()), /^✓ Synced$/);
    const before = commits;
    // When, six times, the progress is queued on its 10-second slot, sent and answered within a few ms
    for (let i = 0; i < 6; i++) {
      source.set({ ...idle, pending: 1, live: 1, lastSyncedAt: Date.now() - 10_000 });
      source.set({ ...idle, state: 'syncing', pending: 1, inFlight: 1, waitingSince: Date.now(), lastSyncedAt: Date.now() - 10_000 });
      await frame(5);
      source.set({ ...idle, lastSyncedAt: Date.now() });
    }
    await frame(QUIET_SYNC_MS + 200);
    // Then the footer never changed, and nothing was drawn again
    expect(plain(lastFrame())).toBe('✓ Synced');
    expect(commits - before).toBe(0);
    unmount();
  });

  it('shows "Syncing…" for a delivery that takes longer, and "✓ Synced" once it is answered', async () => {
    const source = statusSource({ ...idle, lastSyncedAt: Date.now() });
    const { lastFrame, unmount } = render(<Footer sync={source} />);
    await untilShown(() => plain(lastFrame()), /^✓ Synced$/);
    source.set({ ...idle, state: 'syncing', pending: 2, inFlight: 1, waitingSince: Date.now() });
    await untilShown(() => plain(lastFrame()), /^. Syncing… 2 pending$/);
    source.set({ ...idle, lastSyncedAt: Date.now() });
    await untilShown(() => plain(lastFrame()), /^✓ Synced$/);
    unmount();
  });

  it('shows at once what is not a quick delivery (offline), and the synced age once a new sync ends', async () => {
    // Given a footer saying when it last synced, 5 minutes ago
    const source = statusSource({ ...idle, lastSyncedAt: Date.now() - 5 * 60_000 });
    const { lastFrame, unmount } = render(<Footer sync={source} />);
    await untilShown(() => plain(lastFrame()), /^✓ Synced · 5 min ago$/);
    // When a quick delivery ends, the age is gone (the words changed, though "Syncing…" never showed)
    source.set({ ...idle, state: 'syncing', pending: 1, inFlight: 1, waitingSince: Date.now(), lastSyncedAt: Date.now() - 5 * 60_000 });
    source.set({ ...idle, lastSyncedAt: Date.now() });
    await untilShown(() => plain(lastFrame()), /^✓ Synced$/);
    // And a refused connection shows at once
    source.set({ ...idle, state: 'offline', pending: 1, nextRetryAt: Date.now() + 5000 });
    await untilShown(() => plain(lastFrame()), /^⚠ Offline · 1 pending/);
    unmount();
  });
});

describe('HelpOverlay', () => {
  it('lists every key a user needs', async () => {
    const { lastFrame, unmount } = render(<HelpOverlay height={30} />);
    await frame();
    const screen = plain(lastFrame());
    for (const key of ['j/k', 'enter', 'esc', '/', 'w', 'S', 'r', '?', 'q', 'space', '← / →', 's ', 'd ']) expect(screen).toContain(key);
    unmount();
  });
});
