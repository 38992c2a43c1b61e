// User sees, in `reelterm --demo` after the token expired, on `L` with another user name typed: "To sign in as someone else, quit and run `reelterm login`." — a command that does not act on the demo (and `login --demo` is refused); expected: in demo mode the message names what works there (issue 14 item 5, README "What it tells you to run names the demo's form"), e.g. that the demo signs in as demo / `reelterm demo-server`; suspected code: src/tui/App.tsx signIn.onSubmit / onQuickConnect (hard-coded `reelterm login`, App does not know it runs the demo).
import { describe, expect, it } from 'vitest';
import { demoTerminal, fault } from '../helpers/terminal.js';

const SLOW = 20_000;

describe('the L sign-in form in demo mode', () => {
  it('does not send the demo user to `reelterm login` (a real server\'s command)', async () => {
    const { term, adminPort } = await demoTerminal({ columns: 100, rows: 24 });
    await term.waitFor(/Libraries/, SLOW);
    await term.keys('Enter');
    await term.waitFor(/Movies · 1\/\d+/, SLOW);
    // Given the demo server no longer accepts the sign-in
    await fault(adminPort, { fault: 'expireTokens' });
    await term.keys('R');
    await term.waitFor(/⚠ Signed out/, SLOW);
    // When the user presses L, types another user name and a password, and signs in
    await term.keys('L');
    await term.waitFor(/› Password/, SLOW);
    await term.keys('Up', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'ann', 'Down', 'demo', 'Enter');
    const answer = await term.waitFor(/To sign in as someone else|sign in as|signs in as/, SLOW);
    // Then what it says to run works in demo mode
    expect(answer).not.toMatch(/run `reelterm login`/);
  }, 60_000);
});
