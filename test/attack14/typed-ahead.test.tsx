import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

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
  // OPEN (issue 14, found by the attack; not fixed yet): keys typed while the next list loads act on the empty list; the key owner should hold them until it has loaded.
  it.skip('opens the third series on `enter j j enter` typed in one write from home', async () => {
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
  // OPEN (issue 14, found by the attack; not fixed yet): a key typed while the player waits for sync goes to the now-playing screen and is lost.
  it.skip('marks the item watched on `s w` typed in one write while it plays', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Movies/);
    await view.type(ENTER);
    await until(view.lastFrame, /Movies · 1\/\d+\n/);
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
});
