import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';
const ESC = '\x1b';

/** The app playing the n-th film (1-based) of Movies, its fake player at 30 s. */
async function playingFilm(row: number) {
  const view = await renderApp(server());
  await until(view.lastFrame, 'Libraries');
  await view.select(/› +Movies/);
  await view.type(ENTER);
  await until(view.lastFrame, /Movies · 1\/\d+\n›/);
  await view.type(...Array.from({ length: row - 1 }, () => 'j'));
  await until(view.lastFrame, new RegExp(`Movies · ${row}/\\d+`));
  await view.type(ENTER);
  await until(view.lastFrame, 'enter play');
  await view.type(ENTER);
  if (plain(view.lastFrame()).includes('Start over')) await view.type('j', ENTER);
  await until(view.lastFrame, 'space pause');
  view.players.at(-1)!.emit({ type: 'tick', positionSeconds: 30, durationSeconds: 600, paused: false });
  return view;
}

describe('attack14 round 2: keys typed while the player is on its way out', () => {
  // DEFECT: `s esc` typed together in the player (stop, then back from the details it returns to)
  // ends on the details: esc is taken "at once" by the now-playing screen being left (a second
  // stop), not by the details it leads to. README: keys typed ahead "are taken in order, each by
  // the screen it leads to" (`s w` marks the item on the details it returns to).
  it('goes back to the list on `s esc` typed in one write', async () => {
    const view = await playingFilm(15);
    view.stdin.write(`s${ESC}`);
    await until(view.lastFrame, /Movies · 15\/\d+/, 5000).catch(() => undefined);
    await frame(300);
    const screen = plain(view.lastFrame());
    expect(screen, screen).toMatch(/Movies · 15\/\d+/);
    view.unmount();
  });
});
