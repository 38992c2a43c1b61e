import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until, openFirstFilm, untilGone } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

describe('attack14 round 4: a mark-all question on a screen above the player when the film ends', () => {
  // DEFECT: a film plays; the user opens the sync screen (S), searches from there (/Amber), opens
  // the series and presses `w` on Season 1: "Mark all … episodes of Season 1 watched? y/n" (a lasting
  // notice). The film then ends: App.tsx play() says "✓ Saved to the server" on the screen showing,
  // replacing the question's text, while the question itself (use-item-keys `asking`) stays and
  // still swallows every key but y/n/esc/q/?: the user sees no question and `j` does nothing.
  // README: the question asks first ("Mark all 24 episodes … watched? y/n"); messages show on the
  // screen they are about. Cause: App.tsx:93 notice.say(message, showing.id) over a lasting question.
  it('keeps the question on the screen after the film ends', async () => {
    const view = await renderApp(server(), { syncWaitMs: 1000 });
    await openFirstFilm(view);
    await view.type(ENTER);
    await until(view.lastFrame, 'space pause');
    const player = view.players[0]!;
    player.emit({ type: 'tick', positionSeconds: 300, durationSeconds: 600, paused: false });
    await view.type('S');
    await until(view.lastFrame, /Sync/);
    await view.type('/', ...'Amber Lighthouse'.split(''));
    await until(view.lastFrame, /Results for "Amber Lighthouse"[\s\S]*series/, 8000);
    for (let i = 0; i < 10 && !/› .*series/.test(plain(view.lastFrame())); i++) await view.type('\x1b[B');
    await until(view.lastFrame, /› .*series/);
    await view.type(ENTER);
    await until(view.lastFrame, /›\s+Season 1/, 8000);
    await view.type('w');
    await until(view.lastFrame, /watched\? y\/n/);
    // When the film ends under it
    player.emit({ type: 'end', reason: 'eof', positionSeconds: 600 } as never);
    // (the player leaves the stack once its stop is synced: the trail loses "Now playing")
    await untilGone(view.lastFrame, 'Now playing', 8000);
    await frame(200);
    // Then the question is still asked on the screen, or it is gone for good and `j` moves again
    await view.type('j');
    await frame(300);
    const screen = plain(view.lastFrame());
    const asked = /watched\? y\/n/.test(screen);
    const moved = /›\s+Season 2/.test(screen);
    expect(asked || moved, screen).toBe(true);
    view.unmount();
  }, 30_000);
});
