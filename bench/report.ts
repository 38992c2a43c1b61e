/** One benchmark figure, as printed and as collected for docs/PERFORMANCE.md. */
export interface Figure {
  /** Stable id, e.g. `sync.jellyfin.fresh_10k.seconds`. */
  name: string;
  /** What was measured, in words. */
  label: string;
  value: number;
  unit: string;
  /** The reference measured in the same run (median), when the figure has one. */
  reference?: { label: string; value: number; unit: string };
  /** reelterm ÷ reference (median of the per-round ratios). */
  ratio?: number;
  /** The target that decides `met`: on the ratio when there is one that load cancels out. */
  target: string;
  met: boolean;
  /** The absolute target on an idle machine, for information (not judged). */
  idle?: string;
  /** How it was measured (rounds, window), or what limits it. */
  note?: string;
}

/** Every figure reported in this process. */
export const figures: Figure[] = [];

/** A number as the tables show it: integers as they are, else 2 or 1 decimals. */
export function shown(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  return value.toFixed(abs < 1 ? 3 : abs < 10 ? 2 : abs < 1000 ? 1 : 0);
}

/** Prints one line for the figure and records it. */
export function report(figure: Figure): void {
  figures.push(figure);
  const reference = figure.reference ? ` · ${figure.reference.label} ${shown(figure.reference.value)} ${figure.reference.unit}` : '';
  const ratio = figure.ratio !== undefined ? ` · ratio ${figure.ratio.toFixed(2)}×` : '';
  const idle = figure.idle ? `; idle ${figure.idle}` : '';
  console.log(`${figure.name}: ${shown(figure.value)} ${figure.unit}${reference}${ratio} (target ${figure.target}${idle})${figure.met ? '' : ' MISSED'}`);
}

/** Where one Node major version's section of docs/PERFORMANCE.md begins and ends. */
const SECTION = /<!-- bench:node-(\d+) -->\n[\s\S]*?<!-- \/bench:node-\1 -->\n/g;

/**
 * docs/PERFORMANCE.md with `section` (this run's figures) as the section of Node `major`: the
 * file keeps one section per Node major version, so a run on Node 22 replaces the Node 22
 * section and leaves Node 20's and 24's as they were measured (each says when). `intro` opens
 * the file and names the sections present. A file of the one-section form the bench wrote
 * before keeps nothing: its figures had no marker to say which Node measured them.
 */
export function performanceDoc(existing: string | undefined, major: number, section: string, intro: (majors: number[]) => string[]): string {
  const sections = new Map<number, string>();
  for (const match of (existing ?? '').matchAll(SECTION)) sections.set(Number(match[1]), match[0]);
  sections.set(major, `<!-- bench:node-${major} -->\n${section.trimEnd()}\n<!-- /bench:node-${major} -->\n`);
  const majors = [...sections.keys()].sort((a, b) => a - b);
  return [...intro(majors), ...majors.map((m) => sections.get(m)!)].join('\n');
}
