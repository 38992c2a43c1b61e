import type { TrackRef } from './events.js';

/** A track mpv has for the current file. */
export interface MpvTrack {
  id: number;
  type: 'video' | 'audio' | 'sub';
  ref: TrackRef | undefined;
  lang?: string;
  title?: string;
  /** A picture in the file (a cover), not a film to show. */
  albumArt?: boolean;
  selected: boolean;
}

/** Whether two track references name the same track (null and undefined only match themselves). */
export function sameTrack(a: TrackRef | null | undefined, b: TrackRef | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return 'url' in a ? 'url' in b && a.url === b.url : 'embedded' in b && a.embedded === b.embedded;
}

/** mpv's `track-list` as typed tracks (anything unexpected is skipped). */
export function parseTrackList(data: unknown): MpvTrack[] {
  if (!Array.isArray(data)) return [];
  const tracks: MpvTrack[] = [];
  // The file's own tracks are counted per kind in mpv's order (the file's order): the k-th audio
  // track of the file is `{ embedded: k }`, whatever its stream index or mpv id.
  const seen = { video: 0, audio: 0, sub: 0 };
  for (const raw of data as Array<Record<string, unknown>>) {
    if (typeof raw !== 'object' || raw === null || typeof raw.id !== 'number') continue;
    if (raw.type !== 'video' && raw.type !== 'audio' && raw.type !== 'sub') continue;
    const file = raw['external-filename'];
    let ref: TrackRef | undefined;
    if (raw.external === true) ref = typeof file === 'string' ? { url: file } : undefined;
    else ref = { embedded: seen[raw.type]++ };
    tracks.push({
      id: raw.id,
      type: raw.type,
      ref,
      ...(typeof raw.lang === 'string' ? { lang: raw.lang } : {}),
      ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
      ...(raw.albumart === true ? { albumArt: true } : {}),
      selected: raw.selected === true,
    });
  }
  return tracks;
}

