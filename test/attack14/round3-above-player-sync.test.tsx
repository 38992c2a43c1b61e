import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until, openFirstFilm } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

describe('attack14 round 3: keys on a screen above the player while the player leaves', () => {
  // DEFECT: settings opened with `o` over a playing film; the film ends and reelterm waits for sync
  // ("Syncing…", here a stalled server, up to syncWaitSeconds). `j j j` typed on the settings
  // screen meanwhile are lost (the cursor moves one row, or none, not three): App.tsx passes
  // `active={showing && waiting === undefined}` to every screen, so the settings' handler is
  // inactive while the player's leaving is awaited, and the keys fall through to the app's
  // fallback, which drops them; the player's LEAVING hold is on the player's scope, not this one.
  // The issue: keys go to the screen showing, in order, none lost.
  it('moves the settings cursor three rows on `j j j` typed while the ended film syncs', async () => {
    const view = await renderApp(server(), { syncWaitMs: 3000 });
    await openFirstFilm(view);
    await view.type(ENTER);
    await until(view.lastFrame, 'space pause');
    const player = view.players[0]!;
    player.emit({ type: 'tick', positionSeconds: 300, durationSeconds: 600, paused: false });
    await view.type('o');
    await until(view.lastFrame, /› Continuous play/);
    server().faults.stall();
    player.emit({ type: 'end', reason: 'eof', positionSeconds: 600 } as never);
    await until(view.lastFrame, /Syncing…\n/);
    await view.type('j', 'j', 'j');
    await until(view.lastFrame, /saved and queued/, 6000);
    await frame(200);
    const screen = plain(view.lastFrame());
    expect(screen, screen).toMatch(/› Skip intros/);
    view.unmount();
  }, 30_000);
});
