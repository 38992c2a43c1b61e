import { describe, expect, it } from 'vitest';
import type { DemoItem } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer({ library: { movies: 150 } });
const ENTER = '\r';

const selectedRow = (screen: string) => screen.split('\n').find((line) => line.startsWith('›'))?.replace(/^›\s+/, '').trim();

describe('attack14 round 3: the library cursor follows its film across pages', () => {
  // DEFECT: the cursor on row 101 of a 150-film library (the first row of page 2, both pages
  // visible) is on film X. A film above it is removed on the server; `R` asks for pages 1 and 2
  // again. When page 2's answer comes before page 1's (answers come in any order), X is in
  // neither the new page 2 nor the old page 1, so the cursor is left on row 101 and remembers the
  // film now there; when page 1 arrives with X on row 100, the cursor no longer follows X.
  // README: "When a list loads again (after a playback, or `R`), the cursor stays on its row, not
  // its row number". Cause: use-list-navigation.ts remember() on every render re-targets the
  // follow to whatever sits at the row number when the id is not found yet (LibraryScreen pages).
  it('stays on its film when the page holding it now arrives after the page it was on', async () => {
    const movies = server().library.views.find((v) => v.name === 'Movies')!;
    const children = server().library.children(movies.id) as DemoItem[];
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Movies/);
    await view.type(ENTER);
    await until(view.lastFrame, /Movies · 1\/150\n›/);
    view.stdin.write('j'.repeat(100));
    await until(view.lastFrame, /Movies · 101\/150/);
    // (once the cursor's page has come: its row shows a film, not "…")
    const before = await until(view.lastFrame, /^› +[^…\s]/m);
    const film = selectedRow(plain(view.lastFrame()))!;
    expect(film).not.toMatch(/^…/);
    // Given page 1 answers slower than page 2 on the next fetch
    const items = view.services.library.items;
    view.services.library.items = async (query) => {
      if ((query.startIndex ?? 0) === 0) await new Promise((r) => setTimeout(r, 400));
      return items(query);
    };
    // and a film above the cursor is gone on the server
    const [removed] = children.splice(0, 1);
    try {
      await view.type('R');
      await until(view.lastFrame, /Movies · \d+\/149/);
      await frame(800);
      const screen = plain(view.lastFrame());
      // Then the cursor is still on the same film (now row 100)
      expect(selectedRow(screen), `${before}\n---\n${screen}`).toBe(film);
    } finally {
      children.unshift(removed!);
    }
    view.unmount();
  });
});
