import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const SECOND = 10_000_000;

/** The section heading above the cursor's row on home. */
function sectionOfCursor(screen: string): string | undefined {
  let section: string | undefined;
  for (const line of screen.split('\n')) {
    if (/^(Continue watching|Next up|Libraries)/.test(line)) section = line.trim();
    if (line.startsWith('›')) return section;
  }
  return undefined;
}

describe('attack14 round 2: the cursor follows its row when home loads again', () => {
  // DEFECT: an episode in progress is on two rows of home (Continue watching and Next up). With
  // the cursor on its Next up row, a refresh that adds a row above (another film in progress)
  // leaves the cursor on the Continue watching row of that episode: it jumps to another section.
  // The follow logic checks only that the row NUMBER still holds the same id, which the first
  // duplicate now does. README: "the cursor stays on its row, not its row number".
  it('keeps the cursor in Next up on an episode that is also in Continue watching', async () => {
    const episode = server().library.all().find((item) => item.type === 'Episode' && item.indexNumber === 1 && item.parentIndexNumber === 1)!;
    const film = server().library.all().find((item) => item.type === 'Movie')!;
    server().setUserData('demo', episode.id, { playbackPositionTicks: 120 * SECOND, lastPlayedDate: new Date(Date.now() - 60_000) });
    const view = await renderApp(server());
    await until(view.lastFrame, /Continue watching[\s\S]*Next up[\s\S]*Libraries/);
    // Given the cursor is on the episode's Next up row
    await view.type('j');
    const before = await until(view.lastFrame, /Next up\n› /);
    expect(sectionOfCursor(plain(before))).toBe('Next up');
    // When another film gets a resume point (a phone) and home is loaded again
    server().setUserData('demo', film.id, { playbackPositionTicks: 200 * SECOND, lastPlayedDate: new Date() });
    await view.type('R');
    await until(view.lastFrame, new RegExp(film.name));
    await frame(200);
    // Then the cursor is still on the episode's Next up row
    const after = plain(view.lastFrame());
    expect(sectionOfCursor(after), after).toBe('Next up');
    view.unmount();
  });
});
