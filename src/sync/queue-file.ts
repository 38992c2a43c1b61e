import { rename, stat } from 'node:fs/promises';
import { Low } from 'lowdb';
import { NotAFileError } from '../files.js';
import { AtomicTextFile, resolveWriteTarget } from './atomic-json-file.js';
import { emptyQueue, QUEUE_VERSION, type DeadLetter, type Op, type OpAccount, type OpKind, type QueueData } from './op.js';

/** A queue file that reelterm cannot use as it is; the message says what happened to it. */
export class QueueFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueFileError';
  }
}

const KINDS: ReadonlySet<OpKind> = new Set(['started', 'progress', 'stopped', 'played', 'unplayed']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOp(value: unknown): value is Op {
  if (!isRecord(value)) return false;
  return (
    typeof value.id === 'string' &&
    typeof value.itemId === 'string' &&
    typeof value.kind === 'string' &&
    KINDS.has(value.kind as OpKind) &&
    isRecord(value.payload) &&
    typeof value.createdAt === 'string' &&
    !Number.isNaN(Date.parse(value.createdAt)) &&
    typeof value.attempts === 'number' &&
    typeof value.seq === 'number' &&
    (value.nextAttemptAt === null || typeof value.nextAttemptAt === 'string') &&
    (value.lastError === null || typeof value.lastError === 'string') &&
    (value.title === undefined || typeof value.title === 'string') &&
    (value.account === undefined || isAccount(value.account)) &&
    (value.anyAge === undefined || typeof value.anyAge === 'boolean') &&
    (value.serverOffsetMs === undefined || (typeof value.serverOffsetMs === 'number' && Number.isFinite(value.serverOffsetMs)))
  );
}

/** A basis in a shape a replay can use; another (a hand edit, a future format) is dropped, not fatal: the replay then compares dates. */
function usableBasis(op: Op): void {
  const basis = op.basis as unknown;
  if (basis === undefined) return;
  const ok =
    isRecord(basis) &&
    typeof basis.positionTicks === 'number' &&
    typeof basis.played === 'boolean' &&
    typeof basis.at === 'number' &&
    (basis.playCount === undefined || typeof basis.playCount === 'number') &&
    (basis.lastPlayedDate === undefined || (typeof basis.lastPlayedDate === 'string' && !Number.isNaN(Date.parse(basis.lastPlayedDate)))) &&
    (basis.doubt === undefined || (isRecord(basis.doubt) && (basis.doubt.states === undefined || Array.isArray(basis.doubt.states))));
  if (!ok) delete op.basis;
}

function isAccount(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.server === 'string' &&
    typeof value.userId === 'string' &&
    typeof value.userName === 'string' &&
    (value.kind === undefined || (typeof value.kind === 'string' && value.kind !== '')) &&
    (value.serverId === undefined || typeof value.serverId === 'string')
  );
}

/**
 * The one object kept for the accounts written as `account` is (the same fields, the same
 * values), the last one found first: compared field by field, with no key made per op.
 */
function sharedAccount(accounts: OpAccount[], account: OpAccount): OpAccount {
  for (let at = accounts.length - 1; at >= 0; at--) {
    const known = accounts[at]!;
    if (!sameFields(known, account)) continue;
    if (at !== accounts.length - 1) accounts.push(...accounts.splice(at, 1));
    return known;
  }
  accounts.push(account);
  return account;
}

/** Whether two records read from JSON have the same keys with the same (identical) values. */
function sameFields(a: object, b: object): boolean {
  let keys = 0;
  for (const key in a) {
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
    keys += 1;
  }
  for (const _ in b) keys -= 1;
  return keys === 0;
}

function isDeadLetter(value: unknown): value is DeadLetter {
  return (
    isRecord(value) &&
    isOp(value.op) &&
    (value.reason === 'permanent' || value.reason === 'expired' || value.reason === 'superseded') &&
    typeof value.error === 'string' &&
    typeof value.at === 'string'
  );
}

/** Result of reading the queue file: the data, and whether it is in a shape we can use. */
export type QueueRead =
  | { status: 'ok'; data: QueueData }
  | { status: 'missing'; data: QueueData }
  | { status: 'corrupt'; reason: string }
  | { status: 'newer'; version: unknown };

/** A named pipe, a folder… where the queue file belongs: a queue that cannot be read, as a corrupt one is. */
export function notAFile(error: NotAFileError): QueueRead {
  return { status: 'corrupt', reason: error.reason };
}

/** Whether `path` is a regular file (following links). */
function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
}

/** What the queue file at `file` holds, read and checked (a named pipe there is not waited on). */
async function readQueue(file: AtomicTextFile): Promise<QueueRead> {
  try {
    return parseQueue(await file.read());
  } catch (error) {
    if (error instanceof NotAFileError) return notAFile(error);
    throw error;
  }
}

/** Parses and validates queue-file text. Pure: never touches the disk. */
export function parseQueue(text: string | null): QueueRead {
  if (text === null) return { status: 'missing', data: emptyQueue() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { status: 'corrupt', reason: text.trim() === '' ? 'the file is empty' : `not valid JSON (${(error as Error).message})` };
  }
  if (!isRecord(parsed)) return { status: 'corrupt', reason: 'not a queue object' };
  if (typeof parsed.version === 'number' && parsed.version > QUEUE_VERSION) {
    return { status: 'newer', version: parsed.version };
  }
  if (parsed.version !== QUEUE_VERSION && parsed.version !== 1) return { status: 'corrupt', reason: 'unknown queue version' };
  if (!Array.isArray(parsed.ops) || !parsed.ops.every(isOp)) return { status: 'corrupt', reason: 'an op has the wrong shape' };
  if (!Array.isArray(parsed.deadLetters) || !parsed.deadLetters.every(isDeadLetter)) {
    return { status: 'corrupt', reason: 'a dead letter has the wrong shape' };
  }
  const ops = (parsed.ops as Op[]).slice().sort((a, b) => a.seq - b.seq);
  // Each op of the file names its account in full: one object per account is kept instead of
  // one per op (a backlog of thousands is one or two accounts).
  const accounts: OpAccount[] = [];
  for (const op of [...ops, ...(parsed.deadLetters as DeadLetter[]).map((dead) => dead.op)]) {
    usableBasis(op);
    if (op.account !== undefined) op.account = sharedAccount(accounts, op.account);
  }
  const maxSeq = ops.reduce((max, op) => Math.max(max, op.seq), 0);
  const seq = typeof parsed.seq === 'number' ? Math.max(parsed.seq, maxSeq) : maxSeq;
  const offset = typeof parsed.serverOffsetMs === 'number' && Number.isFinite(parsed.serverOffsetMs) ? { serverOffsetMs: parsed.serverOffsetMs } : {};
  return { status: 'ok', data: { version: QUEUE_VERSION, seq, ops, deadLetters: parsed.deadLetters as DeadLetter[], ...offset } };
}

/** Ops (or dead letters) per piece of the queue file's text: each piece a small string (tens of KB). */
const PER_PIECE = 100;

/**
 * The queue as the text `JSON.stringify` makes of it, in pieces of a hundred ops: a backlog of
 * thousands is never one string of megabytes (which, written every few seconds, would stay in
 * memory until the engine next collects its oldest garbage). Which ops and dead letters are
 * written is decided now (the arrays are copied); each piece is made as its turn to be written
 * comes, so an op that changed in between (a failure counted, a newer view of the server) is
 * written as it is then.
 */
export function queueText(data: QueueData): Iterable<string> {
  const fields = Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, Array.isArray(value) ? (value as unknown[]).slice() : value] as const);
  return (function* pieces() {
    let head = '{';
    for (const [key, value] of fields) {
      head += `${head === '{' ? '' : ','}${JSON.stringify(key)}:`;
      if (!Array.isArray(value)) {
        head += JSON.stringify(value);
        continue;
      }
      yield `${head}[`;
      for (let at = 0; at < value.length; at += PER_PIECE) {
        const piece = value.slice(at, at + PER_PIECE).map((item) => JSON.stringify(item) ?? 'null').join(',');
        yield at === 0 ? piece : `,${piece}`;
      }
      head = ']';
    }
    yield `${head}}`;
  })();
}

/** Reads the queue file without changing anything (for `--pending`). */
export async function readQueueFile(path: string): Promise<QueueRead> {
  return readQueue(new AtomicTextFile(path));
}

/** The queue file opened for writing, plus anything the user must be told about it. */
export interface OpenedQueue {
  db: Low<QueueData>;
  /** Messages for the user, e.g. that a corrupt file was moved aside. */
  notices: string[];
}

/**
 * Opens the queue file for the owning process. A file that does not parse or has the
 * wrong shape is renamed to `queue.json.corrupt-<time>` (never deleted) and the queue
 * starts empty; a file written by a newer reelterm is left alone and opening fails.
 */
export async function openQueueFile(path: string, now: Date = new Date()): Promise<OpenedQueue> {
  const file = new AtomicTextFile(path);
  // The caller owns the queue (lock held): what a killed writer left half-written can go.
  await file.removeStaleTemps();
  const read = await readQueue(file);
  const notices: string[] = [];
  let data: QueueData;
  switch (read.status) {
    case 'ok':
    case 'missing':
      data = read.data;
      break;
    case 'newer':
      throw new QueueFileError(
        `The sync queue ${path} was written by a newer reelterm (format ${String(read.version)}). ` +
          'Update reelterm to deliver it; the file was left untouched.',
      );
    case 'corrupt': {
      // A symlinked queue keeps its link: the file it points to is what goes aside. A link to
      // what is no file at all (a folder, a device, a pipe elsewhere) goes aside itself: that
      // is not reelterm's to move.
      const resolved = await resolveWriteTarget(path);
      const target = resolved === path || (await isFile(resolved)) ? resolved : path;
      const aside = `${target}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
      await rename(target, aside);
      notices.push(`The sync queue could not be read (${read.reason}). It was kept as ${aside}; starting with an empty queue.`);
      data = emptyQueue();
      break;
    }
  }
  const db = new Low<QueueData>(
    {
      read: async () => {
        const again = parseQueue(await file.read());
        return again.status === 'ok' ? again.data : null;
      },
      write: (value: QueueData) => file.writePieces(queueText(value)),
    },
    data,
  );
  db.data = data;
  return { db, notices };
}
