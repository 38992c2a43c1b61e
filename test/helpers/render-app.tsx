import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import type { DemoServer } from '../../src/demo/index.js';
import { App } from '../../src/tui/App.js';
import { frame, plain } from './ink.js';
import { demoServices } from './tui-services.js';
import { settle } from './fake-clock.js';
import { untilShown } from './wait.js';

/**
 * Waits until the app's screen (without colour) shows `text`, and then until React has run the
 * effects of that frame: Ink moves its input handlers in effects that run after a frame is
 * drawn, so a key sent the instant a new screen shows could still reach the screen it replaced.
 * (A person at a terminal meets the same window; the app's key stream spaces keys out for it.)
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
export async function renderApp(demo: DemoServer, options: Parameters<typeof demoServices>[1] = {}) {
  const stack = await demoServices(demo, options);
  const onExit = vi.fn();
  const view = render(<App services={stack.services} onExit={onExit} />);
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
