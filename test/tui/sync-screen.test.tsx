import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { Low, Memory } from 'lowdb';
import { describe, expect, it } from 'vitest';
import { emptyQueue, type Op, type OpAccount, type QueueData } from '../../src/sync/op.js';
import { Outbox } from '../../src/sync/outbox.js';
import { Footer } from '../../src/tui/components/Footer.js';
import { SyncScreen } from '../../src/tui/components/SyncScreen.js';
import { settle } from '../helpers/fake-clock.js';
import { frame, plain } from '../helpers/ink.js';
import { until } from '../helpers/render-app.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { REFUSED, ScriptedDeliver } from '../helpers/scripted-deliver.js';
import { untilShown } from '../helpers/wait.js';

const TICKS = 10_000_000;
const alice: OpAccount = { server: 'https://jf.example', userId: 'a1', userName: 'alice' };
const bob: OpAccount = { server: 'https://jf.example', userId: 'b1', userName: 'bob' };

/** A queued op as the queue file holds it. */
function queued(seq: number, itemId: string, title: string, account: OpAccount, minutesAgo: number): Op {
  return { id: `op-${seq}`, itemId, kind: 'played', payload: {}, createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(), attempts: 0, nextAttemptAt: null, lastError: null, seq, title, account };
}

/** Bob signed in, with alice's two updates still queued from before, and his own stuck offline. */
async function queueWithAnotherAccount() {
  const data: QueueData = { ...emptyQueue(), seq: 2, ops: [queued(1, 'heat', 'Heat', alice, 3), queued(2, 'ronin', 'Ronin', alice, 3)] };
  const deliver = new ScriptedDeliver();
  deliver.fallback = REFUSED;
  deliver.probeFallback = REFUSED;
  const outbox = new Outbox({ db: new Low<QueueData>(new Memory<QueueData>(), data), deliver, random: () => 0.5, account: bob });
  await outbox.enqueue({ itemId: 'alien', kind: 'played', title: 'Alien' });
  await settle();
  return { outbox, deliver };
}

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

  it('shows the whole reason a queued update has not gone yet under the list, however narrow', async () => {
    const { outbox } = await queueWithFailure();
    const { lastFrame, unmount } = render(<SyncScreen queue={outbox} height={12} columns={40} />);
    await frame();
    // The row of the queued update is cut at 40 columns; the detail under the list wraps its reason whole
    const lastError = outbox.pendingOps()[0]!.lastError!;
    const detail = plain(lastFrame()).split('\n').filter((line) => !line.startsWith('›') && !line.startsWith('✗')).join(' ').replace(/\s+/g, ' ');
    expect(detail).toContain(`Not sent yet (1 try): ${lastError}`);
    unmount();
    await outbox.close();
  });

  it('discards the selected update only after y', async () => {
    const { outbox } = await queueWithFailure();
    const { lastFrame, stdin, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    await until(lastFrame, '› • Alien');
    // Given the failed update is selected
    stdin.write('j');
    await until(lastFrame, '› ✗ Deleted Film');
    // When the user presses d, nothing is dropped yet
    stdin.write('d');
    await until(lastFrame, 'Discard Deleted Film (played)? It will never reach the server. y/n');
    expect(outbox.deadLetters()).toHaveLength(1);
    // Then y drops it
    stdin.write('y');
    await until(lastFrame, 'Discarded.');
    expect(outbox.deadLetters()).toHaveLength(0);
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

  it('counts a playing item\'s progress as playing, not pending, as the footer does', async () => {
    // Given a film playing: its progress went out, and the next one waits for its regular slot
    const { outbox } = memoryOutbox();
    await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 754 * TICKS }, title: 'Film' });
    await settle();
    await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 760 * TICKS }, title: 'Film' });
    await settle();
    expect(outbox.status()).toMatchObject({ pending: 1, live: 1 });
    // When the sync screen and the footer are both on screen
    const { lastFrame, unmount } = render(
      <Box flexDirection="column">
        <SyncScreen queue={outbox} height={8} />
        <Footer sync={outbox} />
      </Box>,
    );
    const screen = await untilShown(() => plain(lastFrame()), 'Sync · 0 pending · 1 playing · 0 failed');
    // Then the progress is shown as playing, on schedule, and the footer agrees nothing is late
    expect(screen).toContain('› ▶ Film · progress 12:40 · playing: sent on schedule');
    expect(screen).not.toMatch(/Film.*attempt/);
    expect(screen.split('\n').at(-1)).toBe('✓ Synced');
    unmount();
    await outbox.close();
  });

  it('lists another account\'s updates as theirs, and enter does not send them', async () => {
    const { outbox, deliver } = await queueWithAnotherAccount();
    const { lastFrame, stdin, unmount } = render(<SyncScreen queue={outbox} height={10} />);
    const screen = await untilShown(() => plain(lastFrame()), 'Sync · 1 pending · 2 for another account · 0 failed');
    expect(screen).toMatch(/› • Alien · played · \d+ s ago · 1 attempt/);
    expect(screen).toContain('  • Heat · played · 3 min ago · for alice on https://jf.example');
    expect(screen).toContain('  • Ronin · played · 3 min ago · for alice on https://jf.example');
    // Given alice's update is selected, the key line says when it goes
    stdin.write('j');
    await untilShown(() => plain(lastFrame()), '› • Heat');
    expect(plain(lastFrame())).toContain('goes when its account signs in · d discard · esc back');
    // When the user presses enter, it is not sent: it waits for alice
    stdin.write('\r');
    await untilShown(() => plain(lastFrame()), 'That update is for alice on https://jf.example: it goes when that account signs in again.');
    expect(deliver.sent.map((op) => op.itemId)).not.toContain('heat');
    expect(outbox.pendingOps().map((op) => op.itemId)).toEqual(['heat', 'ronin', 'alien']);
    unmount();
    await outbox.close();
  });

  it('says what an expired update is, and enter sends it anyway', async () => {
    // Given an update the server judged too old to replay blindly
    const { outbox, deliver } = memoryOutbox();
    deliver.script.push('expired');
    await outbox.enqueue({ itemId: 'old', kind: 'stopped', payload: { positionTicks: 754 * TICKS }, title: 'Old Film' });
    await settle();
    const { lastFrame, stdin, unmount } = render(<SyncScreen queue={outbox} height={8} />);
    const screen = await untilShown(() => plain(lastFrame()), 'Sync · 0 pending · 1 failed (1 expired)');
    expect(screen).toMatch(/› ✗ Old Film · stopped · 12:34 · \d+ s ago · expired: too old to send on its own/);
    expect(screen).toContain("Over 30 days old (server's clock): not sent on its own. enter sends it anyway.");
    expect(screen).toContain('enter send it anyway · d discard');
    // When the user presses enter, it goes whatever its age
    stdin.write('\r');
    await untilShown(() => plain(lastFrame()), 'Queued again: it goes whatever its age.');
    await settle();
    expect(deliver.sent.at(-1)).toMatchObject({ itemId: 'old', kind: 'stopped', anyAge: true });
    expect(outbox.deadLetters()).toHaveLength(0);
    unmount();
    await outbox.close();
  });
});
