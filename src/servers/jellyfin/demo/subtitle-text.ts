import { TICKS_PER_SECOND } from './wire.js';

/** One subtitle cue, in ticks. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

const TICKS_PER_MS = TICKS_PER_SECOND / 1000;
const TIMING = /^(\d+):(\d\d):(\d\d)[,.](\d{3})\s*-->\s*(\d+):(\d\d):(\d\d)[,.](\d{3})/;

function ticks(h: string, m: string, s: string, ms: string): number {
  return (((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms)) * TICKS_PER_MS;
}

/** Reads the cues of an SRT file. */
export function parseSrt(text: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of text.replace(/\r/g, '').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((line) => line !== '');
    const at = lines.findIndex((line) => TIMING.test(line));
    if (at < 0) continue;
    const [, h1 = '', m1 = '', s1 = '', ms1 = '', h2 = '', m2 = '', s2 = '', ms2 = ''] = TIMING.exec(lines[at] ?? '') ?? [];
    cues.push({ start: ticks(h1, m1, s1, ms1), end: ticks(h2, m2, s2, ms2), text: lines.slice(at + 1).join('\n') });
  }
  return cues;
}

/**
 * `SubtitleEncoder.FilterEvents`: drops cues wholly before `start` and those starting after
 * `end` (when given), then shifts the rest to begin at `start` unless timestamps are kept.
 */
export function filterCues(cues: readonly Cue[], start: number, end: number, keepTimestamps: boolean): Cue[] {
  return cues
    .filter((cue) => !(cue.start < start && cue.end < start) && !(end > 0 && cue.start > end))
    .map((cue) => (keepTimestamps ? cue : { ...cue, start: Math.max(0, cue.start - start), end: Math.max(0, cue.end - start) }));
}

function clock(value: number, separator: string): string {
  const ms = Math.round(value / TICKS_PER_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

/** Jellyfin's `SrtWriter`. */
export function writeSrt(cues: readonly Cue[]): string {
  return cues.map((cue, index) => `${index + 1}\n${clock(cue.start, ',')} --> ${clock(cue.end, ',')}\n${cue.text}\n\n`).join('');
}

/** Jellyfin's `VttWriter`: a subtitle region, then the cues (an empty cue lasts 1 ms). */
export function writeVtt(cues: readonly Cue[]): string {
  const head = 'WEBVTT\n\nREGION\nid:subtitle\nwidth:80%\nlines:3\nregionanchor:50%,100%\nviewportanchor:50%,90%\n\n';
  const body = cues.map((cue) => {
    const end = cue.end > cue.start ? cue.end : cue.start + TICKS_PER_MS;
    return `${clock(cue.start, '.')} --> ${clock(end, '.')} region:subtitle\n${cue.text}\n\n`;
  });
  return head + body.join('');
}
