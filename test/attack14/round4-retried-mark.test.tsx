import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { eventually } from '../helpers/wait.js';
import { renderApp, until, openMovies, sortedFilms } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';
const ESC = '\x1b';

describe('attack14 round 4: a refused mark sent anyway from the sync screen', () => {
  // DEFECT: `w` on a film is refused for good (404): the details go back to "Not watched" (the
  // local mark is forgotten). The user retries it from the sync screen (`enter`: "Queued again.")
  // and it lands: the server now holds Played, but the details (and the Movies list) keep showing
  // "Not watched", as the list fetched it before: nothing marks it again locally. README: `w` is
  // "shown at once, synced through the queue"; the lists show the server's state; `enter` on the
  // sync screen sends a failed one anyway. Cause: src/commands/services.ts:229-231 forgets the mark
  // for good; retryDeadLetter (SyncScreen.tsx:164) puts nothing back into LocalWatchState.
  it('shows the film watched once the retried mark has landed', async () => {
    const film = sortedFilms(server())[0]!;
    const view = await renderApp(server());
    await openMovies(view);
    await view.type(ENTER);
    await until(view.lastFrame, 'w mark watched');
    server().faults.status(404);
    await view.type('w');
    await until(view.lastFrame, /1 failed/, 8000);
    await until(view.lastFrame, 'Not watched');
    await server().faults.clear();
    await view.type('S');
    await until(view.lastFrame, /›.*Amber Compass/, 8000);
    await view.type(ENTER);
    await eventually(() => expect(server().userData('demo', film.id).Played).toBe(true), 8000);
    await until(view.lastFrame, '✓ Synced', 8000);
    await view.type(ESC);
    const details = await until(view.lastFrame, 'enter play');
    expect(details, details).toContain('✓ Watched');
    view.unmount();
  });
});
