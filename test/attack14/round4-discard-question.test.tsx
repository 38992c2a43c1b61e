import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { eventually } from '../helpers/wait.js';
import { renderApp, until, openMovies } from '../helpers/render-app.js';

const server = useDemoServer();

async function askDiscard(view: Awaited<ReturnType<typeof renderApp>>) {
  await openMovies(view);
  // Given an update waits in the queue (the server answers 503)
  server().faults.status(503);
  await view.type('w');
  await until(view.lastFrame, /pending/, 8000);
  await view.type('S');
  await until(view.lastFrame, /Sync|sync/);
  await view.type('d');
  const asked = await until(view.lastFrame, /It will never reach the server\. y\/n/, 8000);
  expect(asked).toContain('q quit');
}

describe('attack14 round 4: the app keys on the sync screen\'s discard question', () => {
  // DEFECT: on the sync screen's "Discard …? It will never reach the server. y/n" question, `q`
  // does nothing: SyncScreen returns true for every key while confirming and App's fallback also
  // returns early while `modal` is set (SyncScreen.tsx:144-152, App.tsx:134). The footer under it says `? help · q quit`; README: `q`
  // anywhere: quit. The round-3 fix let q/? through the resume and mark-all questions only.
  it('quits on q while the discard question is shown', async () => {
    const view = await renderApp(server());
    await askDiscard(view);
    await view.type('q');
    await eventually(() => expect(view.onExit, plain(view.lastFrame())).toHaveBeenCalled(), 10_000);
    view.unmount();
  });

  // DEFECT: the same question swallows `?` (README: `?` anywhere: help: every key).
  it('opens the help on ? while the discard question is shown', async () => {
    const view = await renderApp(server());
    await askDiscard(view);
    await view.type('?');
    const help = await until(view.lastFrame, 'any key closes this').catch(() => plain(view.lastFrame()));
    expect(help).toContain('any key closes this');
    view.unmount();
  });
});
