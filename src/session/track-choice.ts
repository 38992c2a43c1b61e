import type { TrackRef } from './playback-session.js';

/** An audio or subtitle stream of an item, as the server lists it (text already sanitised). */
export interface StreamChoice {
  /** The server's stream index (what Jellyfin's defaults and reports use). */
  index: number;
  /** For a stream inside the file: its place among the file's streams of its kind (0 first). */
  embedded?: number;
  /** What the user reads, e.g. "English (default)" or "German · external". */
  label: string;
  /** ISO 639-2 code such as `eng`, when known. */
  language?: string;
  isDefault: boolean;
  /** An external subtitle: the file's URL (no secret in it). */
  url?: string;
}

/** The audio and subtitle streams of an item, and what the server would pick. */
export interface MediaTracks {
  audio: StreamChoice[];
  subtitles: StreamChoice[];
  defaultAudioIndex?: number;
  /** The server's pick for subtitles; absent or -1 means none. */
  defaultSubtitleIndex?: number;
  /**
   * Whether the server's pick is the user's remembered choice for this item, per kind: the user
   * lets the server remember that kind of selection and has played the item before. Absent: not.
   */
  remembered?: { audio: boolean; subtitle: boolean };
}

/**
 * What the user had at the end of the item before, in a run: the audio stream, and the subtitle
 * stream or null for off. A kind left out (unknown, or a stream with no language) is not carried.
 */
export interface CarriedTracks {
  audio?: StreamChoice;
  subtitle?: StreamChoice | null;
}

/**
 * The server's `Index` of the playing audio stream and of the shown subtitle stream (-1: off), as
 * start and progress reports carry them. A kind left out is not known.
 */
export interface StreamIndexes {
  audio?: number;
  subtitle?: number;
}

/** The user's preferred languages, most wanted first (`eng`, `en`, `fra`…). */
export interface LanguagePreferences {
  audioLanguages: readonly string[];
  subtitleLanguages: readonly string[];
}

/** What to select: an audio stream (or mpv's own pick) and a subtitle stream, or null for none. */
export interface TrackSelection {
  audio: StreamChoice | undefined;
  subtitle: StreamChoice | null;
}

// ISO 639-1 codes and the 639-2 bibliographic/terminology pairs, so "de", "ger" and "deu" agree.
const SAME_LANGUAGE: readonly (readonly string[])[] = [
  ['en', 'eng'], ['fr', 'fre', 'fra'], ['de', 'ger', 'deu'], ['es', 'spa'], ['it', 'ita'], ['pt', 'por'],
  ['nl', 'dut', 'nld'], ['sv', 'swe'], ['da', 'dan'], ['no', 'nor', 'nob', 'nb'], ['fi', 'fin'], ['pl', 'pol'],
  ['cs', 'cze', 'ces'], ['sk', 'slo', 'slk'], ['hu', 'hun'], ['ro', 'rum', 'ron'], ['el', 'gre', 'ell'],
  ['ru', 'rus'], ['uk', 'ukr'], ['tr', 'tur'], ['ar', 'ara'], ['he', 'heb'], ['fa', 'per', 'fas'], ['hi', 'hin'],
  ['ja', 'jpn'], ['ko', 'kor'], ['zh', 'chi', 'zho'], ['th', 'tha'], ['vi', 'vie'], ['id', 'ind'], ['ms', 'may', 'msa'],
  ['is', 'ice', 'isl'], ['cy', 'wel', 'cym'], ['sq', 'alb', 'sqi'], ['hy', 'arm', 'hye'], ['ka', 'geo', 'kat'],
  ['mk', 'mac', 'mkd'], ['eu', 'baq', 'eus'], ['bg', 'bul'], ['hr', 'hrv'], ['sr', 'srp'], ['sl', 'slv'], ['ca', 'cat'],
];

function canonical(code: string): string {
  // "en-US" and "pt_BR" are English and Portuguese: the region does not choose a track.
  const lower = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return SAME_LANGUAGE.find((group) => group.includes(lower))?.[0] ?? lower;
}

/** Whether a stream's language is the one the user named (any ISO 639 form, any case). */
export function sameLanguage(wanted: string, language: string | undefined): boolean {
  return language !== undefined && language !== '' && canonical(wanted) === canonical(language);
}

function preferred(streams: readonly StreamChoice[], languages: readonly string[]): StreamChoice | undefined {
  for (const language of languages) {
    const matches = streams.filter((stream) => sameLanguage(language, stream.language));
    if (matches.length > 0) return matches.find((stream) => stream.isDefault) ?? matches[0];
  }
  return undefined;
}

/** A stream in the language of `previous`, the one with the same label first; none when that language is unknown. */
function inLanguageOf(streams: readonly StreamChoice[], previous: StreamChoice | undefined): StreamChoice | undefined {
  const language = previous?.language;
  if (previous === undefined || language === undefined) return undefined;
  const matches = streams.filter((stream) => sameLanguage(language, stream.language));
  return matches.find((stream) => stream.label === previous.label) ?? matches.find((stream) => stream.isDefault) ?? matches[0];
}

/**
 * The server's subtitle pick: the listed stream, null for none (-1 or absent), or undefined when
 * it names a stream that is not listed (one mpv cannot be given).
 */
function serverSubtitle(tracks: MediaTracks): StreamChoice | null | undefined {
  const index = tracks.defaultSubtitleIndex;
  if (index === undefined || index === -1) return null;
  return tracks.subtitles.find((stream) => stream.index === index);
}

function chooseSubtitle(tracks: MediaTracks, preferences: LanguagePreferences, carried: CarriedTracks): StreamChoice | null {
  if (carried.subtitle === null) return null;
  const same = inLanguageOf(tracks.subtitles, carried.subtitle);
  if (same !== undefined) return same;
  const remembered = tracks.remembered?.subtitle ? serverSubtitle(tracks) : undefined;
  if (remembered !== undefined) return remembered;
  return preferred(tracks.subtitles, preferences.subtitleLanguages) ?? serverSubtitle(tracks) ?? null;
}

/**
 * Picks the streams to play, per kind, by the first rule that gives one: what the user had at the
 * end of the item before in a run (same language; subtitles off stay off); the server's remembered
 * choice, when `tracks.remembered` says there is one; the first preferred language the item has;
 * the server's default (for subtitles it applies the user's server-side settings), else none.
 */
export function chooseTracks(tracks: MediaTracks, preferences: LanguagePreferences, carried: CarriedTracks = {}): TrackSelection {
  const serverAudio = tracks.audio.find((stream) => stream.index === tracks.defaultAudioIndex);
  const audio =
    inLanguageOf(tracks.audio, carried.audio) ??
    (tracks.remembered?.audio ? serverAudio : undefined) ??
    preferred(tracks.audio, preferences.audioLanguages) ??
    serverAudio ??
    tracks.audio.find((stream) => stream.isDefault) ??
    tracks.audio[0];
  const subtitle = chooseSubtitle(tracks, preferences, carried);
  return { audio, subtitle };
}

/** The indexes to report for what the player selected: a kind is left out when its stream is not one of the server's. */
export function selectedIndexes(tracks: MediaTracks, selected: { audio: TrackRef | null; subtitle: TrackRef | null }): StreamIndexes {
  const audio = streamFor(tracks.audio, selected.audio);
  const subtitle = selected.subtitle === null ? -1 : streamFor(tracks.subtitles, selected.subtitle)?.index;
  return { ...(audio !== undefined ? { audio: audio.index } : {}), ...(subtitle !== undefined ? { subtitle } : {}) };
}

/** The player's handle on a stream. */
export function trackRef(stream: StreamChoice): TrackRef {
  return stream.url !== undefined ? { url: stream.url } : { embedded: stream.embedded ?? 0 };
}

/** The stream the player reports as selected, if it is one of the server's. */
export function streamFor(streams: readonly StreamChoice[], ref: TrackRef | null): StreamChoice | undefined {
  if (ref === null) return undefined;
  return streams.find((stream) => ('url' in ref ? stream.url === ref.url : stream.url === undefined && stream.embedded === ref.embedded));
}

/** The stream after `current` (wrapping); for subtitles, "off" comes after the last. */
export function nextStream(streams: readonly StreamChoice[], current: StreamChoice | undefined, withOff: boolean): StreamChoice | null | undefined {
  // The round a user expects: the file's own streams in the file's order, then external files in
  // the server's order, then off, which leads back to the first. Jellyfin lists external
  // subtitles first; putting off among them makes a user take it for the end of the round.
  const inFile = streams.filter((stream) => stream.url === undefined).sort((a, b) => (a.embedded ?? 0) - (b.embedded ?? 0));
  const external = streams.filter((stream) => stream.url !== undefined);
  const cycle: Array<StreamChoice | null> = withOff ? [...inFile, ...external, null] : [...inFile, ...external];
  if (cycle.length === 0) return undefined;
  const at = cycle.indexOf(current ?? null);
  return cycle[(at + 1) % cycle.length];
}
