/**
 * Items as Plex sends them (PLEX.md §3 "Metadata fields", §1 units and omissions): a `Metadata`
 * entry with the account's watch state (absent fields when unset), `Media`/`Part` for playable
 * items, `Stream[]` on details only, and `Marker[]` when `includeMarkers=1` asked for them.
 *
 * A few values go out as strings, as real servers send them, so a client's lenient parsing is
 * exercised (PLEX.md §1): a film's `hasPremiumPrimaryExtra: "1"`, a part's `hasThumbnail: "1"`,
 * and in a details container `size` and `mediaTagVersion` (see `routes/browse.ts`).
 */
import type { PlexAccount } from './accounts.js';
import type { PlexDemoState } from './context.js';
import type { PlexItem } from './library.js';
import { markersOf, partKey, streamsJson } from './media.js';

/** What to add to an item beyond the list form. */
export interface MetadataDetail {
  /** `Part.Stream[]` (item details). */
  streams?: boolean;
  /** `Marker[]` (`includeMarkers=1`). */
  markers?: boolean;
}

function guidOf(item: PlexItem): string {
  return `plex://${item.type}/5d77${Number(item.ratingKey).toString(16).padStart(20, '0')}`;
}

/** A show's or season's episode counts and most recent view, from its episodes' state. */
function folderState(state: PlexDemoState, account: PlexAccount, item: PlexItem): Record<string, unknown> {
  const leaves = state.library.leaves(item);
  let viewed = 0;
  let lastViewedAt: number | undefined;
  for (const leaf of leaves) {
    const watch = state.watch.get(account.id, leaf.ratingKey);
    if ((watch.viewCount ?? 0) > 0) viewed += 1;
    if (watch.lastViewedAt !== undefined && (lastViewedAt === undefined || watch.lastViewedAt > lastViewedAt)) lastViewedAt = watch.lastViewedAt;
  }
  return {
    leafCount: leaves.length,
    viewedLeafCount: viewed,
    childCount: state.library.children(item.ratingKey).length,
    ...(lastViewedAt === undefined ? {} : { lastViewedAt }),
  };
}

/** The one `Media` of a playable item, with its `Part`. */
function mediaJson(state: PlexDemoState, account: PlexAccount, item: PlexItem, detail: MetadataDetail): Array<Record<string, unknown>> {
  if (item.partId === undefined) return [];
  const part: Record<string, unknown> = {
    id: item.partId,
    key: partKey(item),
    duration: item.duration,
    file: item.file,
    size: state.clip.size,
    container: 'mp4',
    hasThumbnail: '1',
    videoProfile: 'high',
  };
  if (detail.streams) part.Stream = streamsJson(item.partId, state.selections.get(account.id, item.partId));
  return [
    {
      id: item.mediaId,
      duration: item.duration,
      bitrate: 2,
      width: 160,
      height: 90,
      aspectRatio: 1.78,
      audioChannels: 1,
      audioCodec: 'aac',
      videoCodec: 'h264',
      videoResolution: 'sd',
      container: 'mp4',
      videoFrameRate: 'NTSC',
      videoProfile: 'high',
      Part: [part],
    },
  ];
}

/** One `Metadata` entry for an account. */
export function metadataJson(state: PlexDemoState, account: PlexAccount, item: PlexItem, detail: MetadataDetail = {}): Record<string, unknown> {
  const section = state.library.section(item.sectionId);
  const folder = item.partId === undefined;
  const out: Record<string, unknown> = {
    ratingKey: item.ratingKey,
    // A show's or season's key lists its children (PLEX.md §1 "key").
    key: folder ? `/library/metadata/${item.ratingKey}/children` : `/library/metadata/${item.ratingKey}`,
    guid: guidOf(item),
    type: item.type,
    title: item.title,
    titleSort: item.titleSort,
    summary: item.summary,
    year: item.year,
    originallyAvailableAt: item.originallyAvailableAt,
    addedAt: item.addedAt,
    updatedAt: item.updatedAt,
    thumb: `/library/metadata/${item.ratingKey}/thumb/${item.updatedAt}`,
    art: `/library/metadata/${item.ratingKey}/art/${item.updatedAt}`,
    librarySectionID: item.sectionId,
    librarySectionKey: `/library/sections/${item.sectionId}`,
    librarySectionTitle: section?.title,
  };
  if (item.index !== undefined) out.index = item.index;
  if (item.parentIndex !== undefined) out.parentIndex = item.parentIndex;
  if (item.parentRatingKey !== undefined) {
    out.parentRatingKey = item.parentRatingKey;
    out.parentKey = `/library/metadata/${item.parentRatingKey}`;
    out.parentTitle = item.parentTitle;
  }
  if (item.grandparentRatingKey !== undefined) {
    out.grandparentRatingKey = item.grandparentRatingKey;
    out.grandparentKey = `/library/metadata/${item.grandparentRatingKey}`;
    out.grandparentTitle = item.grandparentTitle;
  }
  if (item.type === 'movie') out.hasPremiumPrimaryExtra = '1';
  if (folder) return { ...out, ...folderState(state, account, item) };
  out.duration = item.duration;
  // User state: each field only when set (PLEX.md §1).
  Object.assign(out, state.watch.get(account.id, item.ratingKey));
  out.Media = mediaJson(state, account, item, detail);
  if (detail.markers) out.Marker = markersOf(item);
  return out;
}
