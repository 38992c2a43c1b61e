import { sanitizeText } from '../jellyfin/sanitize.js';
import { readQueueFile } from '../sync/queue-file.js';
import type { DeadLetter, Op } from '../sync/op.js';
import { formatSpan, formatTable, formatTicks } from './format.js';

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
  return [itemLabel(dead.op), dead.op.kind, position(dead.op), formatSpan(now - Date.parse(dead.op.createdAt)), dead.reason, sanitizeText(dead.error)];
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
  };
}

/**
 * `reelterm --pending`: reads the queue file (never writes, never locks, so it works while
 * the TUI runs) and lists queued updates and dead letters as a table, or as JSON.
 */
export async function pendingCommand(options: { queueFile: string; json: boolean; now?: number; width?: number }): Promise<CommandResult> {
  const now = options.now ?? Date.now();
  const read = await readQueueFile(options.queueFile);
  if (read.status === 'corrupt' || read.status === 'newer') {
    const why = read.status === 'corrupt' ? read.reason : `written by a newer reelterm (format ${String(read.version)})`;
    const message = `The sync queue ${options.queueFile} cannot be read: ${why}. Nothing was changed; ` +
      (read.status === 'corrupt' ? 'reelterm keeps it aside as queue.json.corrupt-<time> when it next starts.' : 'update reelterm to deliver it.');
    return options.json
      ? { stdout: `${JSON.stringify({ error: message, file: options.queueFile })}\n`, stderr: '', exitCode: 1 }
      : { stdout: '', stderr: `${message}\n`, exitCode: 1 };
  }
  const { ops, deadLetters } = read.data;
  if (options.json) {
    const body = {
      file: options.queueFile,
      pending: ops.map(jsonOp),
      deadLetters: deadLetters.map((d) => ({ ...jsonOp(d.op), reason: d.reason, error: sanitizeText(d.error), deadAt: d.at })),
    };
    return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '', exitCode: 0 };
  }
  if (ops.length === 0 && deadLetters.length === 0) return { stdout: 'Nothing pending.\n', stderr: '', exitCode: 0 };
  const parts: string[] = [];
  if (ops.length > 0) {
    parts.push(`${ops.length} pending ${ops.length === 1 ? 'update' : 'updates'}:`);
    parts.push(formatTable(['ITEM', 'KIND', 'POSITION', 'AGE', 'ATTEMPTS', 'NEXT RETRY', 'LAST ERROR'], ops.map((op) => opRow(op, now)), options.width));
  } else {
    parts.push('Nothing pending.');
  }
  if (deadLetters.length > 0) {
    parts.push('');
    parts.push(`${deadLetters.length} failed (will not be retried; review them with S in reelterm):`);
    parts.push(formatTable(['ITEM', 'KIND', 'POSITION', 'AGE', 'REASON', 'ERROR'], deadLetters.map((d) => deadRow(d, now)), options.width));
  }
  return { stdout: `${parts.join('\n')}\n`, stderr: '', exitCode: 0 };
}
