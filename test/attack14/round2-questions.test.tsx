import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { renderApp, until, openMovies, untilGone } from '../helpers/render-app.js';

const server = useDemoServer();
const BACKSPACE = '\x7f';

describe('attack14 round 2: questions cancel on esc and backspace', () => {
  // DEFECT: backspace on the sync screen's "Discard …? y/n" question does nothing: the question
  // stays (only n and esc cancel it, and the app's back key is off while it asks).
  // README: "`esc`, `backspace` | anywhere | back (… in a question or an edited setting: cancel it)".
  it('cancels the discard question on backspace', async () => {
    const view = await renderApp(server());
    await openMovies(view);
    // Given an update waits for a server that is away
    await server().faults.offline();
    await view.type('w');
    await view.type('S');
    await until(view.lastFrame, /• .* played/);
    await view.type('d');
    await until(view.lastFrame, /Discard .*\? It will never reach the server\. y\/n/);
    // When the user presses backspace
    await view.type(BACKSPACE);
    // Then the question is gone, and the update is still queued
    const screen = await untilGone(view.lastFrame, 'It will never reach the server');
    expect(screen, screen).not.toContain('It will never reach the server');
    expect(screen).toMatch(/• .* played/);
    view.unmount();
  });
});
