import { sanitizeText } from '../text/sanitize.js';
import { formatSpan, formatTicks } from '../text/time.js';
import { supersededText } from '../text/dead-letter.js';
import { sameAccount, type OpAccount } from '../sync/op.js';

// (shared with the TUI, which does not import commands: they live in src/text)
export { formatSpan, formatTicks, supersededText };

/** Lays out rows as aligned columns; cells longer than `maxWidth` (when given) are cut with `…`. */
export function formatTable(header: string[], rows: string[][], maxWidth?: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
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
  const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  const line = (cells: string[]) => cells.map((c, i) => fit(c, widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
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
