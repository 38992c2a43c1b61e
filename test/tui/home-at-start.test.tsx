import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { askForHomeEarly } from '../../src/commands/home-at-start.js';
import type { MediaItem } from '../../src/servers/types.js';
import { App } from '../../src/tui/App.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { demoServices } from '../helpers/tui-services.js';

const server = useDemoServer();

const lists = (views: MediaItem[]) => ({ resume: () => Promise.resolve([]), nextUp: () => Promise.resolve([]), userViews: () => Promise.resolve(views) });

describe('home at start-up', () => {
  it('is drawn with its lists in the very first frame when start-up has them, and asks the server for nothing more', async () => {
    // Given the lists asked for while the TUI loaded
    const stack = await demoServices(server());
    let answered = 0;
    let allAnswered!: () => void;
    const inAll = new Promise<void>((resolve) => (allAnswered = resolve));
    const counted = (list: Promise<MediaItem[]>) => list.finally(() => ++answered === 3 && allAnswered());
    const { library } = stack.services;
    const take = askForHomeEarly({ resume: () => counted(library.resume()), nextUp: () => counted(library.nextUp()), userViews: () => counted(library.userViews()) });
    await inAll;
    await frame(1);
    const asked = server().journal.length;
    // When the app starts
    const view = render(<App services={{ ...stack.services, homeAtStart: take }} onExit={vi.fn()} />);
    await frame(100);
    // Then its first frame is home with the libraries, no "Loading…" ever shows, and nothing is asked again
    expect(plain(view.frames[0])).toMatch(/Libraries\n.*Movies/);
    expect(view.frames.some((shown) => shown.includes('Loading…'))).toBe(false);
    expect(server().journal.length).toBe(asked);
    view.unmount();
    await stack.outbox.close();
  });

  it.each([
    ['gives the lists once', lists([{ id: 'v' } as MediaItem]), [true, false]],
    ['gives nothing when one of them failed (home asks again, and sees a refused sign-in)', { ...lists([]), nextUp: () => Promise.reject(new Error('401')) }, [false]],
    ['gives nothing when taken before they came', { ...lists([]), resume: () => new Promise<MediaItem[]>(() => undefined) }, [false]],
  ])('%s', async (_title, library, given) => {
    const take = askForHomeEarly(library);
    await frame(5);
    expect(given.map(() => take() !== undefined)).toEqual(given);
  });
});
