import { render } from 'ink-testing-library';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Footer } from '../../src/tui/components/Footer.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';

const server = useDemoServer();
const S = 10_000_000;

describe('"Waiting for the server" and the request timeout', () => {
  /**
   * README: the wait "counts up until it is answered, or times out and the retry shows". The
   * count is taken from when the *update* went out, not from the request that is unanswered:
   * a start is two requests (the report, then reading back its stamp), a replay too (read, then
   * write). On a slow server every request is answered within the 4.5 s timeout here, yet the
   * footer counts on past it ("Waiting for the server · 7 s"), as if the timeout did not work.
   * With the default 10 s timeout the user sees "· 19 s" and concludes reelterm hangs.
   */
  it('never shows a wait longer than the request timeout while every request is answered in time', async () => {
    const demo = server();
    const client = await signedInClient(demo, { timeoutMs: 4_500 });
    const outbox = await demoOutbox(client);
    const film = demo.library.first('Movie', () => true);
    const { lastFrame, unmount } = render(<Footer sync={outbox} />);
    onTestFinished(() => unmount());
    // Every request answered after 3.5 s: slow, but within the 4.5 s timeout
    demo.faults.latency(3_500);
    const start = await outbox.enqueue({ itemId: film.id, kind: 'started', payload: { positionTicks: 0, runtimeTicks: film.runTimeTicks ?? 600 * S } });
    let longest = 0;
    let done = false;
    void start.outcome.finally(() => (done = true));
    while (!done) {
      const shown = /Waiting for the server · (\d+) s/.exec(plain(lastFrame()));
      if (shown) longest = Math.max(longest, Number(shown[1]));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await start.outcome).toBe('delivered');
    // (a wait shown rounded: 4.5 s, the timeout, reads "5 s")
    expect(longest).toBeLessThanOrEqual(5);
  });
});
