import { sanitizeText } from '../text/sanitize.js';
import { peekQueueFile } from '../sync/queue-peek.js';
import { sameAccount, type DeadLetter, type Op, type OpAccount } from '../sync/op.js';
import { kindLabel } from '../servers/kind-names.js';
import { accountLabel, commandLine, formatSpan, formatTable, formatTicks, plural, supersededText } from './format.js';

/** What `reelterm --pending` prints and how it exits. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function position(op: Op): string {
  return op.payload.positionTicks === undefined ? '' : formatTicks(op.payload.positionTicks);
}

function itemLabel(op: Op): string {
  return sanitizeText(op.title ?? op.itemId);
}

function opRow(op: Op, now: number): string[] {
  const next = op.nextAttemptAt === null ? '' : Date.parse(op.nextAttemptAt) <= now ? 'now' : `in ${formatSpan(Date.parse(op.nextAttemptAt) - now)}`;
  return [itemLabel(op), op.kind, position(op), formatSpan(now - Date.parse(op.createdAt)), String(op.attempts), next, sanitizeText(op.lastError ?? '')];
}

function deadRow(dead: DeadLetter, now: number): string[] {
  const error = dead.reason === 'superseded' ? `changed elsewhere: ${supersededText(dead)}` : sanitizeText(dead.error);
  return [itemLabel(dead.op), dead.op.kind, position(dead.op), formatSpan(now - Date.parse(dead.op.createdAt)), dead.reason, error];
}

function jsonAccount(account: OpAccount | undefined) {
  if (account === undefined) return null;
  return {
    ...(account.kind !== undefined ? { kind: sanitizeText(account.kind) } : {}),
    ...(account.serverId !== undefined ? { serverId: sanitizeText(account.serverId) } : {}),
    server: sanitizeText(account.server),
    userId: account.userId,
    userName: sanitizeText(account.userName),
  };
}

/**
 * Whose each update is, for the `FOR` column (one queued before accounts were recorded: not
 * known): one label made per account object, as the queue file's reader keeps one object per
 * account, not one per update of a backlog.
 */
function accountCells(): (op: Op) => string {
  const labels = new Map<OpAccount | undefined, string>([[undefined, '(not recorded)']]);
  return (op) => {
    let label = labels.get(op.account);
    if (label === undefined) labels.set(op.account, (label = withKind(op.account!)));
    return label;
  };
}

/** "demo on http://… (Plex)": whose updates, on which kind of server. */
function withKind(account: OpAccount): string {
  const kind = kindLabel(account.kind);
  return kind === undefined ? accountLabel(account) : `${accountLabel(account)} (${sanitizeText(kind)})`;
}

/** The queued updates (none when the queue file is missing or cannot be read). */
export async function queuedOps(queueFile: string): Promise<Op[]> {
  const read = peekQueueFile(queueFile);
  return read.status === 'ok' ? read.data.ops : [];
}

function jsonOp(op: Op) {
  return {
    id: op.id,
    itemId: op.itemId,
    title: op.title === undefined ? null : sanitizeText(op.title),
    kind: op.kind,
    positionTicks: op.payload.positionTicks ?? null,
    createdAt: op.createdAt,
    attempts: op.attempts,
    nextAttemptAt: op.nextAttemptAt,
    lastError: op.lastError === null ? null : sanitizeText(op.lastError),
    account: jsonAccount(op.account),
  };
}

/**
 * JSON whose strings carry no character a terminal acts on: JSON.stringify escapes the C0
 * controls but leaves DEL, the C1 controls (U+009B is a CSI) and the bidirectional controls as
 * they are, and the ids are the server's, kept whole (not sanitized) for scripts. Written as
 * `\uXXXX` escapes instead, they are the same JSON data (they can only be inside strings).
 */
function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `reelterm --pending`: reads the queue file (never writes, never locks, so it works while
 * the TUI runs) and lists queued updates and dead letters as a table, or as JSON.
 */
export async function pendingCommand(options: {
  queueFile: string;
  json: boolean;
  now?: number;
  width?: number;
  /** The demo's queue: commands it suggests carry `--demo`. */
  demo?: boolean;
}): Promise<CommandResult> {
  const now = options.now ?? Date.now();
  const read = peekQueueFile(options.queueFile);
  if (read.status === 'corrupt' || read.status === 'newer' || read.status === 'unreadable') {
    const why = read.status === 'newer' ? `written by a newer reelterm (format ${String(read.version)})` : read.reason;
    const what =
      read.status === 'corrupt'
        ? ' Nothing was changed; reelterm keeps it aside as queue.json.corrupt-<time> when it next starts.'
        : read.status === 'newer'
          ? ' Nothing was changed; update reelterm to deliver it.'
          : ' Nothing was changed.';
    const message = `The sync queue ${options.queueFile} cannot be read: ${why}.${what}`;
    return options.json
      ? { stdout: `${terminalSafeJson(JSON.stringify({ error: message, file: options.queueFile }))}\n`, stderr: '', exitCode: 1 }
      : { stdout: '', stderr: `${message}\n`, exitCode: 1 };
  }
  const { ops, deadLetters } = read.data;
  if (options.json) {
    const body = {
      file: options.queueFile,
      pending: ops.map(jsonOp),
      deadLetters: deadLetters.map((d) => ({ ...jsonOp(d.op), reason: d.reason, error: sanitizeText(d.error), deadAt: d.at, server: d.server ?? null })),
    };
    return { stdout: `${terminalSafeJson(JSON.stringify(body, null, 2))}\n`, stderr: '', exitCode: 0 };
  }
  if (ops.length === 0 && deadLetters.length === 0) return { stdout: 'Nothing pending.\n', stderr: '', exitCode: 0 };
  // Whose each update is: in the headings when the queue holds one account, in a column when more.
  const accounts: Array<OpAccount | undefined> = [];
  const note = (op: Op) => {
    if (!accounts.some((a) => sameAccount(a, op.account))) accounts.push(op.account);
  };
  for (const op of ops) note(op);
  for (const dead of deadLetters) note(dead.op);
  const several = accounts.length > 1;
  const only = accounts.length === 1 ? accounts[0] : undefined;
  const forWhom = only === undefined ? '' : ` for ${withKind(only)}`;
  const accountCell = accountCells();
  const table = <T,>(header: string[], entries: readonly T[], row: (entry: T) => string[], opOf: (entry: T) => Op) =>
    several
      ? formatTable([...header, 'FOR'], entries.map((entry) => [...row(entry), accountCell(opOf(entry))]), options.width)
      : formatTable(header, entries.map(row), options.width);
  const parts: string[] = [];
  if (ops.length > 0) {
    parts.push(`${plural(ops.length, 'pending update')}${forWhom}:`);
    parts.push(table(['ITEM', 'KIND', 'POSITION', 'AGE', 'ATTEMPTS', 'NEXT RETRY', 'LAST ERROR'], ops, (op) => opRow(op, now), (op) => op));
  } else {
    parts.push('Nothing pending.');
  }
  if (deadLetters.length > 0) {
    parts.push('');
    const [them, self] = deadLetters.length === 1 ? ['it', 'itself'] : ['them', 'themselves'];
    const app = options.demo ? commandLine('', true) : 'reelterm';
    const review = `not retried by ${self}; retry ${them} with ${commandLine('sync --retry-failed', options.demo)}, or review ${them} with S in ${app}`;
    parts.push(`${deadLetters.length} failed${forWhom} (${review}):`);
    parts.push(table(['ITEM', 'KIND', 'POSITION', 'AGE', 'REASON', 'ERROR'], deadLetters, (d) => deadRow(d, now), (d) => d.op));
  }
  return { stdout: `${parts.join('\n')}\n`, stderr: '', exitCode: 0 };
}
