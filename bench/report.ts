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
