import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Footer } from '../../src/tui/components/Footer.js';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { settle } from '../helpers/fake-clock.js';
import { frame, plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { REFUSED } from '../helpers/scripted-deliver.js';

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
    expect(plain(lastFrame())).toMatch(/^✓ Synced {2}✗ 1 failed · S to review$/);
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
