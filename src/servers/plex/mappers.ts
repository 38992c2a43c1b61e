/**
 * Plex's items in the words every screen reads (`MediaItem`, src/servers/types.ts): a section is
 * a library (`CollectionFolder`), `movie` a `Movie`, `show` a `Series`, `season` a `Season`,
 * `episode` an `Episode`. Plex counts milliseconds and epoch seconds; the model counts ticks
 * (10,000 a millisecond) and dates. Played ⇔ `viewCount > 0` (PLEX.md §1).
 */
import type { MediaSegment } from '../../session/segment-skipper.js';
import type { MediaTracks, StreamChoice } from '../../session/track-choice.js';
import { trackLabels } from '../../text/track-labels.js';
import type { MediaItem, WatchState } from '../types.js';
import { markers, num, text, type Json, type PlexStream } from './wire.js';

export const TICKS_PER_MS = 10_000;

const TYPES: Record<string, string> = { movie: 'Movie', show: 'Series', season: 'Season', episode: 'Episode' };
const COLLECTIONS: Record<string, string> = { movie: 'movies', show: 'tvshows' };

/** The model's `type` word back to Plex's (for a listing filtered by kind): `Movie` → 1 … */
export const PLEX_TYPE_NUMBERS: Record<string, number> = { Movie: 1, Series: 2, Season: 3, Episode: 4 };

/** An item's watch state: its resume point, whether (and how often) it was played, when last. */
export function watchStateOf(raw: Json, readAt?: number): WatchState {
  const viewCount = num(raw.viewCount) ?? 0;
  const leafCount = num(raw.leafCount);
  const viewedLeafCount = num(raw.viewedLeafCount);
  const folder = leafCount !== undefined && (raw.type === 'show' || raw.type === 'season');
  const lastViewedAt = num(raw.lastViewedAt);
  const durationMs = num(raw.duration);
  const offsetMs = num(raw.viewOffset) ?? 0;
  return {
    positionTicks: folder ? 0 : offsetMs * TICKS_PER_MS,
    played: folder ? leafCount! > 0 && viewedLeafCount === leafCount : viewCount > 0,
    playCount: viewCount,
    ...(lastViewedAt !== undefined ? { lastPlayedDate: new Date(lastViewedAt * 1000) } : {}),
    ...(!folder && durationMs !== undefined && durationMs > 0 && offsetMs > 0 ? { playedPercentage: (offsetMs / durationMs) * 100 } : {}),
    ...(folder ? { unplayedItemCount: Math.max(0, leafCount! - (viewedLeafCount ?? 0)) } : {}),
    ...(readAt !== undefined ? { readAt } : {}),
  };
}

/** A Plex item (`Metadata`) as the screens show it; undefined for one without a `ratingKey`. */
export function toMediaItem(raw: Json, readAt?: number): MediaItem | undefined {
  const id = text(raw.ratingKey);
  if (id === undefined || id === '') return undefined;
  const plexType = text(raw.type) ?? '';
  const type = TYPES[plexType] ?? plexType;
  const folder = plexType === 'show' || plexType === 'season';
  const durationMs = num(raw.duration);
  const fields = {
    year: num(raw.year),
    runtimeTicks: durationMs !== undefined && !folder ? durationMs * TICKS_PER_MS : undefined,
    overview: text(raw.summary),
    // An episode's show is its grandparent, a season's its parent.
    seriesId: plexType === 'episode' ? text(raw.grandparentRatingKey) : plexType === 'season' ? text(raw.parentRatingKey) : undefined,
    seriesName: plexType === 'episode' ? text(raw.grandparentTitle) : plexType === 'season' ? text(raw.parentTitle) : undefined,
    seasonId: plexType === 'episode' ? text(raw.parentRatingKey) : undefined,
    seasonName: plexType === 'episode' ? text(raw.parentTitle) : undefined,
    indexNumber: num(raw.index),
    parentIndexNumber: plexType === 'episode' ? num(raw.parentIndex) : undefined,
    childCount: num(raw.childCount),
    recursiveItemCount: folder ? num(raw.leafCount) : undefined,
  };
  return {
    id,
    name: text(raw.title) ?? '',
    type,
    isFolder: folder,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    userData: watchStateOf(raw, readAt),
  };
}

/** A library section (`Directory` of `/library/sections`) as a library the screens open. */
export function toLibrary(raw: Json): MediaItem | undefined {
  const id = text(raw.key);
  if (id === undefined || id === '' || id.includes('/')) return undefined;
  const kind = text(raw.type) ?? '';
  const collectionType = COLLECTIONS[kind];
  return {
    id,
    name: text(raw.title) ?? '',
    type: 'CollectionFolder',
    isFolder: true,
    ...(collectionType !== undefined ? { collectionType } : {}),
    userData: { positionTicks: 0, played: false, playCount: 0 },
  };
}

/** Plex's streams as the session's track lists: audio and subtitles by place in the file, sidecars by address. */
export function toTracks(streams: readonly PlexStream[], subtitleUrl: (key: string) => string | undefined): MediaTracks {
  const choose = (kind: number): StreamChoice[] => {
    const ofKind = streams.filter((stream) => stream.streamType === kind);
    const labels = trackLabels(
      ofKind.map((stream) => ({
        kind: String(kind),
        language: stream.languageCode ?? stream.language ?? null,
        title: stream.title ?? null,
        codec: stream.codec ?? null,
        isDefault: stream.isDefault,
        isForced: stream.forced,
        isExternal: stream.key !== undefined,
      })),
    );
    // The file's own streams are numbered by their place among the file's streams of that kind.
    let embedded = 0;
    return ofKind.flatMap((stream, at): StreamChoice[] => {
      const choice: StreamChoice = {
        index: stream.id,
        label: labels[at]!,
        isDefault: stream.isDefault,
        ...(stream.languageCode !== undefined ? { language: stream.languageCode } : {}),
      };
      if (stream.key !== undefined) {
        // Only a path on the server itself (`/library/streams/…`): the address gets the token.
        const url = stream.key.startsWith('/') && !stream.key.startsWith('//') ? subtitleUrl(stream.key) : undefined;
        return url !== undefined ? [{ ...choice, url }] : [];
      }
      return stream.index !== undefined ? [{ ...choice, embedded: embedded++ }] : [];
    });
  };
  const audio = choose(2);
  const subtitles = choose(3);
  // Plex marks the stream it would play for this user (`selected`): the user's choice where they made one.
  const pickedAudio = streams.find((stream) => stream.streamType === 2 && stream.selected) ?? streams.find((stream) => stream.streamType === 2 && stream.isDefault);
  const pickedSubtitle = streams.find((stream) => stream.streamType === 3 && stream.selected);
  return {
    audio,
    subtitles,
    ...(pickedAudio !== undefined ? { defaultAudioIndex: pickedAudio.id } : {}),
    defaultSubtitleIndex: pickedSubtitle?.id ?? -1,
  };
}

const SEGMENT_TYPES: Record<string, string> = { intro: 'Intro', credits: 'Outro', credit: 'Outro', commercial: 'Commercial' };

/** An item's markers as the segments the player skips or offers (`credit` and `credits` alike, PLEX.md §4.3). */
export function toSegments(metadata: Json): MediaSegment[] {
  return markers(metadata).map((marker) => ({ type: SEGMENT_TYPES[marker.type] ?? 'Unknown', startSeconds: marker.startMs / 1000, endSeconds: marker.endMs / 1000 }));
}
