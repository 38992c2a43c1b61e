import { sanitizeText } from './sanitize.js';

// What a viewer reads for an audio or subtitle track, whatever the server: every kind maps its
// streams to `TrackFacts` and gets the same words ("English (default)", "German · external").

/**
 * Made when a track is first labelled, not when this module loads: ICU's language names cost a
 * process ~6 MB of memory, which `reelterm sync` and `--pending` never use.
 */
let names: Intl.DisplayNames | undefined;
/** ISO 639-2 codes that name no language. */
const NO_LANGUAGE = new Set(['und', 'mis', 'mul', 'zxx', 'unknown', '']);

/** "English" for `eng`, `en` or `en-US`; "German" for `ger` or `deu`; the code itself when unknown; undefined for `und`. */
export function languageName(code: string | null | undefined): string | undefined {
  const clean = sanitizeText(code ?? '').trim();
  if (NO_LANGUAGE.has(clean.toLowerCase())) return undefined;
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    const name = names.of(clean.replace(/_/g, '-'));
    if (name !== undefined && name.toLowerCase() !== clean.toLowerCase()) return name;
  } catch {
    // not a language tag at all (a whole word, say): shown as the server has it
  }
  return clean.charAt(0).toUpperCase() + clean.slice(1);
}

/** What a server says of one audio or subtitle stream, for its label. */
export interface TrackFacts {
  /** Audio and subtitles are numbered apart (`track 2` of its kind). */
  kind: string;
  language?: string | null;
  title?: string | null;
  codec?: string | null;
  isDefault?: boolean;
  isForced?: boolean;
  isExternal?: boolean;
}

/** The parts of a label: what the track is, then its flags; the codec only to tell tracks apart. */
function parts(stream: TrackFacts, position: number): { name: string; codec: string | undefined; flags: string } {
  const language = languageName(stream.language);
  const title = stream.title ? sanitizeText(stream.title).trim() : '';
  const named = title !== '' && language !== undefined && !title.toLowerCase().includes(language.toLowerCase()) ? `${language} · ${title}` : title || language;
  const marks = [stream.isDefault === true ? 'default' : undefined, stream.isForced === true ? 'forced' : undefined].filter(Boolean);
  return {
    name: named || `Track ${position}`,
    codec: stream.codec ? sanitizeText(stream.codec).toUpperCase() : undefined,
    flags: `${marks.length > 0 ? ` (${marks.join(', ')})` : ''}${stream.isExternal === true ? ' · external' : ''}`,
  };
}

/**
 * What a viewer reads for each audio or subtitle stream: "English (default)", "German · external",
 * "English · Commentary". The codec is left out unless two streams of a kind would read the
 * same ("English · AC3", "English · AAC"); if they still do, their place ("English · track 2").
 */
export function trackLabels(streams: readonly TrackFacts[]): string[] {
  const seen = new Map<string, number>();
  const described = streams.map((stream) => {
    const position = (seen.get(stream.kind) ?? 0) + 1;
    seen.set(stream.kind, position);
    return { kind: stream.kind, position, ...parts(stream, position) };
  });
  const clashes = (labels: string[], i: number) => labels.some((label, j) => j !== i && described[j]!.kind === described[i]!.kind && label === labels[i]);
  const plain = described.map((d) => `${d.name}${d.flags}`);
  const withCodec = described.map((d, i) => (clashes(plain, i) && d.codec !== undefined ? `${d.name} · ${d.codec}${d.flags}` : plain[i]!));
  return described.map((d, i) => (clashes(withCodec, i) ? `${d.name} · track ${d.position}${d.flags}` : withCodec[i]!));
}
