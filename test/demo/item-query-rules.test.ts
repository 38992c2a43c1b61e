import { describe, expect, it } from 'vitest';
import type { DemoServer, TitleHook } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

// Generation order; BaseItem.CreateSortName folds them to zebra, banana 0000000010, eclair, apple, …
const MOVIES = ['The Zebra', 'Banana 10', 'Éclair', 'Apple', 'An Elephant', 'Banana 9', 'Harborview', 'A Harbor Tale', 'Harbor Lights', 'Harbor'];

function movieNames(): TitleHook {
  let next = 0;
  return (item) => (item.type === 'Movie' ? { name: MOVIES[next++] } : undefined);
}

const shape = { movies: MOVIES.length, series: 2, seasonsPerSeries: 2, episodesPerSeason: 2 };
const v10 = useDemoServer({ version: '10.11.11', library: shape, titles: movieNames() });
const v12 = useDemoServer({ version: '12.0.0', library: shape, titles: movieNames() });

async function list(server: DemoServer, query: string): Promise<{ names: string[]; types: string[]; total: number }> {
  const reply = await raw(server, 'GET', `/Items?${query}`, { token: await rawSignIn(server) });
  expect(reply.status, query).toBe(200);
  const items = reply.json.Items as Array<{ Name: string; Type: string }>;
  return { names: items.map((item) => item.Name), types: items.map((item) => item.Type), total: reply.json.TotalRecordCount as number };
}

const shows = (server: DemoServer) => server.library.views[1]!.id;

describe('the order of /Items without SortBy', () => {
  it.each([
    ['10.11', v10],
    ['12.0', v12],
  ])('is SortName for a recursive query on %s: articles dropped, numbers compared as numbers, accents ignored', async (_version, server) => {
    const { names } = await list(server(), 'recursive=true&includeItemTypes=Movie');
    expect(names).toEqual(['Apple', 'Banana 9', 'Banana 10', 'Éclair', 'An Elephant', 'Harbor', 'Harbor Lights', 'A Harbor Tale', 'Harborview', 'The Zebra']);
  });

  it('puts episodes in season and episode order, ahead of names, as their SortName starts "001 - 0001 - "', async () => {
    const { types } = await list(v10(), `recursive=true&parentId=${shows(v10())}&includeItemTypes=Episode,Series`);
    expect(types).toEqual([...Array(8).fill('Episode'), 'Series', 'Series']);
    const series = v10().library.first('Series');
    const episodes = await list(v10(), `recursive=true&parentId=${series.id}&includeItemTypes=Episode`);
    expect(episodes.names).toEqual(v10().library.episodesOf(series.id).map((episode) => episode.name));
  });

  it('walks the folders for a recursive query naming no type (the in-memory branch): children first, then each subfolder', async () => {
    const { types } = await list(v10(), `recursive=true&parentId=${shows(v10())}`);
    const oneSeries = ['Season', 'Season', 'Episode', 'Episode', 'Episode', 'Episode'];
    expect(types).toEqual(['Series', 'Series', ...oneSeries, ...oneSeries]);
  });

  it('keeps a folder\'s own order without recursion, and sorts it only when asked', async () => {
    const season = v10().library.first('Season');
    const episodes = [...v10().library.children(season.id)].map((episode) => episode.name);
    expect((await list(v10(), `parentId=${season.id}`)).names).toEqual(episodes);
    expect((await list(v10(), `parentId=${season.id}&sortBy=Name&sortOrder=Descending`)).names).toEqual([...episodes].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : -1)));
  });

  it('answers the bare root listing with the libraries, whole: type filters, SortBy and paging do not apply (10.11)', async () => {
    const root = await list(v10(), 'includeItemTypes=Movie&sortBy=SortName&sortOrder=Descending&limit=1');
    expect(root).toEqual({ names: ['Movies', 'Shows'], types: ['CollectionFolder', 'CollectionFolder'], total: 2 });
  });

  it('puts SortName before the asked order in a 10.11 search, and relevance first in a 12.0 search', async () => {
    const query = 'searchTerm=harbor&recursive=true&includeItemTypes=Movie&sortBy=DateCreated&sortOrder=Descending';
    expect((await list(v10(), query)).names).toEqual(['Harbor', 'Harbor Lights', 'A Harbor Tale', 'Harborview']);
    // 12.0: exact name, then the term followed by a space, then the term as a prefix, then the rest
    expect((await list(v12(), query)).names).toEqual(['Harbor', 'Harbor Lights', 'Harborview', 'A Harbor Tale']);
  });
});

describe('recursive by default on 12.0 when includeItemTypes is given', () => {
  it('lists a library\'s episodes on 12.0 and none of its direct children on 10.11', async () => {
    expect((await list(v12(), `parentId=${shows(v12())}&includeItemTypes=Episode`)).total).toBe(8);
    expect((await list(v10(), `parentId=${shows(v10())}&includeItemTypes=Episode`)).total).toBe(0);
  });

  it('lists every movie from the root on 12.0, where 10.11 lists the libraries', async () => {
    expect((await list(v12(), 'includeItemTypes=Movie')).total).toBe(MOVIES.length);
    expect((await list(v10(), 'includeItemTypes=Movie')).types).toEqual(['CollectionFolder', 'CollectionFolder']);
  });

  it('stays non-recursive on 12.0 without a type, or when recursive=false is sent', async () => {
    expect((await list(v12(), `parentId=${shows(v12())}`)).types).toEqual(['Series', 'Series']);
    expect((await list(v12(), `parentId=${shows(v12())}&includeItemTypes=Episode&recursive=false`)).total).toBe(0);
  });
});

describe('list parameters, bound as CommaDelimitedArrayModelBinder binds them', () => {
  it('drops a type name it does not know instead of filtering everything out', async () => {
    const movies = v10().library.views[0]!.id;
    expect((await list(v10(), `recursive=true&parentId=${movies}&includeItemTypes=Bogus`)).total).toBe(MOVIES.length);
    expect((await list(v10(), `recursive=true&includeItemTypes=Bogus,Movie`)).types).toEqual(Array(MOVIES.length).fill('Movie'));
  });

  it('drops an id that is not a GUID instead of answering 400', async () => {
    const movie = v10().library.find('Apple', 'Movie');
    expect((await list(v10(), `ids=not-a-guid,${movie.id}`)).names).toEqual(['Apple']);
  });
});
