/** Waits for Ink to render after `render()` or `stdin.write()` (TRAPS.md: ~20 ms; a lone escape needs ~100 ms). */
export const frame = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/** Strips ANSI styling from a frame so assertions read like the screen. */
export function plain(text: string | undefined): string {
  return (text ?? '').replace(/\x1b\[[0-9;]*m/g, '');
}
