/**
 * What a queued update does to the user's watch state on the server. `started` is the
 * live start report: delivered only while fresh, never replayed late (the server stamps a
 * start with its own clock and, before 12.0, clears Played), so a stale one is superseded.
 */
export type OpKind = 'started' | 'progress' | 'stopped' | 'played' | 'unplayed';

/** Playback details carried by `progress` and `stopped` ops. */
export interface OpPayload {
  /** Absolute position, in Jellyfin ticks (10,000,000 a second). */
  positionTicks?: number;
  /** The item's runtime in ticks, when known: lets a replay apply the server's played threshold. */
  runtimeTicks?: number;
  paused?: boolean;
  /** A pause, resume or seek: sent at once instead of waiting for the progress cadence. */
  urgent?: boolean;
  playSessionId?: string;
  mediaSourceId?: string;
}

/** One queued watch-state update, as stored in the queue file. */
export interface Op {
  id: string;
  itemId: string;
  kind: OpKind;
  payload: OpPayload;
  /** When the user did it (ISO 8601, UTC). Replays send this time where the API takes one. */
  createdAt: string;
  /** Delivery attempts that failed with a retryable error. */
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  /** Order of creation; per item, ops are delivered in this order. */
  seq: number;
  /** The item's title when queued, for `--pending` and the sync screen (already sanitised). */
  title?: string;
}

/** An op the engine gave up on; kept for the user to retry or discard. */
export interface DeadLetter {
  op: Op;
  reason: 'permanent' | 'expired';
  error: string;
  /** When it became a dead letter (ISO 8601). */
  at: string;
}

/**
 * How an op ended. `superseded`: the server already had newer activity, so nothing was
 * overwritten. `discarded`: the user chose to drop it.
 */
export type Outcome = 'delivered' | 'superseded' | 'dead-lettered' | 'discarded';

/** What a caller gives `enqueue()`. */
export interface OpInput {
  itemId: string;
  kind: OpKind;
  payload?: OpPayload;
  /** When the user acted; defaults to now. */
  at?: Date;
  title?: string;
}

/** The queue file's content. */
export interface QueueData {
  version: 1;
  seq: number;
  ops: Op[];
  deadLetters: DeadLetter[];
}

export const QUEUE_VERSION = 1;

/** A fresh, empty queue. */
export function emptyQueue(): QueueData {
  return { version: QUEUE_VERSION, seq: 0, ops: [], deadLetters: [] };
}

/** Kinds whose loss in a crash costs at most a few seconds: batched in memory, flushed every few seconds. */
export function isBatched(kind: OpKind): boolean {
  return kind === 'progress' || kind === 'started';
}

/** `played` and `unplayed` are one state (watched or not): they replace each other. */
export function coalesceKey(kind: OpKind): string {
  return kind === 'played' || kind === 'unplayed' ? 'mark' : kind;
}

/** Jellyfin ticks in one second. */
export const TICKS_PER_SECOND = 10_000_000;
