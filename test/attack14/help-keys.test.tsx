import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { plain } from '../helpers/ink.js';

describe('attack14: the ? help', () => {
  // DEFECT: the help lists neither Ctrl+C (quit now, which in the player stops mpv and queues its
  // position) nor Home/End or Ctrl+U/Ctrl+D, though reelterm answers to all of them.
  // README: "`?` | anywhere | help: every key"; src/tui/keys.ts: "Every key reelterm answers to".
  it('names Ctrl+C, Home/End and Ctrl+U/Ctrl+D', () => {
    const { lastFrame, unmount } = render(<HelpOverlay height={40} width={120} />);
    const screen = plain(lastFrame());
    expect(screen).toMatch(/Ctrl\+C/i);
    expect(screen).toMatch(/Home/);
    expect(screen).toMatch(/Ctrl\+U|Ctrl\+D|\^U|\^D/i);
    unmount();
  });
});
