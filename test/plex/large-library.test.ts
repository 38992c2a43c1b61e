import { describe, expect, it } from 'vitest';
import { openPlex } from '../../src/servers/plex/index.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// A 50,000-film Plex library pages as a Jellyfin one does: a page at a time, with the true total,
// at the start, deep inside and at the end (issue 17: "browse 50,000 items"). How fast is a
// benchmark's business (bench/); this checks what the list shows.

const demo = usePlexDemo({ library: { films: 50_000, shows: 1 } });

describe('a 50,000-film Plex library', () => {
  it('gives each page its films and the whole library’s total, wherever the page is', async () => {
    const { server } = openPlex({ baseUrl: demo().url, identity: { clientIdentifier: 'test-install', version: '0.1.0', deviceName: 'test' }, token: demo().owner.serverToken, timeoutMs: 10_000 });
    const films = (await server.library.userViews()).find((view) => view.collectionType === 'movies')!;
    const ids = new Set<string>();
    for (const start of [0, 50, 25_000, 49_950]) {
      const page = await server.library.items({ parentId: films.id, startIndex: start, limit: 50 });
      expect(page).toMatchObject({ total: 50_000, startIndex: start });
      expect(page.items).toHaveLength(50);
      for (const item of page.items) ids.add(item.id);
    }
    expect(ids.size).toBe(200);
    // past the end: nothing, and still the total
    const after = await server.library.items({ parentId: films.id, startIndex: 50_000, limit: 50 });
    expect(after).toMatchObject({ total: 50_000, items: [] });
  }, 60_000);
});
