import { describe, expect, it } from 'vitest';
import { CLIP_RUNTIME_TICKS } from '../../src/servers/jellyfin/demo/index.js';
import { signedInClient, useDemoServer } from '../helpers/demo-server.js';

const HOSTILE = 'Evil\x1b]0;pwned\x07 \x1b[2JTitle\x9b31m\x00!';
const server = useDemoServer({
  library: { movies: 30, series: 3, seasonsPerSeries: 2, episodesPerSeason: 4 },
  titles: (item) => (item.type === 'Movie' && item.name.includes('Amber') ? { name: HOSTILE, overview: 'Line one\r\n\x1b]52;c;Zm9v\x07Line two\x9d' } : undefined),
});

describe('browsing', () => {
  it('lists the two libraries', async () => {
    const client = await signedInClient(server());
    const views = await client.userViews();
    expect(views.map((view) => [view.name, view.type, view.collectionType])).toEqual([
      ['Movies', 'CollectionFolder', 'movies'],
      ['Shows', 'CollectionFolder', 'tvshows'],
    ]);
  });

  it('pages a library with StartIndex, Limit and TotalRecordCount', async () => {
    const client = await signedInClient(server());
    const movies = server().library.views[0]!.id;
    const first = await client.items({ parentId: movies, limit: 10 });
    const third = await client.items({ parentId: movies, startIndex: 20, limit: 10 });
    const past = await client.items({ parentId: movies, startIndex: 30, limit: 10 });
    expect([first.total, first.items.length, first.startIndex]).toEqual([30, 10, 0]);
    expect([third.items.length, third.startIndex]).toEqual([10, 20]);
    expect(past).toEqual({ items: [], total: 30, startIndex: 30 });
    expect(new Set([...first.items, ...third.items].map((item) => item.id)).size).toBe(20);
  });

  it('maps a movie with its year, runtime, overview and watch state', async () => {
    const client = await signedInClient(server());
    const [movie] = (await client.items({ parentId: server().library.views[0]!.id, limit: 1, sortBy: ['ProductionYear'], sortOrder: 'Descending' })).items;
    expect(movie).toMatchObject({ type: 'Movie', isFolder: false, runtimeTicks: CLIP_RUNTIME_TICKS, userData: { positionTicks: 0, played: false, playCount: 0 } });
    expect(movie?.year).toBeGreaterThanOrEqual(1960);
    expect(movie?.overview).toMatch(/\w/);
  });

  it('sorts by the requested field and order', async () => {
    const client = await signedInClient(server());
    const { items } = await client.items({ parentId: server().library.views[0]!.id, sortBy: ['ProductionYear', 'SortName'], sortOrder: 'Descending' });
    const years = items.map((item) => item.year ?? 0);
    expect(years).toEqual([...years].sort((a, b) => b - a));
  });

  it('lists seasons, all episodes, and one season\'s episodes', async () => {
    const client = await signedInClient(server());
    const series = server().library.first('Series');
    const seasons = await client.seasons(series.id);
    expect(seasons.map((season) => [season.name, season.indexNumber, season.childCount])).toEqual([
      ['Season 1', 1, 4],
      ['Season 2', 2, 4],
    ]);
    const all = await client.episodes(series.id);
    expect(all.map((episode) => `${episode.parentIndexNumber}x${episode.indexNumber}`)).toEqual(['1x1', '1x2', '1x3', '1x4', '2x1', '2x2', '2x3', '2x4']);
    const second = await client.episodes(series.id, { seasonId: seasons[1]!.id });
    expect(second.map((episode) => episode.seasonId)).toEqual(Array(4).fill(seasons[1]!.id));
    expect(second[0]).toMatchObject({ seriesId: series.id, seriesName: series.name, seasonName: 'Season 2', type: 'Episode' });
  });

  it('searches recursively by name', async () => {
    const client = await signedInClient(server());
    const target = server().library.first('Movie', (item) => !item.name.includes('Evil'));
    const word = target.name.split(' ').at(-1)!;
    const found = await client.items({ searchTerm: word.toLowerCase(), recursive: true, includeItemTypes: ['Movie'] });
    expect(found.items.map((item) => item.id)).toContain(target.id);
    expect(found.items.every((item) => item.name.toLowerCase().includes(word.toLowerCase()))).toBe(true);
  });

  it('filters by played state', async () => {
    // Given one watched movie
    const client = await signedInClient(server());
    const movie = server().library.first('Movie');
    await client.markPlayed(movie.id);
    // When listing played and unplayed movies
    const played = await client.items({ recursive: true, includeItemTypes: ['Movie'], isPlayed: true });
    const unplayed = await client.items({ recursive: true, includeItemTypes: ['Movie'], isPlayed: false });
    // Then the watched one is only in the first list
    expect(played.items.map((item) => item.id)).toEqual([movie.id]);
    expect(unplayed.total).toBe(29);
    await client.markUnplayed(movie.id);
  });

  it('fetches one item with its UserData', async () => {
    const client = await signedInClient(server());
    const movie = server().library.first('Movie');
    server().setUserData('demo', movie.id, { playbackPositionTicks: 1_200_000_000, lastPlayedDate: new Date('2024-05-01T10:00:00Z'), playCount: 2 });
    const item = await client.item(movie.id);
    expect(item.userData).toEqual({
      positionTicks: 1_200_000_000,
      played: false,
      playCount: 2,
      lastPlayedDate: new Date('2024-05-01T10:00:00Z'),
      playedPercentage: 20,
      unplayedItemCount: undefined,
      readAt: expect.any(Number),
    });
    await client.markUnplayed(movie.id);
  });

  it('lists resumable items, most recently played first', async () => {
    // Given two movies with positions, the second played later
    const client = await signedInClient(server());
    const [a, b] = server().library.all().filter((item) => item.type === 'Movie').slice(3, 5);
    server().setUserData('demo', a!.id, { playbackPositionTicks: 900_000_000, lastPlayedDate: new Date('2024-01-01T00:00:00Z') });
    server().setUserData('demo', b!.id, { playbackPositionTicks: 900_000_000, lastPlayedDate: new Date('2024-02-01T00:00:00Z') });
    // When asking what to continue
    const resume = await client.resume();
    // Then both are listed, newest first
    expect(resume.map((item) => item.id)).toEqual([b!.id, a!.id]);
    await client.markUnplayed(a!.id);
    await client.markUnplayed(b!.id);
  });

  it('offers the episode after the last one watched as next up', async () => {
    // Given S1E1 and S1E2 of a series watched
    const client = await signedInClient(server());
    const series = server().library.first('Series');
    const episodes = await client.episodes(series.id);
    await client.markPlayed(episodes[0]!.id, new Date('2024-03-01T00:00:00Z'));
    await client.markPlayed(episodes[1]!.id, new Date('2024-03-02T00:00:00Z'));
    // When asking for next up
    const next = await client.nextUp();
    // Then S1E3 is offered
    expect(next.map((item) => item.id)).toEqual([episodes[2]!.id]);
    expect(await client.nextUp({ seriesId: series.id })).toHaveLength(1);
    await client.markUnplayed(series.id);
    expect(await client.nextUp()).toEqual([]);
  });

  it('orders next up by the series played most recently', async () => {
    const client = await signedInClient(server());
    const [older, newer] = server().library.all().filter((item) => item.type === 'Series');
    const olderEpisodes = await client.episodes(older!.id);
    const newerEpisodes = await client.episodes(newer!.id);
    await client.markPlayed(olderEpisodes[0]!.id, new Date('2024-01-01T00:00:00Z'));
    await client.markPlayed(newerEpisodes[4]!.id, new Date('2024-06-01T00:00:00Z'));
    expect((await client.nextUp()).map((item) => item.id)).toEqual([newerEpisodes[5]!.id, olderEpisodes[1]!.id]);
    await client.markUnplayed(older!.id);
    await client.markUnplayed(newer!.id);
  });

  it('sanitises a hostile title and overview from the server', async () => {
    const client = await signedInClient(server());
    const { items } = await client.items({ searchTerm: 'Evil', recursive: true, includeItemTypes: ['Movie'] });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.name).toBe('Evil Title!');
      expect(item.overview).toBe('Line one\nLine two');
      expect(`${item.name}${item.overview}`).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    }
  });
});
