import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { App } from '../../src/tui/App.js';
import { frame, plain } from './ink.js';
import { demoServices } from './tui-services.js';
import { settle } from './fake-clock.js';
import { untilShown } from './wait.js';

/**
 * Waits until the app's screen (without colour) shows `text`, and then until React has run the
 * effects of that frame. The app's own screens take keys in order whenever they come (see
 * test/tui/keys-in-order.test.tsx); the settle is for screens that still read keys with Ink's
 * `useInput` (sign-in, settings, now playing), whose handlers move in effects after a frame.
 */
export const until = async (lastFrame: () => string | undefined, text: string | RegExp, ms = 4000) => {
  const shown = await untilShown(() => plain(lastFrame()), text, ms);
  await settle();
  return shown;
};

/**
 * The whole app drawn by ink-testing-library on the demo server's services (fake players):
 * `type` sends keys one frame apart, `select` moves down until the selected row matches.
 */
export async function renderApp(demo: DemoServer, options: Parameters<typeof demoServices>[1] & { messageMs?: number } = {}) {
  const { messageMs, ...serviceOptions } = options;
  const stack = await demoServices(demo, serviceOptions);
  const onExit = vi.fn();
  const view = render(<App services={stack.services} onExit={onExit} {...(messageMs !== undefined ? { messageMs } : {})} />);
  const type = async (...keys: string[]) => {
    for (const key of keys) {
      view.stdin.write(key);
      await frame();
    }
  };
  const select = async (row: RegExp) => {
    for (let i = 0; i < 40 && !row.test(plain(view.lastFrame())); i++) await type('j');
    return until(view.lastFrame, row);
  };
  return { ...stack, ...view, onExit, type, select };
}

/** Films of the demo's Movies library in the order the list shows them (by sort name). */
export function sortedFilms(demo: DemoServer) {
  return demo
    .library.all()
    .filter((item) => item.type === 'Movie')
    .sort((a, b) => a.sortName.localeCompare(b.sortName));
}

/** From home to the Movies list, its cursor on the first film. */
export async function openMovies(view: Awaited<ReturnType<typeof renderApp>>): Promise<void> {
  await until(view.lastFrame, 'Libraries');
  // Home's rows may still be coming (continue watching, next up, on a busy machine): a row
  // arriving above moves the cursor's row, and a `j` sent then lands past Movies.
  for (let still = 0, last = plain(view.lastFrame()); still < 4; ) {
    await frame(50);
    const now = plain(view.lastFrame());
    still = now === last ? still + 1 : 0;
    last = now;
  }
  await view.select(/› +Movies/);
  await view.type('\r');
  await until(view.lastFrame, /Movies · 1\/\d+\n›/);
}

/** From home to the first film's details. */
export async function openFirstFilm(view: Awaited<ReturnType<typeof renderApp>>): Promise<void> {
  await openMovies(view);
  await view.type('\r');
  await until(view.lastFrame, 'enter play');
}

/** Waits until the screen (without colour) no longer shows `text`, failing with what it shows after `ms`; returns that screen. */
export async function untilGone(lastFrame: () => string | undefined, text: string | RegExp, ms = 4000): Promise<string> {
  const gone = (screen: string) => (typeof text === 'string' ? !screen.includes(text) : !text.test(screen));
  await untilShown(() => (gone(plain(lastFrame())) ? 'gone' : plain(lastFrame())), 'gone', ms);
  return plain(lastFrame());
}
