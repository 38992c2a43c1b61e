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
  /**
   * Watched or not once this update lands, as the playback decided it (a start clears it before
   * Jellyfin 12.0; 90 % sets it). A replay states it, since it does not go through a start.
   */
  played?: boolean;
  /** A pause, resume or seek: sent at once instead of waiting for the progress cadence. */
  urgent?: boolean;
  playSessionId?: string;
  mediaSourceId?: string;
  /**
   * Start and progress: the server's `Index` of the playing audio stream and of the shown subtitle
   * stream (-1: off), which the server remembers as the user's choice for the item.
   */
  audioStreamIndex?: number;
  subtitleStreamIndex?: number;
  /**
   * The item's play count on the server, as reelterm knew it, when this watch (or mark) began.
   * A server whose "watched" write adds a play on every call (Plex's scrobble) writes it only
   * while the server still has this many: a retry after a lost answer never counts twice.
   */
  playsBefore?: number;
  /**
   * A watched mark that replaced an unwatched one still queued (a change of mind): a server that
   * counts a play per "watched" write clears the count first, as the unmark would have.
   */
  unmarkedFirst?: true;
  /**
   * Where the item's credits begin, in ticks, when the server marks them: a server may count a
   * watch from there rather than from its played threshold (Plex does, by default).
   */
  creditsTicks?: number;
}

/** Whose update it is: delivered only while this user is signed in to this server. */
export interface OpAccount {
  /** The kind of server, by its name (`src/servers` names them); absent in queues written before kinds were recorded. */
  kind?: string;
  /** The server's own id (Jellyfin's `ServerId`), when known: an address can change, the id does not. */
  serverId?: string;
  /** The server's address, as signed in to. */
  server: string;
  userId: string;
  /** For messages ("for alice on https://jf.example"). */
  userName: string;
}

/**
 * Whether two accounts are the same user on the same server: the same kind of server, the same
 * server (by its own id, when both know it) and the same user id. Jellyfin's user ids are random
 * GUIDs, unique to one server's user: matching on them keeps a user's updates theirs when the
 * server moves to a new address (the address is for messages only). Another kind's ids (Plex's
 * account numbers, valid on every server the account uses) need the kind and the server's id.
 */
export function sameAccount(a: OpAccount | undefined, b: OpAccount | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  // An update without a kind was queued when reelterm spoke to one kind only; its user id (a
  // server's own, never shared by two kinds' accounts) still says whose it is.
  if (a.kind !== undefined && b.kind !== undefined && a.kind !== b.kind) return false;
  if (a.serverId !== undefined && b.serverId !== undefined && a.serverId !== b.serverId) return false;
  return a.userId === b.userId;
}

/**
 * The server's watch state for an item as reelterm last saw it: read from the server, or what
 * reelterm's own delivered reports left there. A replay that finds the server changed since by
 * someone else does not overwrite it.
 */
export interface SeenState {
  positionTicks: number;
  played: boolean;
  playCount?: number;
  /** ISO 8601, on the server's clock. */
  lastPlayedDate?: string;
  /** This machine's epoch ms when seen (the newest view wins). */
  at: number;
  /** The server's clock minus this machine's then, when known. */
  serverOffsetMs?: number;
  /** reelterm's playback session for the item was still open on the server (its last report a start or progress). */
  open?: boolean;
  /** That last report said paused (the server's automatic progress stands still). */
  paused?: boolean;
  /** The position that last report gave (the server's automatic progress runs on from it). */
  reportedTicks?: number;
  runtimeTicks?: number;
  /** The audio and subtitle stream indexes reelterm's reports last gave (the server remembers them). */
  streams?: { audio?: number; subtitle?: number };
  /** What reports of reelterm's that may have reached the server unseen (their answers lost) can have done since. */
  doubt?: Doubt;
  /**
   * The playback under way, and the item's play count on the server when it began (read as its
   * start was handled): a server that counts a play per "watched" write counts this watch once.
   */
  watch?: { playSessionId: string; playsBefore: number };
}

/** The possible effects of reelterm's own reports whose answers were lost. */
export interface Doubt {
  /** A start: a play counted, a later date stamped, (before 12.0) Played cleared. */
  start?: true;
  /** Dated marks: plays counted. */
  plays?: number;
  /** Dates a replay wrote (ISO 8601). */
  dates?: string[];
  /** An unmark: play count and date cleared. */
  unmark?: true;
  /** The state each progress, stop or mark would leave: a position, and Played where it decides it. */
  states?: Array<{ positionTicks: number; played?: boolean }>;
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
  /** The account it belongs to (queues written before version 2 have none: the first account to open them adopts them). */
  account?: OpAccount;
  /**
   * The server's clock minus this machine's when the op was made, when known: places the op
   * on the server's clock, so neither a skewed clock nor a later jump of this one misjudges it.
   */
  serverOffsetMs?: number;
  /**
   * The user put it back after it failed or was superseded: delivered as it is, whatever its
   * age or what the server has now.
   */
  anyAge?: boolean;
  /** The item's server state as reelterm saw it when the op was made (kept on disk for a replay after a crash). */
  basis?: SeenState;
  /** A failed attempt may have reached the server all the same (its answer was lost). */
  unsure?: true;
}

/** An op the engine gave up on; kept for the user to retry or discard. */
export interface DeadLetter {
  op: Op;
  /** `superseded`: not sent, because someone else changed the item on the server since reelterm last saw it. */
  reason: 'permanent' | 'expired' | 'superseded';
  error: string;
  /** With `superseded`: what the server had instead. */
  server?: { positionTicks: number; played: boolean; lastPlayedDate?: string };
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
  /** The item's server state as the caller last saw it (e.g. when playback began). */
  seen?: SeenState;
}

/** The queue file's content. */
export interface QueueData {
  version: 2;
  seq: number;
  ops: Op[];
  deadLetters: DeadLetter[];
  /** The server's clock minus this machine's, as last measured: stamped on ops made while the server cannot be reached. */
  serverOffsetMs?: number;
}

/** Version 2 added the account of each op; version 1 files are read and adopted. */
export const QUEUE_VERSION = 2;

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
