import { afterEach, describe, expect, it, vi } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame } from '../helpers/ink.js';
import { demoServices } from '../helpers/tui-services.js';

// Ink's colour library decides at load time whether to emit colour; under vitest there is no
// TTY, so it would emit none and this test could not fail. Force colour before loading Ink.
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { App } = await import('../../src/tui/App.js');

const server = useDemoServer();
const FOREGROUND = /\x1b\[3[0-7]m/;

async function homeScreen() {
  const { services } = await demoServices(server());
  const view = render(<App services={services} onExit={() => undefined} />);
  for (let i = 0; i < 100 && !(view.lastFrame() ?? '').includes('Libraries'); i++) await frame(20);
  return view;
}

describe('colour', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('highlights the selection and the footer in colour by default', async () => {
    vi.stubEnv('NO_COLOR', '');
    const { lastFrame, unmount } = await homeScreen();
    expect(lastFrame()).toMatch(FOREGROUND);
    unmount();
  });

  it('uses no colour under NO_COLOR, and shows the selection inverted instead', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const { lastFrame, unmount } = await homeScreen();
    expect(lastFrame()).toContain('Libraries');
    expect(lastFrame()).not.toMatch(FOREGROUND);
    expect(lastFrame()).toMatch(/\x1b\[7m(\x1b\[1m)?›/);
    unmount();
  });

  it('draws errors and warnings without colour under NO_COLOR too', async () => {
    // Given the server is down when the app opens, with an update waiting
    vi.stubEnv('NO_COLOR', '1');
    const { services } = await demoServices(server());
    await server().faults.offline();
    const view = render(<App services={services} onExit={() => undefined} />);
    for (let i = 0; i < 150 && !(view.lastFrame() ?? '').includes('Could not load'); i++) await frame(20);
    // Then the error is there, in plain text
    expect(view.lastFrame()).toContain('Could not load');
    expect(view.lastFrame()).not.toMatch(FOREGROUND);
    view.unmount();
  });
});
