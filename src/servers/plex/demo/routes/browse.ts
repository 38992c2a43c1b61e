/**
 * Browsing the demo server (PLEX.md §3): identity and server info, sections and their items with
 * paging and sorting, item details (`includeMarkers`), children and leaves, Continue Watching,
 * search and the server prefs a client reads its thresholds from.
 */
import type { PlexDemoState } from '../context.js';
import { TYPE_NUMBERS, type PlexItem, type PlexItemType, type PlexSection } from '../library.js';
import { metadataJson } from '../metadata.js';
import { pageOf } from '../paging.js';
import { container, type Reply } from '../reply.js';
import { currentAccount, flagParam, HttpError, intParam, queryValue, type PlexRequest } from '../request.js';
import type { PlexRoute } from '../router.js';

/** A list of items as a paged `Metadata` container. */
function metadataList(request: PlexRequest, state: PlexDemoState, all: readonly PlexItem[], fields: Record<string, unknown> = {}): Reply {
  const account = currentAccount(request);
  const page = pageOf(request, all);
  const metadata = page.items.map((item) => metadataJson(state, account, item));
  return container(request, { size: metadata.length, ...page.fields, ...fields, Metadata: metadata }, page.headers);
}

/** `GET /identity`: the one anonymous endpoint, a connection's probe (PLEX.md §2.4, §3). */
function identity(request: PlexRequest, state: PlexDemoState): Reply {
  return container(request, { size: 0, claimed: true, machineIdentifier: state.machineIdentifier, version: state.version });
}

/** `GET /`: server info; a token check (401 when revoked). */
function root(request: PlexRequest, state: PlexDemoState): Reply {
  return container(request, {
    size: 0,
    friendlyName: state.friendlyName,
    machineIdentifier: state.machineIdentifier,
    version: state.version,
    platform: 'Linux',
    platformVersion: '6.8.0',
    myPlex: true,
    myPlexUsername: state.accounts.owner.email,
    myPlexSigninState: 'ok',
    claimed: true,
    allowSync: true,
    transcoderVideo: false,
  });
}

function sectionJson(section: PlexSection): Record<string, unknown> {
  return { key: String(section.id), type: section.type, title: section.title, uuid: section.uuid, agent: section.agent, scanner: section.scanner, language: section.language, updatedAt: section.updatedAt, createdAt: section.updatedAt, scannedAt: section.updatedAt, allowSync: true, art: '/:/resources/movie-fanart.jpg', thumb: '/:/resources/movie.png' };
}

/** `GET /library/sections` (and the documented `/all`): `Directory[]` of sections. */
function sections(request: PlexRequest, state: PlexDemoState): Reply {
  const list = state.library.sections.map(sectionJson);
  return container(request, { size: list.length, allowSync: false, title1: 'Plex Library', Directory: list });
}

const SORTS: Readonly<Record<string, (item: PlexItem) => string | number>> = {
  titleSort: (item) => item.titleSort,
  title: (item) => item.title.toLowerCase(),
  addedAt: (item) => item.addedAt,
  year: (item) => item.year,
  originallyAvailableAt: (item) => item.originallyAvailableAt,
};

/** Sorts by `sort=field[:asc|:desc]`; the default (and an unknown field) keeps the section's title order. */
function sorted(items: readonly PlexItem[], sort: string | undefined): readonly PlexItem[] {
  const [field = '', direction = 'asc'] = (sort ?? '').split(':');
  const by = SORTS[field];
  if (!by) return items;
  const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    return (x < y ? -1 : x > y ? 1 : Number(a.ratingKey) - Number(b.ratingKey)) * sign;
  });
}

/** `GET /library/sections/{sectionId}/all` (`type=1|2|3|4`, `sort=`), paged (PLEX.md §3). */
function sectionItems(request: PlexRequest, state: PlexDemoState): Reply {
  const id = Number(request.params.sectionId);
  const section = Number.isInteger(id) ? state.library.section(id) : undefined;
  if (!section) throw new HttpError(404, 'no such section');
  const typeNumber = intParam(request, 'type');
  let items: readonly PlexItem[] = state.library.topLevelOf(section.id);
  if (typeNumber !== undefined) {
    const type = (Object.entries(TYPE_NUMBERS).find(([, number]) => number === typeNumber)?.[0] ?? undefined) as PlexItemType | undefined;
    if (type === undefined) throw new HttpError(400, 'unknown type');
    items = state.library.ofType(section.id, type);
  }
  return metadataList(request, state, sorted(items, queryValue(request.query, 'sort')), {
    librarySectionID: section.id,
    librarySectionTitle: section.title,
    librarySectionUUID: section.uuid,
    title1: section.title,
    viewGroup: section.type,
    identifier: 'com.plexapp.plugins.library',
  });
}

/** Items by a comma list of ratingKeys (`{ids}`); 404 when none is known (PLEX.md §3). */
function itemsOf(request: PlexRequest, state: PlexDemoState): PlexItem[] {
  const items = (request.params.ids ?? '')
    .split(',')
    .map((id) => state.library.get(id.trim()))
    .filter((item): item is PlexItem => item !== undefined);
  if (items.length === 0) throw new HttpError(404, 'no item with that ratingKey');
  return items;
}

/**
 * `GET /library/metadata/{ids}`: details with streams; `Marker[]` only with `includeMarkers=1`.
 * The container's `size` and `mediaTagVersion` are strings, as in Plex's own example (PLEX.md §1).
 */
function metadata(request: PlexRequest, state: PlexDemoState): Reply {
  const account = currentAccount(request);
  const markers = flagParam(request, 'includeMarkers');
  const list = itemsOf(request, state).map((item) => metadataJson(state, account, item, { streams: true, markers }));
  const first = state.library.get(String(list[0]?.ratingKey));
  const section = first && state.library.section(first.sectionId);
  return container(request, {
    size: String(list.length),
    allowSync: true,
    identifier: 'com.plexapp.plugins.library',
    librarySectionID: section?.id,
    librarySectionTitle: section?.title,
    mediaTagPrefix: '/system/bundle/media/flags/',
    mediaTagVersion: '1436742334',
    Metadata: list,
  });
}

/** `GET /library/metadata/{ids}/children`: a show's seasons, a season's episodes (undocumented, PLEX.md §3). */
function children(request: PlexRequest, state: PlexDemoState): Reply {
  const [parent] = itemsOf(request, state);
  return metadataList(request, state, state.library.children(parent!.ratingKey), parentFields(parent!));
}

/** `GET /library/metadata/{ids}/allLeaves`: every episode of a show or season (PLEX.md §3). */
function allLeaves(request: PlexRequest, state: PlexDemoState): Reply {
  const [parent] = itemsOf(request, state);
  return metadataList(request, state, state.library.leaves(parent!), parentFields(parent!));
}

function parentFields(parent: PlexItem): Record<string, unknown> {
  return { key: parent.ratingKey, parentTitle: parent.title, title1: parent.parentTitle ?? parent.title, title2: parent.title, viewGroup: parent.type === 'show' ? 'season' : 'episode' };
}

/** The account's in-progress items, most recently viewed first, without the ones it hid (PLEX.md §3). */
function continueWatchingItems(request: PlexRequest, state: PlexDemoState): PlexItem[] {
  const account = currentAccount(request);
  const count = intParam(request, 'count') ?? 20;
  return state.watch
    .inProgress(account.id)
    .filter((ratingKey) => !state.watch.isHidden(account.id, ratingKey))
    .map((ratingKey) => state.library.get(ratingKey))
    .filter((item): item is PlexItem => item !== undefined)
    .slice(0, count);
}

/** `GET /hubs/continueWatching`: one `Hub` holding the in-progress items. */
function continueWatchingHub(request: PlexRequest, state: PlexDemoState): Reply {
  const account = currentAccount(request);
  const items = continueWatchingItems(request, state).map((item) => metadataJson(state, account, item));
  const hub = { hubIdentifier: 'home.continue', key: '/hubs/continueWatching/items', title: 'Continue Watching', type: 'mixed', context: 'hub.home.continue', style: 'shelf', promoted: true, more: false, size: items.length, Metadata: items };
  return container(request, { size: 1, Hub: [hub] });
}

/** `GET /hubs/continueWatching/items` and the legacy `/library/onDeck`: the items themselves. */
function continueWatchingList(request: PlexRequest, state: PlexDemoState): Reply {
  return metadataList(request, state, continueWatchingItems(request, state), { mixedParents: true });
}

const SEARCH_HUBS: ReadonlyArray<[PlexItemType, string]> = [
  ['movie', 'Movies'],
  ['show', 'Shows'],
  ['episode', 'Episodes'],
];

/** `GET /hubs/search?query=&limit=&sectionId=`: one hub per type, `limit` (default 3) results each (PLEX.md §3). */
function search(request: PlexRequest, state: PlexDemoState): Reply {
  const account = currentAccount(request);
  const query = queryValue(request.query, 'query')?.trim().toLowerCase();
  if (!query) throw new HttpError(400, 'query is required');
  const limit = intParam(request, 'limit') ?? 3;
  const sectionId = intParam(request, 'sectionId');
  const found = new Map<PlexItemType, PlexItem[]>(SEARCH_HUBS.map(([type]) => [type, []]));
  for (const item of state.library.all()) {
    const list = found.get(item.type);
    if (!list || list.length >= limit || (sectionId !== undefined && item.sectionId !== sectionId)) continue;
    if (item.title.toLowerCase().includes(query)) list.push(item);
  }
  const hubs = SEARCH_HUBS.map(([type, title]) => {
    const items = found.get(type) ?? [];
    return { hubIdentifier: type, title, type, context: '', style: 'shelf', more: false, size: items.length, Metadata: items.map((item) => metadataJson(state, account, item)) };
  });
  return container(request, { size: hubs.length, Hub: hubs });
}

/** `GET /:/prefs`: the settings a client reads its played rule from (PLEX.md §0.6). */
function prefs(request: PlexRequest, state: PlexDemoState): Reply {
  const setting = (id: string, label: string, type: string, value: unknown, fallback: unknown) => ({ id, label, summary: '', type, default: fallback, value, hidden: false, advanced: false, group: 'library' });
  const settings = [
    setting('FriendlyName', 'Friendly name', 'text', state.friendlyName, ''),
    setting('LibraryVideoPlayedThreshold', 'Video played threshold', 'int', state.rules.threshold, 90),
    setting('LibraryVideoPlayedAtBehaviour', 'Video play completion behaviour', 'int', state.rules.playedAtBehaviour, 3),
    setting('MinutesAllowedPaused', 'Minutes allowed paused', 'int', 0, 0),
  ];
  return container(request, { size: settings.length, Setting: settings });
}

/** The browsing endpoints. */
export const browseRoutes: PlexRoute[] = [
  { methods: ['GET'], path: '/identity', anonymous: true, handle: identity },
  { methods: ['GET'], path: '/', handle: root },
  { methods: ['GET'], path: '/library/sections', handle: sections },
  { methods: ['GET'], path: '/library/sections/all', handle: sections },
  { methods: ['GET'], path: '/library/sections/{sectionId}/all', handle: sectionItems },
  { methods: ['GET'], path: '/library/metadata/{ids}', handle: metadata },
  { methods: ['GET'], path: '/library/metadata/{ids}/children', handle: children },
  { methods: ['GET'], path: '/library/metadata/{ids}/allLeaves', handle: allLeaves },
  { methods: ['GET'], path: '/hubs/continueWatching', handle: continueWatchingHub },
  { methods: ['GET'], path: '/hubs/continueWatching/items', handle: continueWatchingList },
  { methods: ['GET'], path: '/library/onDeck', handle: continueWatchingList },
  { methods: ['GET'], path: '/hubs/search', handle: search },
  { methods: ['GET'], path: '/:/prefs', handle: prefs },
];
