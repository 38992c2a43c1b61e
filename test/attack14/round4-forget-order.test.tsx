import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { eventually } from '../helpers/wait.js';
import { renderApp, until, openMovies, sortedFilms } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

describe('attack14 round 4: a refused mark after one that landed', () => {
  // DEFECT: `w` (watched) lands on the server; a second `w` (unwatched) is refused for good (404).
  // forget() drops the item's local change altogether, so the details fall back to the item as
  // the list fetched it before the first mark: "Not watched", while the server holds Played.
  // README (Failed for good): a `w` mark that fails for good "stops showing as done: the lists and
  // details show the server's state again" — the server's state is watched.
  // Cause: src/session/local-watch-state.ts forget() deletes the entry; services.ts:230.
  it('shows the server\'s watched state after the second mark is refused', async () => {
    const film = sortedFilms(server())[0]!;
    const view = await renderApp(server());
    await openMovies(view);
    await view.type(ENTER);
    await until(view.lastFrame, 'w mark watched');
    await view.type('w');
    await until(view.lastFrame, '✓ Watched');
    // the first mark lands
    await eventually(() => expect(server().userData('demo', film.id).Played).toBe(true), 8000);
    await until(view.lastFrame, '✓ Synced', 8000);
    // Given the server now refuses marks for good
    server().faults.status(404);
    // When the user marks it unwatched again
    await view.type('w');
    const after = await until(view.lastFrame, /1 failed/, 8000);
    // Then the details show what the server has: watched
    expect(server().userData('demo', film.id).Played).toBe(true);
    expect(after, plain(view.lastFrame())).toContain('✓ Watched');
    view.unmount();
  });
});
