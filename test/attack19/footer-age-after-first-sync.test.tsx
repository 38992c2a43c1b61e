import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Footer } from '../../src/tui/components/Footer.js';
import { plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { eventually, untilShown } from '../helpers/wait.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the footer after the first sync of a session', () => {
  it('counts the age of that sync once it is minutes old', async () => {
    // DEFECT: the footer redraws only when its words change, and the first sync of a session
    // leaves them as they were ("✓ Synced", never synced before, then "✓ Synced", synced just
    // now); so it was not drawn again, its once-a-minute redraw (set from the status it was drawn
    // with, which had no sync) never started, and "· 7 min ago" never came (until something else drew the footer again).
    // (Minutes cannot pass in a test: the clock is moved, and the footer's minute, the only
    // interval timer here, is run by hand.)
    // Given a footer on a queue that has never synced
    const real = Date.now.bind(Date);
    let shift = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => real() + shift);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { outbox } = memoryOutbox();
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    try {
      await untilShown(() => plain(lastFrame()), /^✓ Synced$/);
      // When an update is marked and lands at once
      await outbox.enqueue({ itemId: 'a', kind: 'played' });
      await eventually(() => expect(outbox.status()).toMatchObject({ state: 'idle', pending: 0, lastSyncedAt: expect.any(Number) }));
      // and seven minutes pass
      shift = 7 * 60_000;
      vi.advanceTimersByTime(60_000);
      // Then the footer says how long ago that sync was
      await untilShown(() => plain(lastFrame()), /^✓ Synced · 7 min ago$/, 2000);
    } finally {
      unmount();
      await outbox.close();
    }
  });
});
