import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until, openMovies } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

describe('a mark the server never takes', () => {
  it('stops showing as done on the details once the server refuses it for good', async () => {
    const view = await renderApp(server());
    await openMovies(view);
    await view.type(ENTER);
    await until(view.lastFrame, 'w mark watched');
    // Given the server refuses marks for good (the item is gone: 404)
    server().faults.status(404);
    // When the user marks the film watched
    await view.type('w');
    // Then it shows as watched at once, and once refused, the details say so no more and the footer names the failure
    const after = await until(view.lastFrame, /1 failed/, 8000);
    expect(after).toContain('Not watched');
    expect(after).toContain('w mark watched');
    expect(plain(view.lastFrame())).not.toContain('✓ Watched');
    view.unmount();
  });
});
