import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';
const ESC = '\x1b';

describe('attack14 round 4: esc while the sign-in hangs', () => {
  // DEFECT: on the sign-in form (L), the password sent to a server that does not answer shows
  // "Signing in…"; `esc` then does nothing at once (UNTIL_DONE cancels no key; the form ignores
  // keys while busy), and when the sign-in times out the held esc is dropped with the other
  // keys (useKeyHold(…, failed) drops on a refusal): the user is left on the form, having asked
  // twice to leave. The form says "esc goes back without signing in"; README: esc anywhere: back
  // (in a question or an edited setting: cancel it). Cause: use-key-hold.ts UNTIL_DONE
  // (cancels: () => false) with SignInScreen.tsx `if (signIn.busy) return;`.
  it('leaves the form on esc typed while the sign-in hangs', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Movies/);
    server().faults.expireTokens();
    await view.type(ENTER);
    await until(view.lastFrame, /Could not load[\s\S]*Signed out/, 8000);
    await view.type('L');
    await until(view.lastFrame, /› Password/);
    // Given the server stops answering
    server().faults.stall();
    await view.type(...'demo'.split(''), ENTER);
    await until(view.lastFrame, 'Signing in…');
    // When the user gives up on it
    await view.type(ESC);
    // Then (at once, or at the latest once the sign-in has failed) the form is gone
    await frame(4000);
    const screen = plain(view.lastFrame());
    expect(screen, screen).not.toContain('Sign in to your Jellyfin server');
    void server().faults.clear();
    view.unmount();
  });
});
