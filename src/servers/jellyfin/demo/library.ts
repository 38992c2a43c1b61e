import type { BaseItemKind, CollectionType } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { seededRandom } from '../../demo-kit/random.js';
import { CLIP_RUNTIME_TICKS } from './clip.js';
import { guidFrom } from './wire.js';

/** The demo kit's seeded generator (mulberry32): the same library on every run. */
export { seededRandom };

/** The kinds of item the demo library holds. */
export type DemoItemType = Extract<BaseItemKind, 'CollectionFolder' | 'Movie' | 'Series' | 'Season' | 'Episode'>;

/** One item of the generated library, as the server stores it (not as it is sent). */
export interface DemoItem {
  id: string;
  type: DemoItemType;
  name: string;
  /** Name folded for sorting (articles dropped, lower case), like Jellyfin's SortName. */
  sortName: string;
  overview?: string;
  /** The library for movies and series, the series for seasons, the season for episodes. */
  parentId?: string;
  collectionType?: CollectionType;
  isFolder: boolean;
  productionYear?: number;
  premiereDate?: Date;
  dateCreated: Date;
  runTimeTicks?: number;
  indexNumber?: number;
  parentIndexNumber?: number;
  seriesId?: string;
  seriesName?: string;
  seasonId?: string;
  seasonName?: string;
  /** Where the server would keep the file (sent only when `Fields=Path` is asked for). */
  path?: string;
}

/** What the `titles` hook is told about an item before it is named. */
export interface TitleRequest {
  type: DemoItemType;
  /** The generated name. */
  name: string;
  /** The generated overview, when the item has one. */
  overview?: string;
}

/** Replaces a generated name or overview, e.g. with a hostile one in a test. */
export type TitleHook = (item: TitleRequest) => { name?: string; overview?: string } | undefined;

/** How big the generated library is. */
export interface LibraryShape {
  movies?: number;
  series?: number;
  seasonsPerSeries?: number;
  episodesPerSeason?: number;
  /** Extra movies on top of `movies`, for benchmarks (e.g. 50,000). */
  extraItems?: number;
}

const ADJECTIVES = ['Silent', 'Amber', 'Hollow', 'Crimson', 'Last', 'Northern', 'Paper', 'Iron', 'Quiet', 'Electric', 'Distant', 'Golden', 'Broken', 'Midnight', 'Wandering', 'Glass', 'Secret', 'Winter', 'Burning', 'Lonely'];
const NOUNS = ['Harbor', 'Orchard', 'Signal', 'Lighthouse', 'Frontier', 'Garden', 'Engine', 'River', 'Archive', 'Carousel', 'Meridian', 'Valley', 'Kingdom', 'Station', 'Compass', 'Theatre', 'Tide', 'Observatory', 'Circuit', 'Passage'];
const PLOTS = [
  'A retired cartographer finds a map of a city that does not exist.',
  'Two rival radio hosts are snowed in at the same mountain station.',
  'A night-shift baker keeps receiving orders from the future.',
  'An orchestra rehearses for a concert nobody remembers booking.',
  'A lighthouse keeper starts answering the signals she was told to ignore.',
  'A family road trip turns into a search for a missing uncle and a missing decade.',
  'The last ferry of the season leaves without its captain.',
  'A chess prodigy and a pickpocket share a train compartment for three days.',
];
const SHOW_PLOTS = [
  'Each week the residents of a small harbor town solve a problem nobody asked them to.',
  'A team of archivists restores lost broadcasts and the lives attached to them.',
  'Four strangers inherit a failing observatory and its unpaid electricity bill.',
  'A travelling theatre company crosses the country one disastrous show at a time.',
];

/** Folds a name the way Jellyfin's SortName does for English titles. */
export function sortNameOf(name: string): string {
  return name.toLowerCase().replace(/^(the|a|an)\s+/, '');
}

function compareSortName(a: DemoItem, b: DemoItem): number {
  return a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.id < b.id ? -1 : 1;
}

/**
 * The demo server's in-memory library: "Movies" and "Shows" libraries, generated from a
 * seed, with lookups by id, by parent, and by name for tests.
 */
export class DemoLibrary {
  /** The libraries, as `/UserViews` lists them. */
  readonly views: DemoItem[] = [];
  private readonly byId = new Map<string, DemoItem>();
  private readonly childrenOf = new Map<string, DemoItem[]>();

  constructor(shape: LibraryShape = {}, titles?: TitleHook) {
    const random = seededRandom(20240601);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const epoch = Date.UTC(2024, 0, 1);
    let sequence = 0;
    const add = (fields: Omit<DemoItem, 'id' | 'sortName' | 'dateCreated'>): DemoItem => {
      sequence += 1;
      const renamed = titles?.({ type: fields.type, name: fields.name, overview: fields.overview });
      const name = renamed?.name ?? fields.name;
      const item: DemoItem = {
        ...fields,
        id: guidFrom(`reelterm-demo-${sequence}`),
        name,
        sortName: sortNameOf(name),
        overview: renamed?.overview ?? fields.overview,
        dateCreated: new Date(epoch + sequence * 60_000),
      };
      this.byId.set(item.id, item);
      if (item.parentId !== undefined) {
        const siblings = this.childrenOf.get(item.parentId);
        if (siblings) siblings.push(item);
        else this.childrenOf.set(item.parentId, [item]);
      }
      return item;
    };

    const movies = add({ type: 'CollectionFolder', name: 'Movies', collectionType: 'movies', isFolder: true, path: '/media/movies' });
    const shows = add({ type: 'CollectionFolder', name: 'Shows', collectionType: 'tvshows', isFolder: true, path: '/media/shows' });
    this.views.push(movies, shows);

    const movieCount = (shape.movies ?? 36) + (shape.extraItems ?? 0);
    for (let i = 0; i < movieCount; i += 1) {
      const base = `The ${pick(ADJECTIVES)} ${pick(NOUNS)}`;
      // Past the word list's combinations, a sequel number keeps names readable and distinct enough.
      const name = i < 40 ? base : `${base} ${2 + (i % 7)}`;
      const year = 1960 + Math.floor(random() * 65);
      add({
        type: 'Movie',
        name,
        overview: pick(PLOTS),
        parentId: movies.id,
        isFolder: false,
        productionYear: year,
        premiereDate: new Date(Date.UTC(year, Math.floor(random() * 12), 1 + Math.floor(random() * 28))),
        runTimeTicks: CLIP_RUNTIME_TICKS,
        path: `/media/movies/${name} (${year})/${name}.mp4`,
      });
    }

    const seriesCount = shape.series ?? 8;
    const seasonsPerSeries = shape.seasonsPerSeries ?? 3;
    const episodesPerSeason = shape.episodesPerSeason ?? 8;
    for (let s = 0; s < seriesCount; s += 1) {
      const year = 1990 + Math.floor(random() * 34);
      const series = add({
        type: 'Series',
        name: `${pick(ADJECTIVES)} ${pick(NOUNS)}`,
        overview: pick(SHOW_PLOTS),
        parentId: shows.id,
        isFolder: true,
        productionYear: year,
        premiereDate: new Date(Date.UTC(year, 8, 1)),
        path: `/media/shows/series-${s + 1}`,
      });
      for (let n = 1; n <= seasonsPerSeries; n += 1) {
        const season = add({
          type: 'Season',
          name: `Season ${n}`,
          parentId: series.id,
          isFolder: true,
          productionYear: year + n - 1,
          indexNumber: n,
          seriesId: series.id,
          seriesName: series.name,
          path: `${series.path}/Season ${n}`,
        });
        for (let e = 1; e <= episodesPerSeason; e += 1) {
          const episodeName = `${pick(['The', 'Our', 'One'])} ${pick(NOUNS)} ${pick(['Problem', 'Visit', 'Night', 'Letter', 'Promise', 'Detour'])}`;
          add({
            type: 'Episode',
            name: episodeName,
            overview: pick(PLOTS),
            parentId: season.id,
            isFolder: false,
            productionYear: year + n - 1,
            premiereDate: new Date(Date.UTC(year + n - 1, 8, 7 * e)),
            runTimeTicks: CLIP_RUNTIME_TICKS,
            indexNumber: e,
            parentIndexNumber: n,
            seriesId: series.id,
            seriesName: series.name,
            seasonId: season.id,
            seasonName: season.name,
            path: `${season.path}/S${String(n).padStart(2, '0')}E${String(e).padStart(2, '0')}.mp4`,
          });
        }
      }
    }

    for (const [parentId, children] of this.childrenOf) {
      const parent = this.byId.get(parentId);
      if (parent?.type === 'CollectionFolder') children.sort(compareSortName);
    }
  }

  /** The item with this id (lowercase "N" form), if any. */
  get(id: string): DemoItem | undefined {
    return this.byId.get(id);
  }

  /** Every item except the libraries themselves. */
  all(): DemoItem[] {
    return [...this.byId.values()].filter((item) => item.type !== 'CollectionFolder');
  }

  /** Direct children: movies and series by name; seasons and episodes in broadcast order. */
  children(id: string): readonly DemoItem[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** Every item below `id`, depth first. */
  descendants(id: string): DemoItem[] {
    const out: DemoItem[] = [];
    const walk = (parentId: string): void => {
      for (const child of this.children(parentId)) {
        out.push(child);
        if (child.isFolder) walk(child.id);
      }
    };
    walk(id);
    return out;
  }

  /** The playable items below a folder (for a video, the video itself). */
  leaves(item: DemoItem): DemoItem[] {
    return item.isFolder ? this.descendants(item.id).filter((child) => !child.isFolder) : [item];
  }

  /** A series' episodes, ordered by season then episode number. */
  episodesOf(seriesId: string): DemoItem[] {
    return this.children(seriesId).flatMap((season) => [...this.children(season.id)]);
  }

  /**
   * The first item with this name (and type, when given), for tests.
   * Throws when there is none, so a test cannot silently act on nothing.
   */
  find(name: string, type?: DemoItemType): DemoItem {
    for (const item of this.byId.values()) {
      if (item.name === name && (type === undefined || item.type === type)) return item;
    }
    throw new Error(`The demo library has no ${type ?? 'item'} named ${JSON.stringify(name)}`);
  }

  /** The first item of a type (in generation order) that matches `where`, for tests. */
  first(type: DemoItemType, where: (item: DemoItem) => boolean = () => true): DemoItem {
    for (const item of this.byId.values()) if (item.type === type && where(item)) return item;
    throw new Error(`The demo library has no matching ${type}`);
  }

  /** How many items the library holds, libraries included. */
  get size(): number {
    return this.byId.size;
  }
}
