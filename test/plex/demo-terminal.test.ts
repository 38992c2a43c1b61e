import { describe, expect, it } from 'vitest';
import { demoTerminal } from '../helpers/terminal.js';

// `reelterm --demo --plex` in a real terminal (tmux), as a new user tries Plex: the embedded demo
// Plex server, real mpv (no window, no sound), the keys a user types.

const SLOW = 20_000;

describe('reelterm --demo --plex in a terminal', () => {
  it('browses, plays, stops with a resume point that syncs, and quits', async () => {
    const { term } = await demoTerminal({ plex: true, columns: 110, rows: 30 });
    await term.waitFor(/demo Plex server[\s\S]*Libraries[\s\S]*› +Movies[\s\S]*TV Shows/, SLOW);
    await term.keys('Enter');
    await term.waitFor(/Movies · 1\/36/, SLOW);
    await term.keys('Enter');
    await term.waitFor(/enter play/, SLOW);
    await term.keys('Enter');
    await term.waitFor(/▶ Playing +\d+:\d\d \/ 10:00/, 30_000);
    // past Plex's one-minute floor, so the server keeps a resume point
    await term.keys('Right', 'Right', 'Right', 'Right', 'Right', 'Right', 'Right', 'Right');
    await term.waitFor(/▶ Playing +(1:[1-5]\d|[2-9]:\d\d) \/ 10:00/, SLOW);
    await term.keys('s');
    const details = await term.waitFor(/◐ Stopped at 1:\d\d[\s\S]*✓ (Synced|Saved to the server)/, SLOW);
    expect(details).toContain('Movie · ');
    await term.keys('q');
    const exit = await term.waitFor(/Demo Plex server: http:\/\/127\.0\.0\.1:\d+/, SLOW);
    expect(exit).not.toMatch(/will sync next time/);
  }, 120_000);
});
