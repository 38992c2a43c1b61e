import { render } from 'ink-testing-library';
import { Low, Memory } from 'lowdb';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import type { Deliver } from '../../src/sync/deliver.js';
import { emptyQueue, type Op, type QueueData } from '../../src/sync/op.js';
import { Outbox } from '../../src/sync/outbox.js';
import { SyncScreen } from '../../src/tui/components/SyncScreen.js';
import { settle } from '../helpers/fake-clock.js';
import { frame, plain } from '../helpers/ink.js';
import { untilShown } from '../helpers/wait.js';

/**
 * A server whose answer to one item the test releases by hand (a slow server: the answer comes
 * while the user is on the sync screen); two items fail for good (Jellyfin's own 404).
 */
class SlowServer implements Deliver {
  private release: (() => void) | undefined;
  async send(op: Op): Promise<'delivered'> {
    if (op.itemId.startsWith('gone')) throw new ApiError('the item no longer exists on the server (404)', { kind: 'permanent', status: 404 });
    await new Promise<void>((resolve) => (this.release = resolve));
    return 'delivered';
  }
  async probe(): Promise<void> {}
  answer(): void {
    this.release?.();
  }
}

describe('the sync screen while the queue changes under the selection', () => {
  /**
   * The selection is an index, not an update. The user moves to "Brazil" (a failed update they
   * mean to discard) while "Alien" above it is still on its way. Alien lands, every row below
   * moves up one, and the cursor is now on "Casablanca". `d` `y` (typed as one gesture) then
   * throws away Casablanca's stop, which "will never reach the server", and keeps Brazil's.
   * The user loses a position they never chose to drop; the one they meant to drop stays.
   */
  it('keeps the selected update selected when a row above it lands', async () => {
    const server = new SlowServer();
    const outbox = new Outbox({ db: new Low<QueueData>(new Memory<QueueData>(), emptyQueue()), deliver: server, random: () => 0.5 });
    await outbox.enqueue({ itemId: 'gone-b', kind: 'played', title: 'Brazil' });
    await outbox.enqueue({ itemId: 'gone-c', kind: 'stopped', payload: { positionTicks: 600 * 10_000_000 }, title: 'Casablanca' });
    await settle();
    await outbox.enqueue({ itemId: 'alien', kind: 'played', title: 'Alien' });
    await settle();
    const { lastFrame, stdin, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    await untilShown(() => plain(lastFrame()), 'Sync · 1 pending · 2 failed');
    // Given the user has moved onto Brazil
    stdin.write('j');
    await untilShown(() => plain(lastFrame()), '› ✗ Brazil');
    // When Alien, above it, reaches the server
    server.answer();
    await untilShown(() => plain(lastFrame()), 'Sync · 0 pending · 2 failed');
    await frame();
    // Then Brazil is still the one selected, and d y discards Brazil, not Casablanca
    const screen = plain(lastFrame());
    stdin.write('d');
    await frame();
    stdin.write('y');
    await frame(60);
    expect(outbox.deadLetters().map((d) => d.op.title)).toEqual(['Casablanca']);
    expect(screen).toContain('› ✗ Brazil');
    unmount();
    await outbox.close();
  });
});
