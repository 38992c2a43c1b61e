import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until, sortedFilms, untilGone } from '../helpers/render-app.js';
import { untilShown } from '../helpers/wait.js';

const server = useDemoServer();
const ENTER = '\r';
const ESC = '\x1b';
const SECOND = 10_000_000;

const films = () => sortedFilms(server());

/** The requests for a page of a library so far. */
const pageRequests = () => server().journal.filter((entry) => entry.path === '/Items' && entry.query.parentId !== undefined).length;

/** The app on the Movies list with the cursor on row `row` (1-based). */
async function onMovieRow(row: number, options: { messageMs?: number } = {}) {
  const view = await renderApp(server(), options);
  await until(view.lastFrame, 'Libraries');
  await view.select(/› +Movies/);
  await view.type(ENTER);
  await until(view.lastFrame, /Movies · 1\/\d+\n›/);
  await view.type(...Array.from({ length: row - 1 }, () => 'j'));
  await until(view.lastFrame, new RegExp(`Movies · ${row}/\\d+`));
  return view;
}

describe('going back', () => {
  it('shows the list as it was, cursor included, without fetching it again (even when the server stalls)', async () => {
    const view = await onMovieRow(6);
    const film = films()[5]!;
    await view.type(ENTER);
    await until(view.lastFrame, 'enter play');
    const asked = pageRequests();
    // Given the server now stalls, when the user goes back
    server().faults.stall();
    await view.type(ESC);
    // Then the list is there at once, on the same row, and nothing was asked of the server
    const back = await until(view.lastFrame, /Movies · 6\/\d+/);
    expect(back).toMatch(new RegExp(`› +  ${film.name}`));
    expect(back).not.toContain('Loading…');
    expect(pageRequests()).toBe(asked);
    view.unmount();
  });

  it('refreshes on R without blanking the list, and keeps it when the refresh fails', async () => {
    const view = await onMovieRow(4);
    const film = films()[3]!;
    const asked = pageRequests();
    // When the server stalls and the user presses R
    server().faults.stall();
    await view.type('R');
    // Then the page is asked for again while the list stays as it was
    await untilShown(() => String(pageRequests()), String(asked + 1));
    expect(plain(view.lastFrame())).toMatch(new RegExp(`Movies · 4/\\d+[\\s\\S]*› +  ${film.name}`));
    // and when the request times out, the list is still there, with the error and how to try again
    const failed = await until(view.lastFrame, /Could not refresh \(R to try again\): ./);
    expect(failed).toMatch(new RegExp(`Movies · 4/\\d+[\\s\\S]*› +  ${film.name}`));
    view.unmount();
  });

  it('keeps the cursor on its row, not its row number, when rows appear above it on a refresh', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Shows/);
    // Given a film gets a resume point elsewhere (so home gains "Continue watching" above the libraries)
    const film = films()[2]!;
    server().setUserData('demo', film.id, { playbackPositionTicks: 754 * SECOND, lastPlayedDate: new Date() });
    // When home loads again
    await view.type('R');
    const home = await until(view.lastFrame, /Continue watching[\s\S]*Libraries/);
    // Then the cursor is still on Shows, not on the row that now sits where Shows was
    expect(home).toMatch(/^› +Shows/m);
    // and the keys move from there
    await view.type('k');
    await until(view.lastFrame, /^› +Movies/m);
    view.unmount();
  });

  it('cancels the resume question on esc and stays on the details', async () => {
    const film = films()[8]!;
    server().setUserData('demo', film.id, { playbackPositionTicks: 754 * SECOND, lastPlayedDate: new Date() });
    const view = await onMovieRow(9);
    await view.type(ENTER);
    await until(view.lastFrame, '◐ Stopped at 12:34');
    await view.type(ENTER);
    await until(view.lastFrame, 'Resume from 12:34');
    // When the user presses esc on the question
    await view.type(ESC);
    // Then the question is gone and the details are still showing
    const screen = await until(view.lastFrame, 'enter play');
    expect(screen).not.toContain('Start over');
    expect(screen).toMatch(/Home › Movies › Details +demo/);
    expect(view.players).toHaveLength(0);
    view.unmount();
  });
});

describe('messages', () => {
  it('belong to the screen they were made on: "Saved to the server" does not follow the user back to the list', async () => {
    const view = await onMovieRow(11);
    await view.type(ENTER);
    await until(view.lastFrame, 'enter play');
    await view.type(ENTER);
    await until(view.lastFrame, 'Now playing');
    view.players[0]!.emit({ type: 'tick', positionSeconds: 30, durationSeconds: 600, paused: false });
    await view.type('s');
    await until(view.lastFrame, '✓ Saved to the server');
    // When the user goes back to the list
    await view.type(ESC);
    const list = await until(view.lastFrame, /Movies · 11\/\d+/);
    // Then the message stayed with the details it was about, and is not there when they come back either
    expect(list).not.toContain('Saved to the server');
    await view.type(ENTER);
    expect(await until(view.lastFrame, 'enter play')).not.toContain('Saved to the server');
    view.unmount();
  });

  it('go after a while: "Saved to the server" and the sync screen\'s "Retrying now." are of their moment', async () => {
    const view = await onMovieRow(13, { messageMs: 300 });
    await view.type(ENTER);
    await until(view.lastFrame, 'enter play');
    await view.type(ENTER);
    await until(view.lastFrame, 'Now playing');
    view.players[0]!.emit({ type: 'tick', positionSeconds: 30, durationSeconds: 600, paused: false });
    await view.type('s');
    await until(view.lastFrame, '✓ Saved to the server');
    await untilGone(view.lastFrame, 'Saved to the server');
    expect(plain(view.lastFrame())).toContain('enter play');
    // Given an update waits for a server that is away, when the user retries it on the sync screen
    await server().faults.offline();
    await view.type('w');
    await view.type('S');
    await until(view.lastFrame, /• .* played/);
    await view.type(ENTER);
    await until(view.lastFrame, 'Retrying now.');
    // Then the message goes by itself
    await untilGone(view.lastFrame, 'Retrying now.');
    expect(plain(view.lastFrame())).toContain('enter retry');
    view.unmount();
  });
});
