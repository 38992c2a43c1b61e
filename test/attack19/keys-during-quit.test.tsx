import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { openFirstFilm, renderApp, until } from '../helpers/render-app.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer();

describe('keys while q waits for a server that does not answer', () => {
  it('open nothing, quit once, and leave the update queued; a resize keeps the wait line', async () => {
    // Pins: with the screens gone while the quit waits (issue 19), every key but Ctrl+C is the
    // quit's: none opens the help, the sync screen, settings, search or sign-in over the wait,
    // none marks or plays, and a second q does not quit twice.
    const view = await renderApp(server(), { syncWaitMs: 1500 });
    try {
      // Given a film marked watched while the server takes requests without answering
      await openFirstFilm(view);
      server().faults.stall();
      await view.type('w');
      // When the user quits, types app keys in one burst, and the terminal shrinks
      await view.type('q');
      view.stdin.write('?SLqjo/rw\r\x1b[C');
      Object.defineProperty(view.stdout, 'columns', { value: 60, configurable: true });
      Object.defineProperty(view.stdout, 'rows', { value: 15, configurable: true });
      view.stdout.emit('resize');
      // Then the wait shows, in the new size, and nothing else opens
      const waiting = await until(view.lastFrame, 'Syncing… (up to 2 s)');
      view.stdin.write('?S');
      await frame(100);
      for (const screen of [waiting, plain(view.lastFrame())]) {
        // (the wait over the footer, which says the one key left)
        expect(screen.split('\n').slice(0, -1).filter((line) => line.trim() !== '')).toEqual(['Syncing… (up to 2 s)']);
        expect(screen.split('\n').at(-1)).toContain('Ctrl+C quit now');
        expect(Math.max(...screen.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(60);
      }
      // and the app exits once, when the bound has passed, with the mark still queued
      await eventually(() => expect(view.onExit).toHaveBeenCalled(), 6000);
      await frame(300);
      expect(view.onExit).toHaveBeenCalledTimes(1);
      expect(view.onExit).toHaveBeenCalledWith(expect.objectContaining({ settled: false, pending: 1 }));
      expect(view.players).toEqual([]);
    } finally {
      await server().faults.clear();
      view.unmount();
    }
  });
});
