import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { openFirstFilm, renderApp, until } from '../helpers/render-app.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer();
const ENTER = '\r';

describe('q while leaving the player waits for a server that does not answer', () => {
  it('shows the quit\'s wait until the exit, not what the player\'s own wait found', async () => {
    // DEFECT: leaving the player (s) waits for sync on its own; when `q` came during that wait,
    // the end of the player's wait took the quit's "Syncing… (up to 2 s)" away while the quit still
    // waited, and said over it "2 updates saved and queued; … (r to retry now)" (r does nothing
    // while quitting) on a screen the quit had emptied, with the breadcrumb going back to Details.
    const view = await renderApp(server(), { syncWaitMs: 1500 });
    let framesAtExit = -1;
    view.onExit.mockImplementation(() => {
      framesAtExit = view.frames.length;
    });
    try {
      // Given a film playing, whose start reached the server
      await openFirstFilm(view);
      await view.type(ENTER);
      await until(view.lastFrame, 'Now playing');
      const player = view.players[0]!;
      player.emit({ type: 'tick', positionSeconds: 30, durationSeconds: 600, paused: false });
      await eventually(() => expect(server().journal.some((entry) => entry.path === '/Sessions/Playing' && entry.status === 204)).toBe(true));
      // and a server that now takes requests without answering
      server().faults.stall();
      player.emit({ type: 'tick', positionSeconds: 60, durationSeconds: 600, paused: false });
      // When the viewer stops, and quits while leaving the player waits
      await view.type('s');
      await until(view.lastFrame, /Syncing…/);
      await view.type('q');
      await until(view.lastFrame, 'Syncing… (up to 2 s)');
      // Then the app exits once the quit's bound has passed, with the updates still queued
      await eventually(() => expect(view.onExit).toHaveBeenCalledWith(expect.objectContaining({ settled: false })), 6000);
      expect(view.outbox.status().pending).toBeGreaterThan(0);
      // and from the moment the quit's wait showed until the exit, it was all the screen said
      const frames = view.frames.slice(0, framesAtExit).map(plain);
      const shown = frames.findIndex((screen) => screen.includes('Syncing… (up to 2 s)'));
      expect(frames.slice(shown).filter((screen) => !screen.includes('Syncing… (up to 2 s)') || screen.includes('saved and queued'))).toEqual([]);
    } finally {
      await server().faults.clear();
      view.unmount();
    }
  });
});
