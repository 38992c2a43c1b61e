/**
 * What every playable demo item is made of: the clip `assets/demo/clip.mp4` as one Media with
 * one Part (a key with a changestamp, PLEX.md §4.1), its streams (video, English and French
 * audio, English and Spanish embedded subtitles, PLEX.md §4.2) plus the German sidecar subtitle
 * served at `/library/streams/{id}`, and an episode's intro and credits markers (PLEX.md §4.3).
 */
import type { PlexItem } from './library.js';

/** Plex's stream types (PLEX.md §4.2). */
export const STREAM_TYPE = { video: 1, audio: 2, subtitle: 3 } as const;

/** One stream of the clip, before ids and selection are filled in. */
interface StreamTemplate {
  /** The stream's slot: its id is `partId * 10 + slot`. */
  slot: number;
  streamType: 1 | 2 | 3;
  /** Position inside the file; absent for the sidecar (PLEX.md §4.2). */
  index?: number;
  codec: string;
  language?: string;
  languageCode?: string;
  languageTag?: string;
  displayTitle: string;
  default?: boolean;
  /** The sidecar file beside the clip (`assets/demo/`), for the one external stream. */
  sidecar?: string;
  extra: Record<string, unknown>;
}

/**
 * The clip's streams as `make-clip.sh` muxes them. The mp4 marks the first audio and the first
 * subtitle track as default; the languages keep the file's ISO 639-2/B codes.
 */
const STREAMS: readonly StreamTemplate[] = [
  { slot: 1, streamType: 1, index: 0, codec: 'h264', displayTitle: '90p (H.264)', default: true, extra: { bitrate: 2, width: 160, height: 90, frameRate: 1, profile: 'high', level: 12 } },
  { slot: 2, streamType: 2, index: 1, codec: 'aac', language: 'English', languageCode: 'eng', languageTag: 'en', displayTitle: 'English (AAC Mono)', default: true, extra: { channels: 1, samplingRate: 8000, bitrate: 8 } },
  { slot: 3, streamType: 2, index: 2, codec: 'aac', language: 'Français', languageCode: 'fre', languageTag: 'fr', displayTitle: 'Français (AAC Mono)', extra: { channels: 1, samplingRate: 8000, bitrate: 8 } },
  { slot: 4, streamType: 3, index: 3, codec: 'mov_text', language: 'English', languageCode: 'eng', languageTag: 'en', displayTitle: 'English (MOV_TEXT)', default: true, extra: {} },
  { slot: 5, streamType: 3, index: 4, codec: 'mov_text', language: 'Español', languageCode: 'spa', languageTag: 'es', displayTitle: 'Español (MOV_TEXT)', extra: {} },
  { slot: 6, streamType: 3, codec: 'srt', language: 'Deutsch', languageCode: 'ger', languageTag: 'de', displayTitle: 'Deutsch (SRT External)', sidecar: 'subtitles.ger.srt', extra: { format: 'srt' } },
];

/** The slot of the audio stream selected before anyone chooses (the file's default, English). */
const DEFAULT_AUDIO_SLOT = 2;

/** A stream id's part and template; undefined when the id names no stream of any demo part. */
export function streamById(id: number): { partId: number; template: StreamTemplate } | undefined {
  const template = STREAMS.find((stream) => stream.slot === id % 10);
  return template && { partId: Math.floor(id / 10), template };
}

/** The id of a part's stream in a slot. */
function streamId(partId: number, slot: number): number {
  return partId * 10 + slot;
}

/** The changestamp in a part's key: the item's `updatedAt`, as on a real server. */
export function changestampOf(item: PlexItem): number {
  return item.updatedAt;
}

/** `Part.key`: `/library/parts/{partId}/{changestamp}/file.mp4` (PLEX.md §4.1). */
export function partKey(item: PlexItem): string {
  return `/library/parts/${item.partId}/${changestampOf(item)}/file.mp4`;
}

/** The audio and subtitle a user chose for a part (`PUT /library/parts/{id}`); 0 is "no subtitle". */
export interface StreamSelection {
  audioStreamID: number;
  subtitleStreamID: number;
}

/** Each account's stream choices, per part (Plex keeps them per user). */
export class SelectionStore {
  private readonly chosen = new Map<string, StreamSelection>();

  /** A part's choice: English audio and no subtitle until the user picks. */
  get(accountId: number, partId: number): StreamSelection {
    return this.chosen.get(`${accountId}:${partId}`) ?? { audioStreamID: streamId(partId, DEFAULT_AUDIO_SLOT), subtitleStreamID: 0 };
  }

  set(accountId: number, partId: number, selection: StreamSelection): void {
    this.chosen.set(`${accountId}:${partId}`, selection);
  }
}

/** Whether a stream id is one of this part's streams of this type (the check `PUT /library/parts` makes, PLEX.md §4.2). */
export function partHasStream(partId: number, id: number, streamType: 2 | 3): boolean {
  const found = streamById(id);
  return found !== undefined && found.partId === partId && found.template.streamType === streamType;
}

/** `Part.Stream[]` with ids and the account's selection. */
export function streamsJson(partId: number, selection: StreamSelection): Array<Record<string, unknown>> {
  return STREAMS.map((stream) => {
    const id = streamId(partId, stream.slot);
    const selected = id === selection.audioStreamID || id === selection.subtitleStreamID;
    return {
      id,
      streamType: stream.streamType,
      ...(stream.default ? { default: true } : {}),
      ...(selected ? { selected: true } : {}),
      codec: stream.codec,
      ...(stream.index === undefined ? {} : { index: stream.index }),
      ...(stream.sidecar === undefined ? {} : { key: `/library/streams/${id}` }),
      ...(stream.language === undefined ? {} : { language: stream.language, languageCode: stream.languageCode, languageTag: stream.languageTag }),
      displayTitle: stream.displayTitle,
      extendedDisplayTitle: stream.displayTitle,
      ...stream.extra,
    };
  });
}

/** A marker (PLEX.md §4.3): times in ms; `final` on the last credits marker. */
export interface PlexMarker {
  id: number;
  type: 'intro' | 'credits';
  startTimeOffset: number;
  endTimeOffset: number;
  final?: boolean;
}

/**
 * An episode's markers: an intro from 0:15 to 1:15 and the credits from 9:30 to the end. The
 * credits start after 90 % of the clip (9:00), so by default the threshold decides when an
 * episode is watched, and a threshold above 95 % lets the credits marker decide (behaviour 3).
 * Films have none.
 */
export function markersOf(item: PlexItem): PlexMarker[] {
  if (item.type !== 'episode' || item.partId === undefined || item.duration === undefined) return [];
  return [
    { id: item.partId * 10 + 1, type: 'intro', startTimeOffset: 15_000, endTimeOffset: 75_000 },
    { id: item.partId * 10 + 2, type: 'credits', startTimeOffset: 570_000, endTimeOffset: item.duration, final: true },
  ];
}
