import { render } from 'ink-testing-library';
import { describe, it } from 'vitest';
import { Footer } from '../../src/tui/components/Footer.js';
import { plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { untilShown } from '../helpers/wait.js';

describe('Footer given another queue while a sync is still quiet', () => {
  it('shows the new queue\'s sync once it lasts, not "✓ Synced" for good', async () => {
    // DEFECT: the footer's "is a sync still quiet" state outlived the queue it was about: given
    // another queue within the 300 ms a sync of the old one was quiet, the timer that ends the
    // quiet went with the old subscription and the state stayed, so a sync of the new queue was
    // never shown ("✓ Synced" while its update hung). The app gives the footer one queue for its
    // whole life today, so a user cannot reach this through it; the hook takes the queue as a
    // parameter and must follow it.
    // Given two real engines whose server takes requests without answering
    const first = memoryOutbox();
    const second = memoryOutbox();
    first.deliver.fallback = 'hang';
    second.deliver.fallback = 'hang';
    const { lastFrame, rerender, unmount } = render(<Footer sync={first.outbox} />);
    await untilShown(() => plain(lastFrame()), /^✓ Synced$/);
    try {
      // When an update of the first starts on its way, and the footer is given the second at once
      await first.outbox.enqueue({ itemId: 'a', kind: 'played' });
      rerender(<Footer sync={second.outbox} />);
      // and an update of the second starts on its way, and goes unanswered
      await second.outbox.enqueue({ itemId: 'b', kind: 'played' });
      // Then the footer shows it on its way
      await untilShown(() => plain(lastFrame()), /(Syncing…|Waiting for the server ·.*) 1 pending$/, 3000);
    } finally {
      unmount();
      await first.outbox.close();
      await second.outbox.close();
    }
  });
});
