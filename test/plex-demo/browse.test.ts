import { describe, expect, it } from 'vitest';
import { startPlexDemoServer } from '../../src/servers/plex/demo/index.js';
import { pms, timeline, usePlexDemo } from './helpers.js';

// Browsing the PMS half (PLEX.md §1, §3) as a client sees it.

const demo = usePlexDemo();

const UNAUTHORIZED = '<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>';

describe('tokens (PLEX.md §0.10, §3, §6)', () => {
  it('answers /identity without a token', async () => {
    const reply = await pms(demo(), 'GET', '/identity', { token: undefined, anonymous: true });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ MediaContainer: { size: 0, claimed: true, machineIdentifier: demo().machineIdentifier, version: expect.any(String) } });
  });

  it.each(['/', '/library/sections', '/library/sections/1/all', '/library/metadata/101', '/hubs/continueWatching', '/hubs/search?query=a', '/:/prefs', '/status/sessions'])(
    'answers 401 HTML to GET %s without a token, even to a JSON client',
    async (path) => {
      const reply = await pms(demo(), 'GET', path, { token: undefined });
      expect(reply.status).toBe(401);
      expect(reply.contentType).toMatch(/^text\/html/);
      expect(reply.text).toBe(UNAUTHORIZED);
    },
  );

  it('takes the token from the query as well as the header', async () => {
    const reply = await pms(demo(), 'GET', `/library/sections?X-Plex-Token=${demo().owner.serverToken}`, { token: undefined });
    expect(reply.status).toBe(200);
    expect(demo().journal.at(-1)).toMatchObject({ hasToken: true, query: { 'X-Plex-Token': '[redacted]' } });
    expect(JSON.stringify(demo().journal)).not.toContain(demo().owner.serverToken);
  });

  it('refuses the plex.tv account token unless switched to accept it: clients must use the resource accessToken', async () => {
    expect((await pms(demo(), 'GET', '/library/sections', { token: demo().owner.authToken })).status).toBe(401);
    demo().configureRules({ acceptAccountToken: true });
    expect((await pms(demo(), 'GET', '/library/sections', { token: demo().owner.authToken })).status).toBe(200);
  });

  it('answers XML without Accept: application/json (PLEX.md §1)', async () => {
    const reply = await pms(demo(), 'GET', '/library/sections', { json: false });
    expect(reply.contentType).toMatch(/^text\/xml/);
    expect(reply.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<MediaContainer size="2"/);
    expect(reply.text).toContain('<Directory key="1" type="movie" title="Movies"');
  });

  it('answers 404 HTML for an unknown path', async () => {
    const reply = await pms(demo(), 'GET', '/no/such/thing');
    expect(reply.status).toBe(404);
    expect(reply.text).toContain('<h1>404 Not Found</h1>');
  });
});

describe('sections and paging (PLEX.md §3)', () => {
  it('lists the sections at /library/sections and /library/sections/all', async () => {
    for (const path of ['/library/sections', '/library/sections/all']) {
      const { MediaContainer } = (await pms(demo(), 'GET', path)).json;
      expect(MediaContainer.Directory.map((d: any) => [d.key, d.type, d.title])).toEqual([
        ['1', 'movie', 'Movies'],
        ['2', 'show', 'TV Shows'],
      ]);
    }
  });

  it('answers a whole section without paging fields when the client does not page', async () => {
    const reply = await pms(demo(), 'GET', '/library/sections/1/all');
    expect(reply.json.MediaContainer.size).toBe(36);
    expect(reply.json.MediaContainer).not.toHaveProperty('totalSize');
    expect(reply.headers.get('x-plex-container-total-size')).toBeNull();
    const titles = reply.json.MediaContainer.Metadata.map((m: any) => m.titleSort);
    expect(titles).toEqual([...titles].sort());
  });

  it('pages by headers and by query alike, with offset/size/totalSize and the response headers', async () => {
    const all = (await pms(demo(), 'GET', '/library/sections/1/all')).json.MediaContainer.Metadata.map((m: any) => m.ratingKey);
    const byHeader = await pms(demo(), 'GET', '/library/sections/1/all', { headers: { 'X-Plex-Container-Start': '10', 'X-Plex-Container-Size': '5' } });
    const byQuery = await pms(demo(), 'GET', '/library/sections/1/all?X-Plex-Container-Start=10&X-Plex-Container-Size=5');
    for (const reply of [byHeader, byQuery]) {
      expect(reply.json.MediaContainer).toMatchObject({ size: 5, offset: 10, totalSize: 36 });
      expect(reply.json.MediaContainer.Metadata.map((m: any) => m.ratingKey)).toEqual(all.slice(10, 15));
      expect(reply.headers.get('x-plex-container-start')).toBe('10');
      expect(reply.headers.get('x-plex-container-total-size')).toBe('36');
    }
    const totalOnly = await pms(demo(), 'GET', '/library/sections/1/all?X-Plex-Container-Start=0&X-Plex-Container-Size=0');
    expect(totalOnly.json.MediaContainer).toMatchObject({ size: 0, totalSize: 36, Metadata: [] });
    const past = await pms(demo(), 'GET', '/library/sections/1/all?X-Plex-Container-Start=100&X-Plex-Container-Size=10');
    expect(past.json.MediaContainer).toMatchObject({ size: 0, totalSize: 36 });
  });

  it('filters by type and sorts by sort=', async () => {
    const episodes = (await pms(demo(), 'GET', '/library/sections/2/all?type=4')).json.MediaContainer;
    expect(episodes.size).toBe(4 * 2 * 6);
    expect(new Set(episodes.Metadata.map((m: any) => m.type))).toEqual(new Set(['episode']));
    const newest = (await pms(demo(), 'GET', '/library/sections/1/all?sort=addedAt:desc&X-Plex-Container-Size=3')).json.MediaContainer.Metadata;
    expect(newest[0].addedAt).toBeGreaterThan(newest[1].addedAt);
    expect((await pms(demo(), 'GET', '/library/sections/9/all')).status).toBe(404);
  });

  // (How fast is the bench's business: timed here, it failed on a busy machine.)
  it('generates 50,000 films and pages them without building the whole list', async () => {
    const big = await startPlexDemoServer({ library: { films: 50_000, shows: 0 } });
    try {
      const page = await pms(big, 'GET', '/library/sections/1/all?X-Plex-Container-Start=49990&X-Plex-Container-Size=100');
      expect(page.json.MediaContainer).toMatchObject({ size: 10, offset: 49_990, totalSize: 50_000 });
      expect(page.text.length).toBeLessThan(50_000);
    } finally {
      await big.close();
    }
  });
});

describe('items (PLEX.md §1, §3, §4.3)', () => {
  it('sends details with string ratingKeys, ms durations, epoch-s dates, a Part key with changestamp and streams', async () => {
    const film = demo().library.first('movie');
    const { MediaContainer } = (await pms(demo(), 'GET', `/library/metadata/${film.ratingKey}`)).json;
    // A few values are strings, as in Plex's own examples (PLEX.md §1): parse them leniently.
    expect(MediaContainer).toMatchObject({ size: '1', mediaTagVersion: '1436742334' });
    const [entry] = MediaContainer.Metadata;
    expect(entry).toMatchObject({ ratingKey: film.ratingKey, key: `/library/metadata/${film.ratingKey}`, type: 'movie', duration: 600_000, addedAt: expect.any(Number), hasPremiumPrimaryExtra: '1' });
    expect(entry.addedAt).toBeLessThan(10_000_000_000);
    expect(entry).not.toHaveProperty('viewCount');
    expect(entry).not.toHaveProperty('Marker');
    const [part] = entry.Media[0].Part;
    expect(part.key).toMatch(new RegExp(`^/library/parts/${part.id}/\\d+/file\\.mp4$`));
    expect(part.hasThumbnail).toBe('1');
    expect(part.Stream.map((s: any) => [s.streamType, s.languageCode ?? null, s.index ?? null])).toEqual([
      [1, null, 0],
      [2, 'eng', 1],
      [2, 'fre', 2],
      [3, 'eng', 3],
      [3, 'spa', 4],
      [3, 'ger', null],
    ]);
    expect(part.Stream[5]).toMatchObject({ codec: 'srt', key: `/library/streams/${part.Stream[5].id}` });
  });

  it('adds an episode\'s intro and credits markers only with includeMarkers=1', async () => {
    const episode = demo().library.first('episode');
    const plain = (await pms(demo(), 'GET', `/library/metadata/${episode.ratingKey}`)).json.MediaContainer.Metadata[0];
    expect(plain).not.toHaveProperty('Marker');
    const marked = (await pms(demo(), 'GET', `/library/metadata/${episode.ratingKey}?includeMarkers=1&includeChapters=1`)).json.MediaContainer.Metadata[0];
    expect(marked.Marker).toEqual([
      { id: expect.any(Number), type: 'intro', startTimeOffset: 15_000, endTimeOffset: 75_000 },
      { id: expect.any(Number), type: 'credits', startTimeOffset: 570_000, endTimeOffset: 600_000, final: true },
    ]);
    expect(marked).toMatchObject({ parentIndex: 1, index: 1, grandparentTitle: expect.any(String), parentRatingKey: expect.any(String), grandparentRatingKey: expect.any(String) });
  });

  it('takes a comma list of ratingKeys; 404 HTML for an unknown one', async () => {
    const [a, b] = demo().library.ofType(1, 'movie');
    const list = (await pms(demo(), 'GET', `/library/metadata/${a!.ratingKey},${b!.ratingKey}`)).json.MediaContainer.Metadata;
    expect(list.map((m: any) => m.ratingKey)).toEqual([a!.ratingKey, b!.ratingKey]);
    const missing = await pms(demo(), 'GET', '/library/metadata/987654321');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>');
  });

  it('lists a show\'s seasons (children), a season\'s episodes, and all of a show\'s episodes (allLeaves)', async () => {
    const show = demo().library.first('show');
    const details = (await pms(demo(), 'GET', `/library/metadata/${show.ratingKey}`)).json.MediaContainer.Metadata[0];
    expect(details).toMatchObject({ type: 'show', key: `/library/metadata/${show.ratingKey}/children`, leafCount: 12, viewedLeafCount: 0, childCount: 2 });
    const seasons = (await pms(demo(), 'GET', details.key)).json.MediaContainer.Metadata;
    expect(seasons.map((s: any) => [s.type, s.index])).toEqual([
      ['season', 1],
      ['season', 2],
    ]);
    const episodes = (await pms(demo(), 'GET', seasons[1].key)).json.MediaContainer.Metadata;
    expect(episodes.map((e: any) => [e.parentIndex, e.index])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [2, n]));
    const leaves = (await pms(demo(), 'GET', `/library/metadata/${show.ratingKey}/allLeaves?X-Plex-Container-Start=6&X-Plex-Container-Size=6`)).json.MediaContainer;
    expect(leaves).toMatchObject({ totalSize: 12, size: 6 });
    expect(leaves.Metadata.map((e: any) => e.ratingKey)).toEqual(episodes.map((e: any) => e.ratingKey));
  });
});

describe('Continue Watching and search (PLEX.md §3)', () => {
  it('shows an item after a timeline at 2 min, in the hub, /items and /library/onDeck; hides it on request', async () => {
    const film = demo().library.ofType(1, 'movie')[30]!;
    await timeline(demo(), film.ratingKey, 'stopped', 120_000);
    const hub = (await pms(demo(), 'GET', '/hubs/continueWatching?count=10')).json.MediaContainer.Hub[0];
    expect(hub.Metadata[0]).toMatchObject({ ratingKey: film.ratingKey, viewOffset: 120_000, lastViewedAt: expect.any(Number) });
    for (const path of ['/hubs/continueWatching/items', '/library/onDeck']) {
      expect((await pms(demo(), 'GET', path)).json.MediaContainer.Metadata.map((m: any) => m.ratingKey)).toContain(film.ratingKey);
    }
    expect((await pms(demo(), 'PUT', `/actions/removeFromContinueWatching?ratingKey=${film.ratingKey}`)).status).toBe(200);
    expect((await pms(demo(), 'GET', '/hubs/continueWatching/items')).json.MediaContainer.Metadata.map((m: any) => m.ratingKey)).not.toContain(film.ratingKey);
    // A new resume point brings it back.
    await timeline(demo(), film.ratingKey, 'stopped', 130_000);
    expect((await pms(demo(), 'GET', '/hubs/continueWatching/items')).json.MediaContainer.Metadata.map((m: any) => m.ratingKey)).toContain(film.ratingKey);
  });

  it('keeps each account\'s progress apart', async () => {
    const film = demo().library.ofType(1, 'movie')[31]!;
    await timeline(demo(), film.ratingKey, 'stopped', 120_000);
    const kids = (await pms(demo(), 'GET', '/hubs/continueWatching/items', { token: demo().users[1]!.serverToken })).json.MediaContainer.Metadata;
    expect(kids.map((m: any) => m.ratingKey)).not.toContain(film.ratingKey);
  });

  it('searches titles into one hub per type, limit per hub; 400 without a query', async () => {
    const film = demo().library.first('movie');
    const word = film.title.split(' ')[1]!;
    const { Hub } = (await pms(demo(), 'GET', `/hubs/search?query=${encodeURIComponent(word.toLowerCase())}&limit=2`)).json.MediaContainer;
    expect(Hub.map((hub: any) => hub.type)).toEqual(['movie', 'show', 'episode']);
    expect(Hub[0].Metadata.length).toBeGreaterThan(0);
    expect(Hub[0].Metadata.length).toBeLessThanOrEqual(2);
    expect(Hub[0].Metadata.every((m: any) => m.title.toLowerCase().includes(word.toLowerCase()))).toBe(true);
    expect((await pms(demo(), 'GET', '/hubs/search')).status).toBe(400);
  });

  it('answers server info at / (a token check)', async () => {
    expect((await pms(demo(), 'GET', '/')).json.MediaContainer).toMatchObject({ friendlyName: 'reelterm demo', machineIdentifier: demo().machineIdentifier });
  });
});
