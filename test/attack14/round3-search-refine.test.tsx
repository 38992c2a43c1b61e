import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';
const BACKSPACE = '\x7f';

async function searchShowing(query: string, first: RegExp) {
  const view = await renderApp(server());
  await until(view.lastFrame, 'Libraries');
  await view.type('/');
  await until(view.lastFrame, 'Search:');
  await view.type(...query.split(''));
  await until(view.lastFrame, first);
  await frame(300);
  return view;
}

describe('attack14 round 3: a search refined with keys typed ahead', () => {
  // DEFECT: with the results for "Amber" on the screen, ` St⏎` typed at once (refining the search
  // to "Amber St" and opening its first result) opens The Amber Compass, the first result of the
  // OLD query: the search's hold ends when the query settles, but the results list still holds the
  // old results (ready) in that commit, so enter is handed to them before the new load starts.
  // README: "`/Amber⏎` opens the first result for *Amber*"; keys typed ahead are taken "each by the
  // screen it leads to", in order.
  it('opens the first result of the refined query, not of the one shown before', async () => {
    const view = await searchShowing('Amber', /Results for "Amber"\n› +The Amber Compass/);
    view.stdin.write(` St${ENTER}`);
    await until(view.lastFrame, 'enter play', 5000);
    const screen = plain(view.lastFrame());
    expect(screen, screen).toContain('The Amber Station');
    view.unmount();
  });

  // DEFECT: same cause with erasing: results for "Amber St" shown, `⌫⌫⌫⏎` typed at once opens
  // The Amber Station (the old first result) instead of the first result for "Amber".
  it('opens the first result after a burst of backspaces, not the old first result', async () => {
    const view = await searchShowing('Amber St', /Results for "Amber St"\n› +The Amber Station/);
    view.stdin.write(`${BACKSPACE}${BACKSPACE}${BACKSPACE}${ENTER}`);
    await until(view.lastFrame, 'enter play', 5000);
    const screen = plain(view.lastFrame());
    expect(screen, screen).toContain('The Amber Compass');
    view.unmount();
  });
});
