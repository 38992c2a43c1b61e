import { describe, expect, it } from 'vitest';
import { demoTerminal, mpvProcessesWith } from '../helpers/terminal.js';

/** How long a step may take on a busy 2-core machine (mpv starting, a build running beside). */
const SLOW = 20_000;

describe('the first hour of a new user, in an 80×24 terminal', () => {
  it('browses, plays in mpv, resumes, survives an expired sign-in, goes back to where it was, and quits cleanly', async () => {
    // Given reelterm on its demo server in an 80×24 terminal, with mpv drawing and sounding nothing
    const { term, home } = await demoTerminal({ columns: 80, rows: 24 });

    // The home screen: the libraries, the footer with the way to help
    const first = await term.waitFor(/Libraries/, SLOW);
    expect(first).toMatch(/\? help · q quit/);

    // When the user browses Shows → the first series → Season 1, and opens the second episode
    await term.keys('j', 'Enter');
    await term.waitFor(/Shows · 1\/\d+/, SLOW);
    await term.keys('Enter');
    await term.waitFor(/› +Season 1/, SLOW);
    await term.keys('Enter');
    await term.waitFor(/› +S01E01/, SLOW);
    await term.keys('j');
    await term.waitFor(/› +S01E02/);
    await term.keys('Enter');
    const details = await term.waitFor(/enter play · w mark watched · esc back/, SLOW);
    expect(details).toMatch(/S01E02/);
    expect(details).toMatch(/Not watched/);

    // And plays it: real mpv starts, and the now-playing screen counts from the start
    await term.keys('Enter');
    await term.waitFor(/▶ Playing +0:\d\d \/ 10:00/, 30_000);
    // And skips ahead 40 s (past the first 5 %, below which Jellyfin keeps no resume point)
    await term.keys('Right', 'Right', 'Right', 'Right');
    await term.waitFor(/▶ Playing +(0:[3-5]\d|[1-9]:\d\d) \/ 10:00/, SLOW);

    // When they stop with s
    await term.keys('s');
    // Then the details are back, with where they stopped, saved to the server
    const stopped = await term.waitFor(/◐ Stopped at \d+:\d\d/, SLOW);
    const at = /◐ Stopped at (\d+:\d\d)/.exec(stopped)![1]!;
    await term.waitFor(/✓ Saved to the server|✓ Synced/, SLOW);

    // When they open it again
    await term.keys('Enter');
    // Then they are asked whether to resume from there
    const question = await term.waitFor(/Resume from \d+:\d\d/, SLOW);
    expect(question).toContain(`Resume from ${at}`);
    expect(question).toContain('Start over');
    expect(question).toContain('enter choose · esc cancel');
    // And esc cancels only the question: the details stay
    await term.keys('Escape');
    const cancelled = await term.waitFor(/enter play · w mark watched · esc back/, SLOW);
    expect(cancelled).not.toContain('Start over');
    expect(cancelled).toContain(`◐ Stopped at ${at}`);

    // When they look up the demo's fault switches in the help (? then any key closes it)
    await term.keys('?');
    const help = await term.waitFor(/Fault switches: (http:\/\/\S+\/__demo\/faults)/, SLOW);
    const switches = /Fault switches: (http:\/\/\S+\/__demo\/faults)/.exec(help)![1]!;
    await term.keys('x');
    await term.waitFor(/enter play · w mark watched · esc back/, SLOW);
    // And expire every sign-in on the server
    const response = await fetch(switches, { method: 'POST', body: JSON.stringify({ fault: 'expireTokens' }) });
    expect(response.ok).toBe(true);
    // And mark the episode watched, which the server now refuses
    await term.keys('w');
    // Then the footer says they are signed out, with the update kept, and how to sign in
    const signedOut = await term.waitFor(/⚠ Signed out/, SLOW);
    expect(signedOut).toMatch(/L sign in/);

    // When they press L and sign in again as demo/demo
    await term.keys('L');
    const form = await term.waitFor(/Sign in to your Jellyfin server/, SLOW);
    expect(form).toMatch(/› Password/);
    await term.keys('demo', 'Enter');
    // Then they are back on the details, signed in, and the mark reached the server
    const back = await term.waitFor(/Signed in: syncing 1 update\./, SLOW);
    expect(back).not.toContain('Sign in to your Jellyfin server');
    await term.waitFor(/✓ Synced/, SLOW);
    expect(await term.screen()).toMatch(/✓ Watched/);

    // When they go back with esc
    await term.keys('Escape');
    // Then the episode list shows, the cursor still on the episode they opened
    const list = await term.waitFor(/› +✓ S01E02 · /, SLOW);
    expect(list).toMatch(/^ +S01E01 · /m);
    expect(list).not.toContain('enter play');

    // When they quit with q
    await term.keys('q');
    // Then the app's frame and the sign-in form are gone from the terminal, and the closing line is there
    const after = await term.waitFor(/Demo server: http:\/\/127\.0\.0\.1:\d+/, SLOW);
    expect(after).not.toMatch(/reelterm ·/);
    expect(after).not.toContain('Sign in to your Jellyfin server');
    expect(after).not.toMatch(/\? help · q quit|L sign in/);
    expect(after).not.toMatch(/S01E0\d/);
    // (everything reached the server: nothing is said to be left queued)
    expect(after).not.toMatch(/will sync/);
    expect(await mpvProcessesWith(home)).toEqual([]);
  }, 90_000);
});
