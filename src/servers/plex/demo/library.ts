/**
 * The demo Plex server's generated library: a "Movies" section of films and a "TV Shows" section
 * of shows, seasons and episodes, from a seed, with lookups by ratingKey, part id, parent and
 * title. Built for 50,000 films in well under a second: plain records, one map, one sort.
 */
import { CLIP_SECONDS, seededRandom } from '../../demo-kit/index.js';

/** The item types the demo has (PLEX.md §3: movie 1, show 2, season 3, episode 4). */
export type PlexItemType = 'movie' | 'show' | 'season' | 'episode';

/** Plex's numbers for the item types, as `type=` filters use them. */
export const TYPE_NUMBERS: Readonly<Record<PlexItemType, number>> = { movie: 1, show: 2, season: 3, episode: 4 };

/** Every playable item is the clip: 600 s, in ms as Plex sends durations (PLEX.md §1). */
export const CLIP_DURATION_MS = CLIP_SECONDS * 1000;

/** One library section (`/library/sections`). */
export interface PlexSection {
  id: number;
  type: 'movie' | 'show';
  title: string;
  uuid: string;
  agent: string;
  scanner: string;
  language: string;
  updatedAt: number;
}

/** One generated item, as the server stores it (not as it is sent). */
export interface PlexItem {
  /** Opaque string id (PLEX.md §1), numeric here as on a real server. */
  ratingKey: string;
  type: PlexItemType;
  title: string;
  titleSort: string;
  summary: string;
  year: number;
  /** `YYYY-MM-DD`. */
  originallyAvailableAt: string;
  /** Epoch seconds. */
  addedAt: number;
  updatedAt: number;
  sectionId: number;
  /** Episode or season number. */
  index?: number;
  /** An episode's season number. */
  parentIndex?: number;
  parentRatingKey?: string;
  parentTitle?: string;
  grandparentRatingKey?: string;
  grandparentTitle?: string;
  /** Playable items only: the one Media and its one Part. */
  mediaId?: number;
  partId?: number;
  duration?: number;
  /** Where the file would live on the server (`Part.file`). */
  file?: string;
}

/** How big the generated library is (`PlexDemoOptions.library`). */
export interface PlexLibraryShape {
  films?: number;
  shows?: number;
  seasonsPerShow?: number;
  episodesPerSeason?: number;
}

const ADJECTIVES = ['Silent', 'Amber', 'Hollow', 'Crimson', 'Last', 'Northern', 'Paper', 'Iron', 'Quiet', 'Electric', 'Distant', 'Golden', 'Broken', 'Midnight', 'Wandering', 'Glass'];
const NOUNS = ['Harbor', 'Orchard', 'Signal', 'Lighthouse', 'Frontier', 'Garden', 'Engine', 'River', 'Archive', 'Carousel', 'Meridian', 'Valley', 'Station', 'Compass', 'Tide', 'Passage'];
const PLOTS = [
  'A retired cartographer finds a map of a city that does not exist.',
  'Two rival radio hosts are snowed in at the same mountain station.',
  'A night-shift baker keeps receiving orders from the future.',
  'A lighthouse keeper starts answering the signals she was told to ignore.',
  'The last ferry of the season leaves without its captain.',
];

/** Plex's default sort title: the title without a leading article, folded. */
export function sortTitle(title: string): string {
  return title.toLowerCase().replace(/^(the|a|an)\s+/, '');
}

/** Sorts by sort title, then by ratingKey, comparing precomputed keys (the fast way for 50,000 items). */
function sortByTitle(items: PlexItem[]): void {
  const keyed = items.map((item) => ({ title: item.titleSort, key: Number(item.ratingKey), item }));
  keyed.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.key - b.key));
  keyed.forEach((entry, index) => {
    items[index] = entry.item;
  });
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The generated library; the same on every run for the same seed and shape. */
export class PlexLibrary {
  readonly sections: readonly PlexSection[];
  private readonly byKey = new Map<string, PlexItem>();
  private readonly byPart = new Map<number, PlexItem>();
  private readonly childrenOf = new Map<string, PlexItem[]>();
  /** Each section's top-level items (films, shows) by sort title. */
  private readonly topLevel = new Map<number, PlexItem[]>();

  constructor(shape: PlexLibraryShape = {}, seed = 20240601) {
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    // Items were "added" one a minute from 2024-01-01, so addedAt sorts are stable and distinct.
    const epoch = Date.UTC(2024, 0, 1) / 1000;
    let nextKey = 100;
    let nextMedia = 0;
    const movies: PlexSection = { id: 1, type: 'movie', title: 'Movies', uuid: 'a1b2c3d4-0001-4d2e-9f00-000000000001', agent: 'tv.plex.agents.movie', scanner: 'Plex Movie', language: 'en-US', updatedAt: epoch };
    const shows: PlexSection = { id: 2, type: 'show', title: 'TV Shows', uuid: 'a1b2c3d4-0002-4d2e-9f00-000000000002', agent: 'tv.plex.agents.series', scanner: 'Plex TV Series', language: 'en-US', updatedAt: epoch };
    this.sections = [movies, shows];

    const add = (fields: Omit<PlexItem, 'ratingKey' | 'titleSort' | 'addedAt' | 'updatedAt'>, playable: boolean, file?: string): PlexItem => {
      nextKey += 1;
      const addedAt = epoch + (nextKey - 100) * 60;
      // Every item gets every field, so all share one object shape: sorting and paging 50,000 of
      // them stays fast (objects of mixed shapes made the title sort many times slower).
      const item: PlexItem = {
        ratingKey: String(nextKey),
        type: fields.type,
        title: fields.title,
        titleSort: sortTitle(fields.title),
        summary: fields.summary,
        year: fields.year,
        originallyAvailableAt: fields.originallyAvailableAt,
        addedAt,
        updatedAt: addedAt + 3600,
        sectionId: fields.sectionId,
        index: fields.index,
        parentIndex: fields.parentIndex,
        parentRatingKey: fields.parentRatingKey,
        parentTitle: fields.parentTitle,
        grandparentRatingKey: fields.grandparentRatingKey,
        grandparentTitle: fields.grandparentTitle,
        mediaId: undefined,
        partId: undefined,
        duration: undefined,
        file: undefined,
      };
      if (playable) {
        nextMedia += 1;
        // Media and part ids are numbered apart from ratingKeys, so a client that mixes them up fails.
        item.mediaId = nextMedia;
        item.partId = 20_000 + nextMedia;
        item.duration = CLIP_DURATION_MS;
        item.file = file;
        this.byPart.set(item.partId, item);
      }
      this.byKey.set(item.ratingKey, item);
      const parent = item.parentRatingKey;
      if (parent === undefined) {
        const list = this.topLevel.get(item.sectionId);
        if (list) list.push(item);
        else this.topLevel.set(item.sectionId, [item]);
      } else {
        const siblings = this.childrenOf.get(parent);
        if (siblings) siblings.push(item);
        else this.childrenOf.set(parent, [item]);
      }
      return item;
    };

    const films = shape.films ?? 36;
    for (let i = 0; i < films; i += 1) {
      const base = `The ${pick(ADJECTIVES)} ${pick(NOUNS)}`;
      // Past the word list's combinations, a sequel number keeps titles readable and distinct enough.
      const title = i < 40 ? base : `${base} ${2 + (i % 97)}`;
      const year = 1960 + Math.floor(random() * 65);
      const date = isoDate(year, 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28));
      add({ type: 'movie', title, summary: pick(PLOTS), year, originallyAvailableAt: date, sectionId: movies.id }, true, `/media/movies/${title} (${year})/${title}.mp4`);
    }

    const showCount = shape.shows ?? 4;
    const seasonsPerShow = shape.seasonsPerShow ?? 2;
    const episodesPerSeason = shape.episodesPerSeason ?? 6;
    for (let s = 0; s < showCount; s += 1) {
      const year = 1990 + Math.floor(random() * 34);
      const title = `${pick(ADJECTIVES)} ${pick(NOUNS)}${s >= 16 ? ` ${s}` : ''}`;
      const show = add({ type: 'show', title, summary: pick(PLOTS), year, originallyAvailableAt: isoDate(year, 9, 1), sectionId: shows.id }, false);
      for (let n = 1; n <= seasonsPerShow; n += 1) {
        const season = add(
          { type: 'season', title: `Season ${n}`, summary: '', year: year + n - 1, originallyAvailableAt: isoDate(year + n - 1, 9, 1), sectionId: shows.id, index: n, parentRatingKey: show.ratingKey, parentTitle: show.title },
          false,
        );
        for (let e = 1; e <= episodesPerSeason; e += 1) {
          const episodeTitle = `${pick(['The', 'Our', 'One'])} ${pick(NOUNS)} ${pick(['Problem', 'Visit', 'Night', 'Letter', 'Promise', 'Detour'])}`;
          const code = `S${String(n).padStart(2, '0')}E${String(e).padStart(2, '0')}`;
          add(
            {
              type: 'episode',
              title: episodeTitle,
              summary: pick(PLOTS),
              year: year + n - 1,
              originallyAvailableAt: isoDate(year + n - 1, 9, Math.min(28, 7 * e)),
              sectionId: shows.id,
              index: e,
              parentIndex: n,
              parentRatingKey: season.ratingKey,
              parentTitle: season.title,
              grandparentRatingKey: show.ratingKey,
              grandparentTitle: show.title,
            },
            true,
            `/media/shows/${title}/Season ${n}/${title} - ${code}.mp4`,
          );
        }
      }
    }
    for (const list of this.topLevel.values()) sortByTitle(list);
  }

  /** The item with this ratingKey, if any. */
  get(ratingKey: string): PlexItem | undefined {
    return this.byKey.get(ratingKey);
  }

  /** The playable item a part id belongs to. */
  byPartId(partId: number): PlexItem | undefined {
    return this.byPart.get(partId);
  }

  section(id: number): PlexSection | undefined {
    return this.sections.find((section) => section.id === id);
  }

  /** A section's films or shows, by sort title. */
  topLevelOf(sectionId: number): readonly PlexItem[] {
    return this.topLevel.get(sectionId) ?? [];
  }

  /** Direct children: a show's seasons, a season's episodes, in order. */
  children(ratingKey: string): readonly PlexItem[] {
    return this.childrenOf.get(ratingKey) ?? [];
  }

  /** The playable items at or below an item (for a film or an episode, the item itself). */
  leaves(item: PlexItem): PlexItem[] {
    if (item.partId !== undefined) return [item];
    return this.children(item.ratingKey).flatMap((child) => this.leaves(child));
  }

  /** Every item of a type in a section: films and shows by sort title, seasons and episodes in order. */
  ofType(sectionId: number, type: PlexItemType): PlexItem[] {
    const top = this.topLevelOf(sectionId);
    if (type === 'movie' || type === 'show') return top.filter((item) => item.type === type);
    const seasons = top.flatMap((show) => [...this.children(show.ratingKey)]);
    return type === 'season' ? seasons : seasons.flatMap((season) => [...this.children(season.ratingKey)]);
  }

  /** Every item, in generation order. */
  all(): IterableIterator<PlexItem> {
    return this.byKey.values();
  }

  /** The first item with this title (and type, when given), for tests; throws when there is none. */
  find(title: string, type?: PlexItemType): PlexItem {
    for (const item of this.byKey.values()) if (item.title === title && (type === undefined || item.type === type)) return item;
    throw new Error(`The demo Plex library has no ${type ?? 'item'} titled ${JSON.stringify(title)}`);
  }

  /** The first item of a type (in generation order) that matches `where`, for tests. */
  first(type: PlexItemType, where: (item: PlexItem) => boolean = () => true): PlexItem {
    for (const item of this.byKey.values()) if (item.type === type && where(item)) return item;
    throw new Error(`The demo Plex library has no matching ${type}`);
  }

  /** How many items the library holds. */
  get size(): number {
    return this.byKey.size;
  }
}
