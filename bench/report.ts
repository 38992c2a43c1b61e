/** One benchmark figure, as printed and as collected for docs/PERFORMANCE.md. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
  /** What limits the figure, said when it misses its target. */
  limit?: string;
}

/** Every figure reported in this process. */
export const figures: Figure[] = [];

/** Prints `name: value unit (target …)` and records the figure. */
export function report(name: string, value: number, unit: string, target: string, met: boolean, limit?: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  figures.push({ name, value, unit, target, met, ...(limit !== undefined ? { limit } : {}) });
  console.log(`${name}: ${shown} ${unit} (target ${target}${met ? '' : ', MISSED'})`);
}
