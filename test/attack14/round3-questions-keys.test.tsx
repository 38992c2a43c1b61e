import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { eventually } from '../helpers/wait.js';
import { renderApp, until, openMovies } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';
const SECOND = 10_000_000;

function films() {
  return server()
    .library.all()
    .filter((item) => item.type === 'Movie')
    .sort((a, b) => a.sortName.localeCompare(b.sortName));
}

describe('attack14 round 3: the app keys while a question is asked', () => {
  // DEFECT: on the details' "Resume from … / Start over" question, `q` does nothing: the question
  // takes every key (DetailsScreen returns true for all), while the footer right under it says
  // `? help · q quit`. README keys table: `q` anywhere: quit (`?` anywhere: help); the question
  // should only take its own keys (↑/↓, j/k, enter, esc).
  it('quits on q while the Resume / Start over question is shown', async () => {
    const film = films()[3]!;
    server().setUserData('demo', film.id, { playbackPositionTicks: 120 * SECOND, lastPlayedDate: new Date() });
    const view = await renderApp(server());
    await openMovies(view);
    await view.type('j', 'j', 'j');
    await until(view.lastFrame, /Movies · 4\/\d+/);
    await view.type(ENTER);
    await until(view.lastFrame, 'Stopped at 2:00');
    await view.type(ENTER);
    const asked = await until(view.lastFrame, 'Start over');
    expect(asked).toContain('q quit');
    // When the user presses q, as the footer says
    await view.type('q');
    // Then reelterm quits (after its bounded wait for sync)
    await eventually(() => expect(view.onExit, plain(view.lastFrame())).toHaveBeenCalled(), 10_000);
    view.unmount();
  });

  // DEFECT: on the "Mark all 8 episodes of … watched? y/n" question, `?` does nothing (the
  // question swallows it: use-item-keys.ts `else return true`), though the footer says `? help`.
  // README: `?` anywhere: help: every key.
  it('opens the help on ? while the mark-all y/n question is shown', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Shows/);
    await view.type(ENTER);
    await until(view.lastFrame, /Shows · 1\/\d+\n›/);
    await view.type(ENTER);
    await until(view.lastFrame, /›\s+Season 1/);
    await view.type('w');
    await until(view.lastFrame, /watched\? y\/n/);
    await view.type('?');
    const help = await until(view.lastFrame, 'any key closes this').catch(() => plain(view.lastFrame()));
    expect(help).toContain('any key closes this');
    view.unmount();
  });
});
