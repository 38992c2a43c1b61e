import { describe, expect, it } from 'vitest';
import { CLIP_RUNTIME_TICKS } from '../../src/servers/jellyfin/demo/index.js';
import { DemoLibrary } from '../../src/servers/jellyfin/demo/library.js';

describe('the generated library', () => {
  it('is the same on every run', () => {
    const a = new DemoLibrary();
    const b = new DemoLibrary();
    expect(a.all().map((item) => [item.id, item.name, item.productionYear])).toEqual(b.all().map((item) => [item.id, item.name, item.productionYear]));
  });

  it('holds a few hundred movies, series, seasons and episodes by default', () => {
    const library = new DemoLibrary();
    const count = (type: string) => library.all().filter((item) => item.type === type).length;
    expect([count('Movie'), count('Series'), count('Season'), count('Episode')]).toEqual([36, 8, 24, 192]);
    expect(library.views.map((view) => view.name)).toEqual(['Movies', 'Shows']);
  });

  it('gives every video the clip\'s runtime and 32-hex ids', () => {
    const library = new DemoLibrary();
    for (const item of library.all()) {
      expect(item.id).toMatch(/^[0-9a-f]{32}$/);
      if (!item.isFolder) expect(item.runTimeTicks).toBe(CLIP_RUNTIME_TICKS);
    }
  });

  it('links episodes to their season and series', () => {
    const library = new DemoLibrary({ series: 1, seasonsPerSeries: 2, episodesPerSeason: 3 });
    const series = library.first('Series');
    const episodes = library.episodesOf(series.id);
    expect(episodes.map((e) => [e.parentIndexNumber, e.indexNumber])).toEqual([[1, 1], [1, 2], [1, 3], [2, 1], [2, 2], [2, 3]]);
    expect(episodes.every((e) => e.seriesId === series.id && e.seriesName === series.name && library.get(e.seasonId!)?.type === 'Season')).toBe(true);
  });

  // How fast it is generated is the benchmarks' business (bench/): a test asserts no duration.
  it('generates a 50,000-movie library', () => {
    const library = new DemoLibrary({ extraItems: 50_000 });
    expect(library.children(library.views[0]!.id)).toHaveLength(50_036);
  });

  it('lets a hook rename items, and series names follow into episodes', () => {
    const library = new DemoLibrary({ series: 1 }, (item) => (item.type === 'Series' ? { name: 'Renamed\x1b[31m' } : undefined));
    const episode = library.first('Episode');
    expect(episode.seriesName).toBe('Renamed\x1b[31m');
    expect(library.find('Renamed\x1b[31m', 'Series').id).toBe(episode.seriesId);
  });

  it('throws when a test looks for a name that does not exist', () => {
    expect(() => new DemoLibrary().find('No Such Film')).toThrow(/no item named "No Such Film"/);
  });
});
