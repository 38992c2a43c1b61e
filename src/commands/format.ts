import { sanitizeText } from '../text/sanitize.js';
import { formatSpan, formatTicks } from '../text/time.js';
import { supersededText } from '../text/dead-letter.js';
import { sameAccount, type OpAccount } from '../sync/op.js';

// (shared with the TUI, which does not import commands: they live in src/text)
export { formatSpan, formatTicks, supersededText };

/** Lays out rows as aligned columns; cells longer than `maxWidth` (when given) are cut with `…`. */
export function formatTable(header: string[], rows: string[][], maxWidth?: number): string {
  // (loops, not spreads and maps: `reelterm --pending` lays out tens of thousands of cells)
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      const length = (row[i] ?? '').length;
      if (length > widths[i]!) widths[i] = length;
    }
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
  const line = (cells: string[]) => {
    // Empty cells at the end of a row, and the padding of the last one that is not, would only
    // be taken off again by trimEnd.
    let end = cells.length;
    while (end > 0 && cells[end - 1] === '') end -= 1;
    let text = '';
    for (let i = 0; i < end; i++) {
      const cell = cells[i]!;
      const width = widths[i]!;
      if (i > 0) text += '  ';
      text += cell.length > width ? `${cell.slice(0, width - 1)}…` : i === end - 1 ? cell : cell.padEnd(width);
    }
    return text.trimEnd();
  };
  const lines = [line(header)];
  for (const row of rows) lines.push(line(row));
  return lines.join('\n');
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
