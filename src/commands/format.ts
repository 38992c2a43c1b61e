import { sanitizeText } from '../text/sanitize.js';
import { formatSpan, formatTicks } from '../text/time.js';
import { supersededText } from '../text/dead-letter.js';
import { sameAccount, type OpAccount } from '../sync/op.js';

// (shared with the TUI, which does not import commands: they live in src/text)
export { formatSpan, formatTicks, supersededText };

/** `count` spaces, each count made once: a table pads tens of thousands of cells with a few widths. */
const SPACES: string[] = [];
function spaces(count: number): string {
  return (SPACES[count] ??= ' '.repeat(count));
}

/** Whether `text` ends with what `trimEnd` takes off (white space or a line break). */
function endsWithSpace(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  // (printable ASCII first: almost every cell ends with it)
  return last < 0x21 || (last > 0x7e && /\s/.test(text.charAt(text.length - 1)));
}

/**
 * Lays out a table given by columns (`columns[c][r]`: row r's cell in column c, every column as
 * long as the first) as aligned columns two spaces apart, with nothing after the last text of a
 * row; cells longer than `maxWidth` (when given) allows are cut with `…`. By columns, and in one
 * string joined once, because `reelterm --pending` lays out tens of thousands of cells: no array
 * per row, no string per line.
 */
export function formatTable(header: readonly string[], columns: ReadonlyArray<readonly string[]>, maxWidth?: number): string {
  const widths = header.map((h) => h.length);
  for (let c = 0; c < columns.length; c++) {
    let width = widths[c]!;
    for (const cell of columns[c]!) if (cell.length > width) width = cell.length;
    widths[c] = width;
  }
  if (maxWidth !== undefined) {
    let total = widths.reduce((a, b) => a + b + 2, -2);
    // Shrink the widest column until the table fits (never below 8).
    while (total > maxWidth) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widths[widest]! <= 8) break;
      widths[widest] = widths[widest]! - 1;
      total -= 1;
    }
  }
  const parts: string[] = [];
  const cell = (column: number, row: number) => (row < 0 ? header[column]! : columns[column]![row]!);
  // Row `row` (-1: the header) into `parts`, each cell with its padding and the two spaces after it.
  const line = (row: number) => {
    // Empty cells at the end of a row are left out, and the last one that is not is not padded.
    let end = widths.length;
    while (end > 0 && cell(end - 1, row) === '') end -= 1;
    const start = parts.length;
    for (let c = 0; c < end; c++) {
      const text = cell(c, row);
      const width = widths[c]!;
      const last = c === end - 1;
      if (text.length > width) parts.push(text.slice(0, width - 1), last ? '…' : '…  ');
      else if (last) parts.push(text);
      else parts.push(text, spaces(width - text.length + 2));
    }
    // A last cell that ends in spaces (or is nothing but) goes as trimEnd would take it off, padding before it included.
    if (end > 0 && endsWithSpace(parts[parts.length - 1]!)) parts.push(parts.splice(start).join('').trimEnd());
  };
  line(-1);
  const rows = columns[0]?.length ?? 0;
  for (let row = 0; row < rows; row++) {
    parts.push('\n');
    line(row);
  }
  return parts.join('');
}

/** `1 update`, `3 updates`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Whose an update is, for messages: `alice on https://jf.example` (sanitised: names come from the server). */
export function accountLabel(account: { server: string; userName: string }): string {
  return `${sanitizeText(account.userName) || 'an unnamed user'} on ${sanitizeText(account.server)}`;
}

/** Groups updates by their account (server and user id), in order of first appearance; those with none are left out. */
export function byAccount<T>(items: readonly T[], accountOf: (item: T) => OpAccount | undefined): Array<{ account: OpAccount; count: number }> {
  const groups: Array<{ account: OpAccount; count: number }> = [];
  for (const item of items) {
    const account = accountOf(item);
    if (account === undefined) continue;
    const group = groups.find((g) => sameAccount(g.account, account));
    if (group) group.count += 1;
    else groups.push({ account, count: 1 });
  }
  return groups;
}

/** `2 updates for alice on https://jf.example wait for that account to sign in.` */
export function waitingForAccount(group: { account: OpAccount; count: number }): string {
  return `${plural(group.count, 'update')} for ${accountLabel(group.account)} ${group.count === 1 ? 'waits' : 'wait'} for that account to sign in.`;
}

/**
 * A reelterm command as the user should type it, in backticks: `reelterm sync --retry-failed`,
 * or with `--demo` when the message is about the demo's queue (`reelterm sync --retry-failed --demo`).
 */
export function commandLine(args: string, demo = false): string {
  return `\`${['reelterm', args, demo ? '--demo' : ''].filter((part) => part !== '').join(' ')}\``;
}

/** A queue-locked message, naming the demo's `--pending` in demo mode. */
export function lockedText(error: Error, demo = false): string {
  return demo ? error.message.replace(commandLine('--pending'), commandLine('--pending', true)) : error.message;
}
