import type { DemoState } from './context.js';
import type { DemoItem } from './library.js';
import { BadRequest } from './request.js';

/**
 * The `/Items` filters the demo understands (`ItemsController.GetItems`), already bound the way
 * ASP.NET binds them: enum lists hold only names the server's enums know.
 */
export interface ItemQuery {
  userId: string;
  parentId?: string;
  recursive: boolean;
  /** `BaseItemKind` names. */
  includeItemTypes: string[];
  excludeItemTypes: string[];
  searchTerm?: string;
  /** Parsed GUIDs (the binder drops the ones it cannot parse). */
  ids: string[];
  filters: string[];
  isPlayed?: boolean;
  parentIndexNumber?: number;
  indexNumber?: number;
  /** `ItemSortBy` names. */
  sortBy: string[];
  /** `SortOrder` names (`Ascending`, `Descending`). */
  sortOrder: string[];
}

/** What `/Items` answers, before the route pages it. */
export interface ItemQueryResult {
  items: DemoItem[];
  /** False for the bare root listing, which Jellyfin sends whole (no paging, filters or sorting). */
  paged: boolean;
}

/**
 * `recursive` when the request leaves it out. 10.11: false (`Recursive = recursive ?? false` in
 * `ItemsController.GetItems`). 12.0: true when `includeItemTypes` names a type (jellyfin#16999,
 * "Only default recursive to true if we have includeItemTypes", after #16062 made it true always).
 */
export function defaultRecursive(state: DemoState, includeItemTypes: readonly string[]): boolean {
  return state.version === '12.0.0' && includeItemTypes.length > 0;
}

// ServerConfiguration defaults (MediaBrowser.Model/Configuration/ServerConfiguration.cs).
const SORT_REMOVE_WORDS = ['the', 'a', 'an'];
const SORT_REMOVE_CHARACTERS = [',', '&', '-', '{', '}', "'"];
const SORT_REPLACE_CHARACTERS = ['.', '+', '%'];

/** `BaseItem.CreateSortName` and `ModifySortChunks` (ASCII transliteration aside). */
function createSortName(name: string): string {
  let sortable = name.trim().toLowerCase();
  for (const word of SORT_REMOVE_WORDS) {
    if (sortable.startsWith(`${word} `)) sortable = sortable.slice(word.length + 1);
    sortable = sortable.replaceAll(` ${word} `, ' ');
    if (sortable.endsWith(` ${word}`)) sortable = sortable.slice(0, -(word.length + 1));
  }
  for (const character of SORT_REMOVE_CHARACTERS) sortable = sortable.replaceAll(character, '');
  for (const character of SORT_REPLACE_CHARACTERS) sortable = sortable.replaceAll(character, ' ');
  return sortable
    .replace(/\p{Nd}+/gu, (digits) => digits.padStart(10, '0'))
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

const sortNames = new WeakMap<DemoItem, string>();

/**
 * The `SortName` Jellyfin stores for an item: `Episode.CreateSortName` is
 * `000 - 0000 - Name` (season, episode, raw name), `Season.CreateSortName` the zero-padded
 * season number, everything else `BaseItem.CreateSortName` with the default
 * `SortRemoveWords` (the, a, an), `SortRemoveCharacters` and `SortReplaceCharacters`, digit
 * runs padded to ten and diacritics removed.
 */
export function sortNameFor(item: Pick<DemoItem, 'type' | 'name' | 'indexNumber' | 'parentIndexNumber'>): string {
  if (item.type === 'Episode') {
    const season = item.parentIndexNumber === undefined ? '' : `${String(item.parentIndexNumber).padStart(3, '0')} - `;
    const episode = item.indexNumber === undefined ? '' : `${String(item.indexNumber).padStart(4, '0')} - `;
    return `${season}${episode}${item.name}`;
  }
  if (item.type === 'Season') return item.indexNumber === undefined ? item.name : String(item.indexNumber).padStart(4, '0');
  return createSortName(item.name);
}

function cachedSortName(item: DemoItem): string {
  let name = sortNames.get(item);
  if (name === undefined) {
    name = sortNameFor(item);
    sortNames.set(item, name);
  }
  return name;
}

/** What an item is ordered by under one `SortBy`: a number (missing values first) or a text. */
type SortValue = (item: DemoItem) => number | string;

/** One ordering of a query: a sort value and its direction. */
interface SortKey {
  name?: string;
  value: SortValue;
  descending: boolean;
}

function byNumber(value: (item: DemoItem) => number | undefined): SortValue {
  return (item) => value(item) ?? -Infinity;
}

const bySortName: SortValue = cachedSortName;
const byName: SortValue = (item) => item.name.toLowerCase();

/** Whether the user has watched an item; a folder counts as watched when all its episodes are. */
export function isPlayedBy(state: DemoState, userId: string, item: DemoItem): boolean {
  if (!item.isFolder) return state.userData.get(userId, item.id).played;
  const leaves = state.library.leaves(item);
  return leaves.length > 0 && leaves.every((leaf) => state.userData.get(userId, leaf.id).played);
}

function sortValueFor(state: DemoState, userId: string, sortBy: string): SortValue | undefined {
  const data = (item: DemoItem) => state.userData.get(userId, item.id);
  switch (sortBy.toLowerCase()) {
    case 'sortname':
    case 'default':
      return bySortName;
    case 'name':
      return byName;
    case 'seriessortname':
      return (item) => (item.seriesName ?? item.name).toLowerCase();
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
      return (item) => (item.isFolder ? 1 : 0);
    case 'isplayed':
      return (item) => (isPlayedBy(state, userId, item) ? 1 : 0);
    case 'isunplayed':
      return (item) => (isPlayedBy(state, userId, item) ? 0 : 1);
    default:
      // Sorts the demo has no data for (ratings, studios, Random, …) order nothing.
      return undefined;
  }
}

/**
 * `RequestHelpers.GetOrderBy`: each `SortBy` with the `SortOrder` at its position, the rest with
 * the first `SortOrder` (Ascending when none); sorts the demo cannot compute are left out.
 */
function requestedKeys(state: DemoState, query: ItemQuery, sortBy: readonly string[]): SortKey[] {
  return sortBy.flatMap((name, index) => {
    const value = sortValueFor(state, query.userId, name);
    const order = query.sortOrder[index] ?? query.sortOrder[0] ?? 'Ascending';
    return value ? [{ name: name.toLowerCase(), value, descending: order.toLowerCase() === 'descending' }] : [];
  });
}

/** A stable sort on the keys in turn; each item's values are read once. */
function sortBy(items: DemoItem[], keys: readonly SortKey[]): DemoItem[] {
  if (keys.length === 0) return items;
  const rows = items.map((item) => ({ item, values: keys.map((key) => key.value(item)) }));
  rows.sort((a, b) => {
    for (let i = 0; i < keys.length; i += 1) {
      const x = a.values[i] as number | string;
      const y = b.values[i] as number | string;
      if (x !== y) return (x < y ? -1 : 1) * (keys[i]?.descending ? -1 : 1);
    }
    return 0;
  });
  return rows.map((row) => row.item);
}

/** `OrderMapper.MapSearchRelevanceOrder` (12.0): exact name, then word prefix, then prefix, then the rest. */
function searchRelevance(term: string): SortValue {
  const clean = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const wanted = clean(term);
  return (item) => {
    const name = clean(item.name);
    return name === wanted ? 0 : name.startsWith(`${wanted} `) ? 1 : name.startsWith(wanted) ? 2 : 3;
  };
}

/**
 * The order a query that reaches the database gets. 10.11, `BaseItemRepository.ApplyOrder`: a
 * search puts `SortName` first; no order at all is `OrderBy(SortName)`; `SortName` or `Default`
 * first is followed by `Name`. 12.0, `BaseItemRepository.QueryBuilding.cs` `ApplyOrder`:
 * `Default` is dropped, a search orders by relevance first, no order is `OrderBy(SortName)`, and
 * outside a search `SortName` ends every order that names neither `SortName` nor `Name`.
 */
function databaseKeys(state: DemoState, query: ItemQuery): SortKey[] {
  const v12 = state.version === '12.0.0';
  const requested = requestedKeys(state, query, v12 ? query.sortBy.filter((name) => name.toLowerCase() !== 'default') : query.sortBy);
  const search = query.searchTerm !== undefined;
  const ordered: SortKey[] = [];
  if (search && v12) ordered.push({ value: searchRelevance(query.searchTerm as string), descending: false });
  if (search && !v12) ordered.push({ name: 'sortname', value: bySortName, descending: false });
  ordered.push(...requested);
  if (ordered.length === 0) return [{ value: bySortName, descending: false }];
  const first = v12 ? requested[0] : ordered[0];
  if (first && (first.name === 'sortname' || first.name === 'default')) ordered.splice(ordered.indexOf(first) + 1, 0, { value: byName, descending: first.descending });
  if (v12 && !search && requested.every((key) => key.name !== 'sortname' && key.name !== 'name')) ordered.push({ value: bySortName, descending: false });
  return ordered;
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

/**
 * Whether a recursive query takes `Folder.QueryRecursive`'s in-memory branch
 * (`RequiresPostFiltering`) instead of the database: when box sets would be collapsed, which
 * `CollapseBoxSetItems` decides for a query naming no type (Movie and Series queries are not
 * collapsed while `EnableGroupingMoviesIntoCollections`/`…ShowsIntoCollections` are off, the
 * default) unless `AllowBoxSetCollapsing` refuses (played, favourite, folder or resumable
 * filters, ids, Runtime or rating sorts); and for a Series-only query filtered on played state.
 * The controller turns collapsing off for a search.
 */
function filtersInMemory(query: ItemQuery): boolean {
  const types = query.includeItemTypes.map((type) => type.toLowerCase());
  const playedFilter = query.isPlayed !== undefined || query.filters.some((filter) => /^is(un)?played$/i.test(filter));
  if (playedFilter && types.length === 1 && types[0] === 'series') return true;
  if (query.searchTerm !== undefined || types.length > 0 || playedFilter) return false;
  const refusing = ['isfolder', 'isnotfolder', 'isresumable', 'isfavorite', 'likes', 'dislikes', 'isfavoriteorlikes'];
  if (query.filters.some((filter) => refusing.includes(filter.toLowerCase()))) return false;
  return !query.sortBy.some((name) => ['runtime', 'communityrating', 'criticrating'].includes(name.toLowerCase()));
}

/**
 * A folder's items in the order `Folder.AddChildrenFromCollection` collects them: its
 * children, then each child folder's items in turn.
 */
function folderWalk(state: DemoState, ids: readonly string[]): DemoItem[] {
  const found: DemoItem[] = [];
  const walk = (parentId: string): void => {
    const children = state.library.children(parentId);
    found.push(...children);
    for (const child of children) if (child.isFolder) walk(child.id);
  };
  ids.forEach(walk);
  return found;
}

/**
 * Runs an `/Items` query (`ItemsController.GetItems` and `Folder.GetItems`): the matching items
 * in the server's order, before paging.
 *
 * - No `parentId`, not recursive, no `ids`: the user's libraries as they are; the controller
 *   returns `folder.GetChildren(user, true)` without filters, sorting or paging.
 * - `ids`: without `SortBy` (and without a search, which adds one) in the order asked for
 *   (`Folder.GetItems` → `SortItemsByRequest`), otherwise in the database's order.
 * - Not recursive: the folder's children (`Folder.GetItemsInternal`), in the folder's own order
 *   unless `SortBy` is given (`UserViewBuilder.SortAndPage` sorts only then).
 * - Recursive: the database's order (`BaseItemRepository.ApplyOrder`, `SortName` by default),
 *   or, on the in-memory branch, the folder walk sorted only by what was asked.
 */
export function queryItems(state: DemoState, query: ItemQuery): ItemQueryResult {
  const { library } = state;
  const folded = query.filters.map((filter) => filter.toLowerCase());
  if (folded.includes('isplayed') && folded.includes('isunplayed')) {
    // 12.0 rejects the contradiction (jellyfin#16398); 10.11 answers an empty list.
    if (state.version === '12.0.0') throw new BadRequest('IsPlayed and IsUnplayed cannot be combined');
    return { items: [], paged: true };
  }
  if (query.ids.length === 0 && query.parentId === undefined && !query.recursive) return { items: [...library.views], paged: false };
  let items: DemoItem[];
  if (query.ids.length > 0) {
    items = query.ids.map((id) => library.get(id)).filter((item): item is DemoItem => item !== undefined);
  } else if (query.parentId !== undefined) {
    items = query.recursive ? folderWalk(state, [query.parentId]) : [...library.children(query.parentId)];
  } else {
    items = folderWalk(state, library.views.map((view) => view.id));
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
  const asRequested = () => sortBy(items, requestedKeys(state, query, query.sortBy));
  if (query.ids.length > 0) {
    return { items: query.sortBy.length === 0 && query.searchTerm === undefined ? items : sortBy(items, databaseKeys(state, query)), paged: true };
  }
  if (!query.recursive || filtersInMemory(query)) return { items: asRequested(), paged: true };
  return { items: sortBy(items, databaseKeys(state, query)), paged: true };
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
