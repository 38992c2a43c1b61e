import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { SyncScreen } from '../../src/tui/components/SyncScreen.js';
import { settle } from '../helpers/fake-clock.js';
import { frame, plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { REFUSED } from '../helpers/scripted-deliver.js';

async function queueWithFailure() {
  const { outbox, deliver } = memoryOutbox();
  deliver.script.push({ kind: 'permanent', status: 404 });
  deliver.fallback = REFUSED;
  deliver.probeFallback = REFUSED;
  await outbox.enqueue({ itemId: 'gone', kind: 'played', title: 'Deleted Film' });
  await settle();
  await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 754 * 10_000_000 }, title: 'Alien\x1b]0;pwned\x07' });
  await settle();
  return { outbox, deliver };
}

describe('SyncScreen', () => {
  it('lists pending updates first, then failed ones, with their details', async () => {
    const { outbox } = await queueWithFailure();
    const { lastFrame, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    await frame();
    const screen = plain(lastFrame());
    expect(screen).toContain('Sync · 1 pending · 1 failed');
    expect(screen).toMatch(/› • Alien · stopped · 12:34 · \d+ s ago · 1 attempt/);
    expect(screen).toMatch(/✗ Deleted Film · played · \d+ s ago · permanent: scripted permanent/);
    expect(lastFrame()).not.toContain('\x1b]');
    unmount();
    await outbox.close();
  });

  it('discards the selected update only after y', async () => {
    const { outbox } = await queueWithFailure();
    const { lastFrame, stdin, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    await frame();
    // Given the failed update is selected
    stdin.write('j');
    await frame();
    // When the user presses d, nothing is dropped yet
    stdin.write('d');
    await frame();
    expect(plain(lastFrame())).toContain('Discard Deleted Film (played)? It will never reach the server. y/n');
    expect(outbox.deadLetters()).toHaveLength(1);
    // Then y drops it
    stdin.write('y');
    await frame();
    expect(outbox.deadLetters()).toHaveLength(0);
    expect(plain(lastFrame())).toContain('Discarded.');
    unmount();
    await outbox.close();
  });

  it('keeps the update when the user answers n', async () => {
    const { outbox } = await queueWithFailure();
    const { stdin, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    await frame();
    stdin.write('d');
    await frame();
    stdin.write('n');
    await frame();
    expect(outbox.pendingOps()).toHaveLength(1);
    unmount();
    await outbox.close();
  });

  it('queues a failed update again on enter', async () => {
    const { outbox } = await queueWithFailure();
    const { lastFrame, stdin, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    await frame();
    stdin.write('j');
    await frame();
    stdin.write('\r');
    await frame(60);
    expect(outbox.deadLetters()).toHaveLength(0);
    expect(outbox.pendingOps().map((op) => op.itemId)).toEqual(['a', 'gone']);
    expect(plain(lastFrame())).toContain('Queued again.');
    expect(plain(lastFrame())).toContain('Sync · 2 pending · 0 failed');
    unmount();
    await outbox.close();
  });
});
