import { afterEach, describe, expect, it, vi } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { openFirstFilm, renderApp, until } from '../helpers/render-app.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the footer after minutes without a change', () => {
  it('says "✓ Synced" as soon as a quick delivery lands, not the age of the sync before', async () => {
    // DEFECT: the footer compared the new words with words worked out at the last change (when
    // the last sync was seconds old: "✓ Synced"), not with what it showed since ("✓ Synced · 7 min
    // ago", from its once-a-minute redraw); a quick delivery after a quiet spell ended on the same
    // "✓ Synced" and drew nothing, so the footer went on saying the last sync was 7 minutes ago
    // for up to a minute more.
    // (Minutes cannot pass in a test: the clock is moved, and the footer's once-a-minute redraw,
    // the only interval timer here, is run by hand.)
    const real = Date.now.bind(Date);
    let shift = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => real() + shift);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const view = await renderApp(server());
    try {
      // Given a film marked watched, which landed at once
      await openFirstFilm(view);
      await view.type('w');
      await eventually(() => expect(view.outbox.status()).toMatchObject({ state: 'idle', pending: 0 }));
      await until(view.lastFrame, /✓ Synced +\? help/);
      // When seven minutes pass, and the footer's minute comes round
      shift = 7 * 60_000;
      vi.advanceTimersByTime(60_000);
      await until(view.lastFrame, /✓ Synced · 7 min ago/);
      // and the user marks the film unwatched, which lands at once
      await view.type('w');
      await eventually(() => expect(view.outbox.status()).toMatchObject({ state: 'idle', pending: 0 }));
      // Then the footer says it has just synced
      await until(view.lastFrame, /✓ Synced +\? help/, 2000);
    } finally {
      view.unmount();
    }
  });
});
