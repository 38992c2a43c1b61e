import type { DemoState } from './context.js';
import type { DemoItem } from './library.js';
import { BadRequest } from './request.js';

/** The `/Items` filters the demo understands (`ItemsController.GetItems`). */
export interface ItemQuery {
  userId: string;
  parentId?: string;
  recursive: boolean;
  includeItemTypes: string[];
  excludeItemTypes: string[];
  searchTerm?: string;
  ids: string[];
  filters: string[];
  isPlayed?: boolean;
  parentIndexNumber?: number;
  indexNumber?: number;
  sortBy: string[];
  sortOrder: string[];
}

type Comparator = (a: DemoItem, b: DemoItem) => number;

function byNumber(value: (item: DemoItem) => number | undefined): Comparator {
  return (a, b) => (value(a) ?? -Infinity) - (value(b) ?? -Infinity);
}

function byText(value: (item: DemoItem) => string): Comparator {
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** Whether the user has watched an item; a folder counts as watched when all its episodes are. */
export function isPlayedBy(state: DemoState, userId: string, item: DemoItem): boolean {
  if (!item.isFolder) return state.userData.get(userId, item.id).played;
  const leaves = state.library.leaves(item);
  return leaves.length > 0 && leaves.every((leaf) => state.userData.get(userId, leaf.id).played);
}

function comparatorFor(state: DemoState, userId: string, sortBy: string): Comparator | undefined {
  const data = (item: DemoItem) => state.userData.get(userId, item.id);
  switch (sortBy.toLowerCase()) {
    case 'sortname':
    case 'default':
      return byText((item) => item.sortName);
    case 'name':
      return byText((item) => item.name.toLowerCase());
    case 'seriessortname':
      return byText((item) => (item.seriesName ?? item.name).toLowerCase());
    case 'productionyear':
      return byNumber((item) => item.productionYear);
    case 'premieredate':
      return byNumber((item) => item.premiereDate?.getTime());
    case 'datecreated':
      return byNumber((item) => item.dateCreated.getTime());
    case 'dateplayed':
      return byNumber((item) => data(item).lastPlayedDate?.getTime());
    case 'runtime':
      return byNumber((item) => item.runTimeTicks);
    case 'playcount':
      return byNumber((item) => data(item).playCount);
    case 'indexnumber':
      return byNumber((item) => item.indexNumber);
    case 'parentindexnumber':
      return byNumber((item) => item.parentIndexNumber);
    case 'isfolder':
      return byNumber((item) => (item.isFolder ? 1 : 0));
    case 'isplayed':
      return byNumber((item) => (isPlayedBy(state, userId, item) ? 1 : 0));
    case 'isunplayed':
      return byNumber((item) => (isPlayedBy(state, userId, item) ? 0 : 1));
    default:
      // Unknown SortBy values are ignored by the server.
      return undefined;
  }
}

/** Sorts by a `SortBy` list with its `SortOrder` list; unknown names are skipped. */
export function sortItems(state: DemoState, userId: string, items: DemoItem[], sortBy: string[], sortOrder: string[]): DemoItem[] {
  const comparators: Comparator[] = [];
  sortBy.forEach((name, index) => {
    const compare = comparatorFor(state, userId, name);
    if (!compare) return;
    const order = (sortOrder[index] ?? sortOrder[0] ?? 'Ascending').toLowerCase();
    comparators.push(order === 'descending' ? (a, b) => compare(b, a) : compare);
  });
  if (comparators.length === 0) return items;
  return [...items].sort((a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
}

function passesFilters(state: DemoState, query: ItemQuery, item: DemoItem): boolean {
  const data = () => state.userData.get(query.userId, item.id);
  for (const filter of query.filters) {
    switch (filter.toLowerCase()) {
      case 'isfolder':
        if (!item.isFolder) return false;
        break;
      case 'isnotfolder':
        if (item.isFolder) return false;
        break;
      case 'isplayed':
        if (!isPlayedBy(state, query.userId, item)) return false;
        break;
      case 'isunplayed':
        if (isPlayedBy(state, query.userId, item)) return false;
        break;
      case 'isresumable':
        if (data().playbackPositionTicks <= 0) return false;
        break;
      case 'isfavorite':
        if (!data().isFavorite) return false;
        break;
      case 'likes':
        if (data().likes !== true) return false;
        break;
      case 'dislikes':
        if (data().likes !== false) return false;
        break;
      case 'isfavoriteorlikes':
        if (!data().isFavorite && data().likes !== true) return false;
        break;
      default:
        // Unparseable ItemFilter values are dropped by the server's list binder.
        break;
    }
  }
  return true;
}

/** Runs an `/Items` query: the matching items in order, before paging. */
export function queryItems(state: DemoState, query: ItemQuery): DemoItem[] {
  const { library } = state;
  const folded = query.filters.map((filter) => filter.toLowerCase());
  if (folded.includes('isplayed') && folded.includes('isunplayed')) {
    // 12.0 rejects the contradiction; 10.11 answers an empty list.
    if (state.version === '12.0.0') throw new BadRequest('IsPlayed and IsUnplayed cannot be combined');
    return [];
  }
  let items: DemoItem[];
  if (query.ids.length > 0) {
    items = query.ids.map((id) => library.get(id)).filter((item): item is DemoItem => item !== undefined);
  } else if (query.parentId !== undefined) {
    items = query.recursive ? library.descendants(query.parentId) : [...library.children(query.parentId)];
  } else {
    items = query.recursive ? library.all() : [...library.views];
  }
  const include = new Set(query.includeItemTypes.map((type) => type.toLowerCase()));
  const exclude = new Set(query.excludeItemTypes.map((type) => type.toLowerCase()));
  const term = query.searchTerm?.toLowerCase();
  items = items.filter((item) => {
    const type = item.type.toLowerCase();
    if (include.size > 0 && !include.has(type)) return false;
    if (exclude.has(type)) return false;
    if (term !== undefined && !item.name.toLowerCase().includes(term)) return false;
    if (query.parentIndexNumber !== undefined && item.parentIndexNumber !== query.parentIndexNumber) return false;
    if (query.indexNumber !== undefined && item.indexNumber !== query.indexNumber) return false;
    if (query.isPlayed !== undefined && isPlayedBy(state, query.userId, item) !== query.isPlayed) return false;
    return passesFilters(state, query, item);
  });
  return sortItems(state, query.userId, items, query.sortBy, query.sortOrder);
}

/**
 * `TVSeriesManager.GetNextUp`: series the user has started (an episode with a LastPlayedDate),
 * most recently played first; for each, the first unplayed episode after the last watched one
 * (specials excluded), or the first unplayed episode when none was watched.
 */
export function nextUp(state: DemoState, userId: string, seriesId?: string): DemoItem[] {
  const { library, userData } = state;
  let series: DemoItem[];
  if (seriesId !== undefined) {
    const one = library.get(seriesId);
    series = one?.type === 'Series' ? [one] : [];
  } else {
    const lastPlayed = new Map<string, number>();
    for (const itemId of userData.itemIds(userId)) {
      const item = library.get(itemId);
      const date = userData.get(userId, itemId).lastPlayedDate;
      if (item?.type !== 'Episode' || item.seriesId === undefined || date === undefined) continue;
      lastPlayed.set(item.seriesId, Math.max(lastPlayed.get(item.seriesId) ?? -Infinity, date.getTime()));
    }
    series = [...lastPlayed]
      .sort((a, b) => b[1] - a[1])
      .map(([id]) => library.get(id))
      .filter((item): item is DemoItem => item !== undefined);
  }
  const next: DemoItem[] = [];
  for (const show of series) {
    const episodes = library.episodesOf(show.id);
    const played = (episode: DemoItem) => userData.get(userId, episode.id).played;
    let lastWatched = -1;
    episodes.forEach((episode, index) => {
      if (played(episode) && episode.parentIndexNumber !== 0) lastWatched = index;
    });
    const candidate = episodes.find((episode, index) => index > lastWatched && !played(episode));
    if (candidate) next.push(candidate);
  }
  return next;
}

/** `/UserItems/Resume`: videos with a resume position, most recently played first. */
export function resumable(state: DemoState, userId: string): DemoItem[] {
  const { library, userData } = state;
  const items: Array<{ item: DemoItem; at: number }> = [];
  for (const itemId of userData.itemIds(userId)) {
    const item = library.get(itemId);
    const data = userData.get(userId, itemId);
    if (item && !item.isFolder && data.playbackPositionTicks > 0) items.push({ item, at: data.lastPlayedDate?.getTime() ?? -Infinity });
  }
  return items.sort((a, b) => b.at - a.at).map(({ item }) => item);
}
