import { describe, expect, it } from 'vitest';
import { demoTerminal, fault, reeltermWith } from '../helpers/terminal.js';

const SLOW = 20_000;

/** `reelterm --demo` in a tmux terminal, mpv silent; resolves once home shows. */
async function demo(columns = 80, rows = 24) {
  const started = await demoTerminal({ columns, rows });
  await started.term.waitFor(/Libraries/, SLOW);
  return started;
}

describe('attack14 round 2: Ctrl+C while a list stalls', () => {
  // DEFECT: Ctrl+C typed after a key that waits for a stalled list (enter on Movies, then j)
  // does nothing: it is queued behind the waiting `j` (only esc/backspace/q end a wait) and the
  // app's intercept never sees it; when the load finally times out the waiting keys are dropped,
  // Ctrl+C with them. README: "`Ctrl+C` | anywhere | quit now … (within about 1.5 s)".
  it('quits at once on Ctrl+C typed after a key that waits for a stalled list', async () => {
    const { term, home, adminPort } = await demo();
    await fault(adminPort, { fault: 'stall' });
    await term.keys('Enter');
    await term.waitFor(/Loading…/, SLOW);
    // When j (waits for the list) and then Ctrl+C are typed
    await term.keys('j', 'C-c');
    // Then reelterm is gone within a few seconds, as Ctrl+C promises
    let alive = true;
    for (let i = 0; i < 40 && alive; i++) {
      await new Promise((r) => setTimeout(r, 200));
      alive = (await reeltermWith(home)) !== undefined;
    }
    expect(alive, await term.screen()).toBe(false);
  }, 60_000);
});
