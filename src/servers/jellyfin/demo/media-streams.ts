import { dirname, join } from 'node:path';
import type { MediaStream } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoItem } from './library.js';
import type { DemoVersion } from './playstate.js';

/**
 * The clip's streams as ffprobe reports them (`assets/demo/make-clip.sh`), mapped the way
 * `ProbeResultNormalizer` stores them. The mp4 holds no track titles, so no stream has a Title.
 */
const EMBEDDED: readonly MediaStream[] = [
  {
    Codec: 'h264',
    CodecTag: 'avc1',
    Language: 'und',
    TimeBase: '1/16384',
    NalLengthSize: '4',
    IsAVC: true,
    BitRate: 1861,
    BitDepth: 8,
    RefFrames: 1,
    IsDefault: true,
    Height: 90,
    Width: 160,
    AverageFrameRate: 1,
    RealFrameRate: 1,
    ReferenceFrameRate: 1,
    Profile: 'High',
    Type: 'Video',
    AspectRatio: '16:9',
    Index: 0,
    PixelFormat: 'yuv420p',
    Level: 12,
    IsAnamorphic: false,
  },
  { Codec: 'aac', CodecTag: 'mp4a', Language: 'eng', TimeBase: '1/8000', ChannelLayout: 'mono', BitRate: 254, Channels: 1, SampleRate: 8000, IsDefault: true, Profile: 'LC', Type: 'Audio', Index: 1 },
  { Codec: 'aac', CodecTag: 'mp4a', Language: 'fre', TimeBase: '1/8000', ChannelLayout: 'mono', BitRate: 254, Channels: 1, SampleRate: 8000, IsDefault: false, Profile: 'LC', Type: 'Audio', Index: 2 },
  { Codec: 'mov_text', CodecTag: 'tx3g', Language: 'eng', TimeBase: '1/1000000', BitRate: 3, IsDefault: true, Type: 'Subtitle', Index: 3 },
  { Codec: 'mov_text', CodecTag: 'tx3g', Language: 'spa', TimeBase: '1/1000000', BitRate: 4, IsDefault: false, Type: 'Subtitle', Index: 4 },
];

/**
 * The stream index of the external German subtitle. Jellyfin numbers external files first and
 * the file's own streams after them (`FFProbeVideoInfo`: "add external streams before adding
 * the streams from the file"), so a file stream's Index is its ffprobe index plus this offset.
 */
export const EXTERNAL_SUBTITLE_INDEX = 0;

/** What Jellyfin adds to a file stream's ffprobe index: the number of external streams before it. */
export const EMBEDDED_INDEX_OFFSET = 1;

/** The subtitle tracks the server can hand out, by stream index, with the SRT file beside the clip that holds their cues. */
export const SUBTITLE_FILES: ReadonlyMap<number, string> = new Map([
  [3 + EMBEDDED_INDEX_OFFSET, 'subtitles.eng.srt'],
  [4 + EMBEDDED_INDEX_OFFSET, 'subtitles.spa.srt'],
  [EXTERNAL_SUBTITLE_INDEX, 'subtitles.ger.srt'],
]);

/** The SRT file for a subtitle stream index, next to the clip; undefined for any other index. */
export function subtitleFile(clipPath: string, index: number): string | undefined {
  const file = SUBTITLE_FILES.get(index);
  return file === undefined ? undefined : join(dirname(clipPath), file);
}

// .NET's neutral cultures by ThreeLetterISOLanguageName, which is the ISO 639-2/T code: a /B
// code such as "fre" or "ger" finds nothing, and Jellyfin then shows the code itself.
const CULTURE_NAMES: Readonly<Record<string, string>> = { eng: 'English', fra: 'French', deu: 'German', spa: 'Spanish', ita: 'Italian', jpn: 'Japanese' };
const SPECIAL_LANGUAGES = new Set(['mis', 'mul', 'und', 'zxx']);

function languageName(language: string): string {
  const name = CULTURE_NAMES[language.toLowerCase()] ?? language;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function resolutionText(width: number, height: number): string | undefined {
  const steps: Array<[number, number, string]> = [
    [256, 144, '144p'], [426, 240, '240p'], [640, 360, '360p'], [682, 384, '384p'], [720, 404, '404p'], [854, 480, '480p'],
    [960, 544, '540p'], [1024, 576, '576p'], [1280, 962, '720p'], [2560, 1440, '1080p'], [4096, 3072, '4K'], [8192, 6144, '8K'],
  ];
  return steps.find(([w, h]) => width <= w && height <= h)?.[2];
}

/** `MediaStream.IsTextFormat`: anything but the bitmap formats counts as text. */
export function isTextFormat(format: string | null | undefined): boolean {
  const codec = (format ?? '').toLowerCase();
  return codec.includes('microdvd') || (!codec.includes('pgs') && !codec.includes('dvdsub') && !codec.includes('dvbsub') && codec !== 'sup' && codec !== 'sub');
}

function withTitle(title: string | null | undefined, attributes: string[], separator: string): string {
  if (!title) return attributes.join(separator);
  const folded = title.toLowerCase();
  return [title, ...attributes.filter((tag) => !folded.includes(tag.toLowerCase()))].join(' - ');
}

/** `MediaStream.DisplayTitle` with the server's English strings ("Default", "External", "Und"). */
export function displayTitle(stream: MediaStream): string | undefined {
  const language = stream.Language ?? '';
  switch (stream.Type) {
    case 'Audio': {
      const attributes: string[] = [];
      if (language !== '' && !SPECIAL_LANGUAGES.has(language.toLowerCase())) attributes.push(languageName(language));
      if (stream.Profile && stream.Profile.toLowerCase() !== 'lc') attributes.push(stream.Profile);
      else if (stream.Codec) attributes.push(stream.Codec.toUpperCase());
      if (stream.ChannelLayout) attributes.push(stream.ChannelLayout.charAt(0).toUpperCase() + stream.ChannelLayout.slice(1));
      else if (stream.Channels) attributes.push(`${stream.Channels} ch`);
      if (stream.IsDefault) attributes.push('Default');
      if (stream.IsExternal) attributes.push('External');
      return withTitle(stream.Title, attributes, ' - ');
    }
    case 'Video': {
      const attributes: string[] = [];
      const resolution = stream.Width && stream.Height ? resolutionText(stream.Width, stream.Height) : undefined;
      if (resolution) attributes.push(resolution);
      if (stream.Codec) attributes.push(stream.Codec.toUpperCase());
      attributes.push('SDR');
      return withTitle(stream.Title, attributes, ' ');
    }
    case 'Subtitle': {
      const attributes = [language !== '' ? languageName(language) : 'Und'];
      if (stream.IsHearingImpaired) attributes.push('Hearing Impaired');
      if (stream.IsDefault) attributes.push('Default');
      if (stream.IsForced) attributes.push('Forced');
      if (stream.Codec) attributes.push(stream.Codec.toUpperCase());
      if (stream.IsExternal) attributes.push('External');
      return withTitle(stream.Title, attributes, ' - ');
    }
    default:
      return undefined;
  }
}

/** What `MediaStreamRepository.Map`, `MediaStream`'s computed properties and `MediaSourceManager` add to a stored stream. */
function completed(stream: MediaStream, version: DemoVersion): MediaStream {
  const subtitle = stream.Type === 'Subtitle';
  const text = subtitle && (stream.IsExternal === true || Boolean(stream.Codec)) && isTextFormat(stream.Codec);
  const done: MediaStream = {
    ...stream,
    VideoRange: stream.Type === 'Video' ? 'SDR' : 'Unknown',
    VideoRangeType: stream.Type === 'Video' ? 'SDR' : 'Unknown',
    AudioSpatialFormat: 'None',
    IsInterlaced: false,
    IsForced: false,
    IsHearingImpaired: false,
    IsExternal: stream.IsExternal ?? false,
    IsTextSubtitleStream: text,
    // MediaSourceManager.StreamSupportsExternalStream: external or text subtitles (or PGS).
    SupportsExternalStream: stream.IsExternal === true || text,
  };
  if (version === '12.0.0') done.IsOriginal = false;
  if (stream.Type === 'Audio' || subtitle) {
    done.LocalizedDefault = 'Default';
    done.LocalizedExternal = 'External';
  }
  if (subtitle) {
    done.LocalizedUndefined = 'Undefined';
    done.LocalizedForced = 'Forced';
    done.LocalizedHearingImpaired = 'Hearing Impaired';
  }
  done.DisplayTitle = displayTitle(done);
  return done;
}

/**
 * The streams of a video, in Index order as Jellyfin lists them: one external German SRT that
 * Jellyfin would have found beside the file as `<name>.ger.srt` (Index 0), then the clip's own
 * streams (Index = ffprobe's stream index + 1).
 */
export function mediaStreams(item: DemoItem, version: DemoVersion): MediaStream[] {
  const base = (item.path ?? `/media/${item.id}.mp4`).replace(/\.[^./]+$/, '');
  const external: MediaStream = { Codec: 'srt', Language: 'ger', IsDefault: false, IsExternal: true, Type: 'Subtitle', Index: EXTERNAL_SUBTITLE_INDEX, Path: `${base}.ger.srt` };
  const embedded = EMBEDDED.map((stream) => ({ ...stream, Index: (stream.Index ?? 0) + EMBEDDED_INDEX_OFFSET }));
  return [external, ...embedded].map((stream) => completed(stream, version));
}

function byPreference(a: MediaStream, b: MediaStream): number {
  const rank = (value: boolean | undefined) => (value ? 0 : 1);
  return (
    rank(a.IsDefault) - rank(b.IsDefault) ||
    rank(a.SupportsExternalStream) - rank(b.SupportsExternalStream) ||
    rank(a.IsTextSubtitleStream) - rank(b.IsTextSubtitleStream) ||
    rank(a.IsExternal) - rank(b.IsExternal) ||
    (a.Index ?? 0) - (b.Index ?? 0)
  );
}

/**
 * `MediaStreamSelector.GetDefaultAudioStreamIndex` for a user with no audio language preference
 * who plays the default track (the demo users' settings): the default audio stream, else the first.
 */
export function defaultAudioStreamIndex(streams: readonly MediaStream[]): number | undefined {
  const audio = streams.filter((stream) => stream.Type === 'Audio').sort(byPreference);
  return (audio.find((stream) => stream.IsDefault) ?? audio[0])?.Index;
}

/**
 * `MediaStreamSelector.GetDefaultSubtitleStreamIndex` in `SubtitlePlaybackMode.Default` with no
 * subtitle language preference: a forced track in the audio's language, any forced track, else
 * the default track. It also scores those candidates as `SetSubtitleStreamScores` does.
 */
export function defaultSubtitleStreamIndex(streams: readonly MediaStream[], audioLanguage: string | undefined): number | undefined {
  const subtitles = streams.filter((stream) => stream.Type === 'Subtitle').sort(byPreference);
  const sameLanguage = (stream: MediaStream) => (stream.Language ?? '').toLowerCase() === (audioLanguage ?? '').toLowerCase();
  const chosen = subtitles.find((stream) => stream.IsForced && sameLanguage(stream)) ?? subtitles.find((stream) => stream.IsForced) ?? subtitles.find((stream) => stream.IsDefault);
  for (const stream of subtitles.filter((candidate) => candidate.IsForced || candidate.IsDefault)) {
    // GetSubtitleScore: one decimal digit per criterion, language first (none preferred here).
    const flags = [false, stream.IsForced, stream.IsDefault, stream.SupportsExternalStream, stream.IsTextSubtitleStream, stream.IsExternal];
    stream.Score = flags.reduce((score, flag, position) => score + 10 ** (flags.length - 1 - position) * (flag ? 2 : 1), 0);
  }
  return chosen?.Index;
}
