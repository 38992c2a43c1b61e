import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

describe('attack14 round 3: what the app says once signed out', () => {
  // DEFECT: `L` (sign in again, inside the running app, server and user fixed) shows the
  // first-run form's line "Or press esc and try `reelterm --demo`.": esc here goes back to the
  // app the user is in, and the demo is no way to sign in again to their server (inside
  // `reelterm --demo` it names the very command running). Issue: every message true.
  // Cause: SignInScreen.tsx draws that line whatever the form is for.
  it('does not offer `reelterm --demo` on the L form of a running app', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    server().faults.expireTokens();
    await view.type('R');
    await until(view.lastFrame, /Signed out/);
    await view.type('L');
    const form = await until(view.lastFrame, /› Password/);
    expect(form).not.toContain('reelterm --demo');
    view.unmount();
  });

  // DEFECT: a list refused with 401 says "Could not load (enter to try again): … no longer
  // accepts your sign-in (401)": enter only asks again with the refused token (401 again); the
  // way out is `L` (footer: "L sign in"). Issue: "any 401 makes the app signed-out … `L` signs
  // in and the failed screen reloads"; every message true. Cause: LoadProblem.tsx names enter
  // whatever the failure.
  it('names L, not enter, on a list whose load was refused with 401', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Shows/);
    server().faults.expireTokens();
    await view.type(ENTER);
    const failed = await until(view.lastFrame, /Could not load/, 8000);
    expect(failed).toMatch(/Signed out/);
    const problem = plain(failed).split('\n').filter((line) => !line.includes('Signed out')).join(' ');
    expect(problem).not.toContain('enter to try again');
    expect(problem).toMatch(/\bL\b/);
    view.unmount();
  });
});
