import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LibraryScreen } from '../../src/tui/components/LibraryScreen.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { demoServices } from '../helpers/tui-services.js';
import { untilShown } from '../helpers/wait.js';

const server = useDemoServer({ library: { extraItems: 50_000 } });

// A page of a 50,000-item library takes the demo server a while on a busy machine (a full suite
// beside other work timed out at the helpers' 2 s): these tests are not about timeouts.
const services50k = () => demoServices(server(), { timeoutMs: 15_000 });

const until = (lastFrame: () => string | undefined, pattern: RegExp) => untilShown(() => plain(lastFrame()), pattern);

describe('LibraryScreen', () => {
  it('pages a 50,000-item library from the server and draws only the visible rows', async () => {
    // Given the Movies library of a large server
    const { services } = await services50k();
    const movies = (await services.library.userViews()).find((view) => view.name === 'Movies')!;
    const { total } = await services.library.items({ parentId: movies.id, limit: 1 });
    expect(total).toBeGreaterThan(50_000);
    server().clearJournal();
    const { lastFrame, stdin, unmount } = render(<LibraryScreen parent={movies} services={services} height={12} onOpen={() => undefined} />);
    const first = await until(lastFrame, /Movies · 1\/\d+\n›/);
    expect(first.split('\n')).toHaveLength(12);
    // When the user jumps to the end and keeps pressing j past it
    stdin.write('G');
    // Then the last rows are drawn (no placeholder left), having fetched pages of 100 rather than the library
    const last = await until(lastFrame, new RegExp(`^(?![\\s\\S]*…)Movies · ${total}/${total}\\n`));
    expect(last.split('\n').at(-1)).toMatch(/^› +\S/);
    const pages = server().journal.filter((entry) => entry.path === '/Items');
    expect(pages.map((p) => p.query.startIndex)).toEqual(['0', String(Math.floor((total - 11) / 100) * 100), ...(Math.floor((total - 1) / 100) !== Math.floor((total - 11) / 100) ? [String(Math.floor((total - 1) / 100) * 100)] : [])]);
    expect(pages.every((p) => p.query.limit === '100')).toBe(true);
    unmount();
  });

  it('loses no key when they arrive faster than the screen redraws', async () => {
    const { services } = await services50k();
    const movies = (await services.library.userViews()).find((view) => view.name === 'Movies')!;
    const { lastFrame, stdin, unmount } = render(<LibraryScreen parent={movies} services={services} height={12} onOpen={() => undefined} />);
    await until(lastFrame, /Movies · 1\/\d+/);
    for (let i = 0; i < 250; i++) stdin.write('j');
    await until(lastFrame, /Movies · 251\/\d+/);
    unmount();
  });
});
