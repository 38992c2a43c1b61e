import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until, openMovies } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

/** Series in the order the Shows list shows them (by sort name). */
function series() {
  return server()
    .library.all()
    .filter((item) => item.type === 'Series')
    .sort((a, b) => a.sortName.localeCompare(b.sortName));
}

describe('attack14: keys typed ahead are taken by the screen they lead to', () => {
  // DEFECT: keys typed right after a key that opens a list (enter on Shows) reach the new list
  // while it is still "Loading…" and are thrown away: `enter j j enter` in one write opens Shows
  // and stays on its first row. README: "Keys typed ahead (a paste, `enter enter`, a slow ssh
  // link) are taken in order, each by the screen it leads to."
  it('opens the third series on `enter j j enter` typed in one write from home', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Shows/);
    const third = series()[2]!.name;
    // When enter, j, j, enter arrive together (a paste, a fast typist over ssh)
    view.stdin.write(`${ENTER}jj${ENTER}`);
    // Then the third series is open (its seasons), not the Shows list on its first row
    await until(view.lastFrame, /› +Season 1 · \d+ episodes/, 8000).catch(() => undefined);
    const screen = plain(view.lastFrame());
    expect(screen, screen).toContain(`Home › Shows › ${third}`);
    expect(screen).toMatch(/› +Season 1 · \d+ episodes/);
    view.unmount();
  });

  // DEFECT: a key typed right after `s` in the player (here `w`) reaches the now-playing screen
  // that is being left (it waits for the stop to sync) and is dropped, instead of reaching the
  // details it leads to. README: keys typed ahead "are taken in order, each by the screen it leads to".
  it('marks the item watched on `s w` typed in one write while it plays', async () => {
    const view = await renderApp(server());
    await openMovies(view);
    await view.type(ENTER);
    await until(view.lastFrame, 'enter play · w mark watched');
    await view.type(ENTER);
    if (plain(view.lastFrame()).includes('Start over')) await view.type('j', ENTER);
    await until(view.lastFrame, 'space pause');
    // When s and w arrive together
    view.stdin.write('sw');
    // Then the details are back, and w marked the film watched there
    await until(view.lastFrame, 'enter play', 8000);
    await until(view.lastFrame, 'w mark unwatched', 5000).catch(() => undefined);
    const screen = plain(view.lastFrame());
    expect(screen, screen).toContain('w mark unwatched');
    view.unmount();
  });

  it('opens the first result on `/` and a title and enter typed in one write', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    const film = server().library.all().find((item) => item.type === 'Movie')!;
    // When a search and enter arrive together (a paste, a fast typist)
    view.stdin.write(`/${film.name}${ENTER}`);
    // Then enter waited for the results of the whole title and opened the film
    const details = await until(view.lastFrame, 'enter play', 8000);
    expect(details).toContain(film.name);
    expect(details).toContain('Details');
    view.unmount();
  });

  it('opens the third film on `enter j j enter` when the server is slow to answer', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Movies/);
    const third = server()
      .library.all()
      .filter((item) => item.type === 'Movie')
      .sort((a, b) => a.sortName.localeCompare(b.sortName))[2]!;
    server().faults.latency(300);
    view.stdin.write(`${ENTER}jj${ENTER}`);
    const details = await until(view.lastFrame, 'enter play', 8000);
    expect(details).toContain(third.name);
    view.unmount();
  });

  it('goes back at once on esc while a list stalls, dropping the keys typed for it', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Shows/);
    // Given the server stops answering
    server().faults.stall();
    // When enter opens Shows, and j j esc follow while it loads
    view.stdin.write(`${ENTER}jj\x1b`);
    // Then home is back at once, its cursor still on Shows (j j went with the list left)
    const home = await until(view.lastFrame, /Libraries[\s\S]*› +Shows/, 3000);
    expect(home).not.toContain('Loading…');
    expect(plain(home)).toMatch(/reelterm · Home +/);
    view.unmount();
  });
});

