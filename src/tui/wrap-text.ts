/** The columns a string takes, counted by code point (titles and messages are narrow text). */
function width(text: string): number {
  return [...text].length;
}

/**
 * `text` cut into lines of at most `columns`, at spaces where it can; a word longer than a
 * line is cut where the line ends. Pure, so the screen's layout is known before it is drawn.
 */
export function wrapText(text: string, columns: number): string[] {
  const max = Math.max(1, columns);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    let rest = word;
    if (line !== '' && width(line) + 1 + width(rest) <= max) {
      line += ` ${rest}`;
      continue;
    }
    if (line !== '') lines.push(line);
    while (width(rest) > max) {
      const chars = [...rest];
      lines.push(chars.slice(0, max).join(''));
      rest = chars.slice(max).join('');
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** How a message shows in at most `maxRows`: its lines, and whether some of it did not fit. */
export interface MessageLines {
  lines: string[];
  cut: boolean;
}

/**
 * A message in at most `maxRows` lines of `columns`. When it does not fit, the last line ends
 * with `more` (how to read the rest), so the whole text is never silently lost.
 */
export function messageLines(text: string, columns: number, maxRows = 3, more = '… m: read all'): MessageLines {
  const lines = wrapText(text, columns);
  if (lines.length <= maxRows) return { lines, cut: false };
  const room = Math.max(0, columns - width(more));
  const shown = lines.slice(0, maxRows);
  const last = [...shown[maxRows - 1]!].slice(0, room).join('').trimEnd();
  shown[maxRows - 1] = `${last}${more}`;
  return { lines: shown, cut: true };
}
