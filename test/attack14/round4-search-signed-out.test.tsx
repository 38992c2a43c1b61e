import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();

describe('attack14 round 4: a search refused with 401 names L, which the search box types', () => {
  // DEFECT: signed out (the server refuses the token), the search results say "Could not load
  // (L to sign in again): …", but in the search box `L` is text: pressing it makes the query
  // "AmberL" and searches again (refused again); the sign-in form never opens. README: `L` when
  // signed out: sign in again; LoadProblem names the key that helps. Cause:
  // src/tui/components/ItemList.tsx:55 passes signedOut to LoadProblem on a `typing` list, while
  // SearchScreen.tsx:35-40 takes every letter as text.
  it('names the way to sign in that works from the search (L is text there), and it opens the form', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    server().faults.expireTokens();
    await view.type('/', ...'Amber'.split(''));
    const failed = await until(view.lastFrame, /Could not load/, 8000);
    expect(failed).toContain('(esc, then L to sign in again)');
    await view.type('\x1b', 'L');
    const screen = await until(view.lastFrame, 'Sign in to your Jellyfin server').catch(() => plain(view.lastFrame()));
    expect(screen, screen).toContain('Sign in to your Jellyfin server');
    view.unmount();
  });
});
