import { describe, expect, it } from 'vitest';
import { demoTerminal } from '../helpers/terminal.js';

describe('attack14 round 2: keys typed while reelterm starts', () => {
  // DEFECT: `j enter` typed while `reelterm --demo` is still starting (a slow machine, ssh, or
  // typing on right after the command) moves to Shows but does not open it: the terminal is still
  // in cooked mode, which turns enter into "\n", and parseKey (src/tui/keypress.ts) reads "\n" as
  // Ctrl+J, not enter. README: keys typed ahead "are taken in order, each by the screen it leads to".
  it('opens Shows on `j enter` typed before home is drawn', async () => {
    // (reelterm starts 2 s after its terminal: the keys are surely typed before it draws, however
    // fast it starts; a first frame in 0.3 s, as with Node 22's compile cache, drew home before them)
    const { term } = await demoTerminal({ columns: 80, rows: 24, startAfterSeconds: 2 });
    // When j and enter are typed at once, before reelterm has drawn anything
    await term.keys('j', 'Enter');
    expect(await term.screen()).not.toContain('Libraries');
    // Then Shows opens
    const screen = await term.waitFor(/Shows · 1\/\d+/, 8000).catch(async () => term.screen());
    expect(screen, screen).toMatch(/Home › Shows/);
  }, 60_000);
});
