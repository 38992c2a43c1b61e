import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/servers/jellyfin/demo/index.js';
import { Router } from '../../src/servers/jellyfin/demo/router.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

// What other Jellyfin clients send to `reelterm --demo` (issue 13 §5): a C terminal client writes
// lowercase paths, older clients use the /Users/{userId}/… routes Jellyfin still answers.
const demo = useDemoServer({ users: [{ name: 'demo', password: 'demo' }, { name: 'other', password: 'other' }] });

const SAMPLE_ID = '0123456789abcdef0123456789abcdef';

/** A concrete path for a route template: every `{param}` a GUID, `stream.{container}` an extension. */
function concrete(template: string): string {
  return template.replace(/\.\{[^}]+\}/g, '.mp4').replace(/\{[^}]+\}/g, SAMPLE_ID);
}

describe('route and query-parameter names match case-insensitively, as ASP.NET matches them', () => {
  it('finds every route the demo serves by its lowercase and its uppercase path, literal segments before parameters', () => {
    const router = new Router(ROUTES);
    for (const route of ROUTES) {
      for (const path of [concrete(route.path).toLowerCase(), concrete(route.path).toUpperCase().replace(SAMPLE_ID.toUpperCase(), SAMPLE_ID)]) {
        const match = router.match(route.methods[0]!, path);
        expect(match !== undefined && match !== 'method-not-allowed' ? match.route.path : match, `${route.methods[0]} ${path}`).toBe(route.path);
      }
    }
  });

  it('answers a lowercase client: /system/info, /users/{id}/views, /items/latest', async () => {
    const token = await rawSignIn(demo());
    const userId = demo().users[0]!.id;
    expect((await raw(demo(), 'GET', '/system/info', { token })).json).toMatchObject({ ProductName: 'Jellyfin Server' });
    expect((await raw(demo(), 'GET', '/system/info/public')).json).toMatchObject({ ProductName: 'Jellyfin Server' });
    expect((await raw(demo(), 'GET', `/users/${userId}/views`, { token })).json.Items).toHaveLength(2);
    expect((await raw(demo(), 'GET', '/items/latest', { token })).status).toBe(200);
  });

  it('reads ?StartIndex= and ?startIndex= (and any other casing of a parameter name) alike', async () => {
    const token = await rawSignIn(demo());
    const movies = demo().library.views[0]!.id;
    const pages = await Promise.all(
      ['StartIndex=3&Limit=2&ParentId', 'startIndex=3&limit=2&parentId', 'STARTINDEX=3&LIMIT=2&PARENTID'].map((names) =>
        raw(demo(), 'GET', `/Items?${names}=${movies}`, { token }),
      ),
    );
    for (const page of pages) expect(page.json).toMatchObject({ StartIndex: 3, TotalRecordCount: 36 });
    expect(new Set(pages.map((page) => JSON.stringify(page.json.Items.map((item: { Id: string }) => item.Id)))).size).toBe(1);
  });
});

describe('/System/Info', () => {
  it('needs a token and answers the full SystemInfo with the demo server values', async () => {
    expect(await raw(demo(), 'GET', '/System/Info')).toMatchObject({ status: 401, text: '' });
    const token = await rawSignIn(demo());
    const info = (await raw(demo(), 'GET', '/System/Info', { token })).json;
    expect(info).toMatchObject({
      ServerName: 'reelterm demo',
      Version: '10.11.11',
      ProductName: 'Jellyfin Server',
      Id: expect.stringMatching(/^[0-9a-f]{32}$/),
      LocalAddress: demo().url,
      StartupWizardCompleted: true,
      HasPendingRestart: false,
      IsShuttingDown: false,
      SupportsLibraryMonitor: true,
      WebSocketPortNumber: demo().port,
      CompletedInstallations: [],
    });
    expect(info.Id).toBe((await raw(demo(), 'GET', '/System/Info/Public')).json.Id);
  });
});

describe('/Items/Latest (UserLibraryController.GetLatestMedia)', () => {
  it('is the latest media, not an item id (it was a 400): newest first, episodes grouped under their series', async () => {
    const token = await rawSignIn(demo());
    const reply = await raw(demo(), 'GET', '/Items/Latest?limit=10', { token });
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.json)).toBe(true);
    // The demo library adds its series after its movies, so every series is newer than every movie.
    const series = demo().library.all().filter((item) => item.type === 'Series').reverse();
    expect(reply.json.slice(0, 8).map((item: { Id: string; Type: string; ChildCount: number }) => [item.Id, item.Type, item.ChildCount])).toEqual(
      series.map((show) => [show.id, 'Series', 24]),
    );
    expect(reply.json.slice(8).map((item: { Type: string; ChildCount: number }) => [item.Type, item.ChildCount])).toEqual([
      ['Movie', 0],
      ['Movie', 0],
    ]);
  });

  it('lists the episodes themselves with groupItems=false, and only a library\'s items with parentId', async () => {
    const token = await rawSignIn(demo());
    const episodes = (await raw(demo(), 'GET', '/Items/Latest?groupItems=false&limit=3', { token })).json;
    const newest = demo().library.all().filter((item) => item.type === 'Episode').slice(-3).reverse();
    expect(episodes.map((item: { Id: string; ChildCount: number }) => [item.Id, item.ChildCount])).toEqual(newest.map((episode) => [episode.id, 0]));
    const movies = (await raw(demo(), 'GET', `/Items/Latest?parentId=${demo().library.views[0]!.id}&limit=50`, { token })).json;
    expect(movies).toHaveLength(36);
    expect(movies.every((item: { Type: string; UserData?: unknown }) => item.Type === 'Movie' && item.UserData !== undefined)).toBe(true);
  });

  it('leaves out what the user has played with isPlayed=false', async () => {
    const token = await rawSignIn(demo());
    const newest = demo().library.all().filter((item) => item.type === 'Episode').at(-1)!;
    await raw(demo(), 'POST', `/UserPlayedItems/${newest.id}`, { token });
    const unplayed = (await raw(demo(), 'GET', '/Items/Latest?groupItems=false&isPlayed=false&limit=1', { token })).json;
    expect(unplayed[0].Id).not.toBe(newest.id);
    await raw(demo(), 'DELETE', `/UserPlayedItems/${newest.id}`, { token });
  });
});

describe('/Videos/{itemId}/AdditionalParts', () => {
  it('answers an empty query result for the demo single-file videos, and 404 for an unknown item', async () => {
    const token = await rawSignIn(demo());
    const movie = demo().library.first('Movie');
    expect((await raw(demo(), 'GET', `/Videos/${movie.id}/AdditionalParts`, { token })).json).toEqual({ Items: [], TotalRecordCount: 0, StartIndex: 0 });
    expect((await raw(demo(), 'GET', `/Videos/${SAMPLE_ID}/AdditionalParts`, { token })).status).toBe(404);
    expect((await raw(demo(), 'GET', `/Videos/${movie.id}/AdditionalParts`)).status).toBe(401);
  });
});

describe('legacy /Users/{userId}/… routes answer as their modern routes', () => {
  it('GET Views, Items, Items/Resume, Items/Latest and Items/{itemId} give what the modern routes give', async () => {
    const token = await rawSignIn(demo());
    const userId = demo().users[0]!.id;
    const movie = demo().library.first('Movie');
    await raw(demo(), 'POST', '/UserItems/' + movie.id + '/UserData', { token, body: { PlaybackPositionTicks: 123_000_000 } });
    const shows = demo().library.views[1]!.id;
    const pairs = [
      ['/UserViews', `/Users/${userId}/Views`],
      [`/Items?parentId=${shows}&limit=3&sortBy=SortName`, `/Users/${userId}/Items?parentId=${shows}&limit=3&sortBy=SortName`],
      ['/UserItems/Resume', `/Users/${userId}/Items/Resume`],
      ['/Items/Latest?limit=4', `/Users/${userId}/Items/Latest?limit=4`],
      [`/Items/${movie.id}`, `/Users/${userId}/Items/${movie.id}`],
      [`/UserItems/${movie.id}/UserData`, `/Users/${userId}/Items/${movie.id}/UserData`],
    ];
    for (const [modern, legacy] of pairs) {
      const [a, b] = [await raw(demo(), 'GET', modern!, { token }), await raw(demo(), 'GET', legacy!, { token })];
      expect(b.status, legacy).toBe(200);
      expect(b.json, legacy).toEqual(a.json);
    }
    await raw(demo(), 'POST', '/UserItems/' + movie.id + '/UserData', { token, body: { PlaybackPositionTicks: 0 } });
  });

  it('/Users/{userId}/Items ignores indexNumber, as GetItemsByUserIdLegacy passes it on as null', async () => {
    const token = await rawSignIn(demo());
    const userId = demo().users[0]!.id;
    const query = 'recursive=true&includeItemTypes=Episode&indexNumber=1&limit=1';
    expect((await raw(demo(), 'GET', `/Items?${query}`, { token })).json.TotalRecordCount).toBe(24);
    expect((await raw(demo(), 'GET', `/Users/${userId}/Items?${query}`, { token })).json.TotalRecordCount).toBe(192);
  });

  it('POST and DELETE /Users/{userId}/PlayedItems/{itemId} mark played (keeping datePlayed) and unplayed', async () => {
    const token = await rawSignIn(demo());
    const userId = demo().users[0]!.id;
    const episode = demo().library.first('Episode', (item) => item.indexNumber === 5);
    const marked = await raw(demo(), 'POST', `/users/${userId}/playeditems/${episode.id}?DatePlayed=2024-05-01T20:00:00.000Z`, { token });
    expect(marked.json).toMatchObject({ Played: true, PlayCount: 1, LastPlayedDate: '2024-05-01T20:00:00.0000000Z' });
    expect(demo().userData('demo', episode.id)).toMatchObject({ Played: true });
    const cleared = await raw(demo(), 'DELETE', `/Users/${userId}/PlayedItems/${episode.id}`, { token });
    expect(cleared.json).toMatchObject({ Played: false, PlayCount: 0 });
  });

  it('POST /Users/{userId}/Items/{itemId}/UserData writes user data as /UserItems/{itemId}/UserData does', async () => {
    const token = await rawSignIn(demo());
    const userId = demo().users[0]!.id;
    const movie = demo().library.first('Movie', (item) => item.name !== demo().library.first('Movie').name);
    const reply = await raw(demo(), 'POST', `/Users/${userId}/Items/${movie.id}/UserData`, { token, body: { IsFavorite: true } });
    expect(reply.json).toMatchObject({ IsFavorite: true });
    expect(demo().userData('demo', movie.id).IsFavorite).toBe(true);
  });

  it('answers 403 for another user\'s id (RequestHelpers.GetUserId), 400 for a non-GUID and 401 without a token', async () => {
    const token = await rawSignIn(demo());
    const other = demo().users[1]!.id;
    const movie = demo().library.first('Movie');
    expect((await raw(demo(), 'GET', `/Users/${other}/Views`, { token })).status).toBe(403);
    expect((await raw(demo(), 'POST', `/Users/${other}/PlayedItems/${movie.id}`, { token })).status).toBe(403);
    expect(demo().userData('other', movie.id).Played).toBe(false);
    expect((await raw(demo(), 'GET', '/Users/not-a-guid/Items', { token })).status).toBe(400);
    expect((await raw(demo(), 'GET', `/Users/${demo().users[0]!.id}/Items`)).status).toBe(401);
  });

  it('GET /QuickConnect/Initiate (the obsolete GET) starts a request as POST does', async () => {
    const reply = await raw(demo(), 'GET', '/QuickConnect/Initiate', { headers: { authorization: 'MediaBrowser Client="tv", Device="tv", DeviceId="tv-legacy", Version="1"' } });
    expect(reply.status).toBe(200);
    expect(reply.json.Code).toMatch(/^\d{6}$/);
  });
});

describe('/UserViews is not paged (UserViewsController.GetUserViews takes no startIndex or limit)', () => {
  it('lists every library whatever startIndex and limit say', async () => {
    const token = await rawSignIn(demo());
    const reply = await raw(demo(), 'GET', '/UserViews?startIndex=1&limit=1', { token });
    expect(reply.json).toMatchObject({ TotalRecordCount: 2, StartIndex: 0 });
    expect(reply.json.Items).toHaveLength(2);
  });
});

describe('/Items/{itemId} carries MediaStreams at the top level (DtoService, every field)', () => {
  it('lists the same streams as its media source, and a list only when Fields=MediaStreams asks', async () => {
    const token = await rawSignIn(demo());
    const movie = demo().library.first('Movie');
    const item = (await raw(demo(), 'GET', `/Items/${movie.id}`, { token })).json;
    expect(item.MediaStreams.length).toBeGreaterThan(0);
    expect(item.MediaStreams).toEqual(item.MediaSources[0].MediaStreams);
    expect((await raw(demo(), 'GET', `/Items?ids=${movie.id}`, { token })).json.Items[0]).not.toHaveProperty('MediaStreams');
    expect((await raw(demo(), 'GET', `/Items?ids=${movie.id}&fields=MediaStreams`, { token })).json.Items[0].MediaStreams).toEqual(item.MediaStreams);
  });
});
