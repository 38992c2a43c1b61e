import type { DeadLetter, Op, SeenState } from './op.js';

/**
 * How a send ended. `superseded` (the string): a late start report, dropped as meaningless.
 * `{ superseded }`: not written because someone else changed the item on the server since
 * reelterm last saw it; the op is kept aside for the user with what the server has.
 */
export type SendOutcome = 'delivered' | 'superseded' | 'expired' | { superseded: NonNullable<DeadLetter['server']> };

/** What a delivery is given: its abort signal, the engine's time, and where to say a new request left. */
export interface SendContext {
  signal: AbortSignal;
  now: number;
  /** A delivery of several requests calls this as each one after the first leaves (the footer counts the wait of one request). */
  nextRequest?: () => void;
  /**
   * The op was queued by an earlier run of reelterm (killed, or quit before it landed): whatever
   * its age, the playback it reports is over, so it is never a live report.
   */
  earlierRun?: boolean;
}

/** What the outbox needs from a server: send one op, and check that the server is reachable. */
export interface Deliver {
  /**
   * Sends one op. Resolves `delivered`; `superseded` when the server already has newer
   * activity for the item and nothing was written; `expired` when, by the server's clock, the
   * op is too old to replay blindly (unless `op.anyAge`). Rejects with an error carrying a `kind`
   * (`retryable` | `auth` | `permanent`, see `ApiError`); anything else counts as retryable.
   */
  send(op: Op, context: SendContext): Promise<SendOutcome>;
  /** Resolves when the server answers its cheapest anonymous request (`/System/Ping`). */
  probe(signal: AbortSignal): Promise<void>;
  /** The server's clock minus this machine's, once an answer has told it (stamped on new ops). */
  clockOffsetMs?(): number | undefined;
  /** The item's server state as this deliverer last saw it (its own reports' effect), stamped on new ops. */
  seen?(itemId: string): SeenState | undefined;
  /**
   * The view of the item's server state after an op of reelterm's whose answer was lost: the op
   * may have landed, so its effect (by the server's rules) is one more state the server may hold
   * without anyone else's doing. Without it, a basis with such a doubt is dropped (a replay then
   * compares dates only).
   */
  withDoubt?(seen: SeenState | undefined, op: Op, at: number): SeenState | undefined;
  /**
   * Ops the outbox sends soon (one per item, in order): a deliverer that reads an item's state
   * before a replay may read theirs together, in one request. Each op is told of once as it
   * comes within reach of the next sends, and again every few seconds while it waits.
   */
  upcoming?(ops: readonly Op[]): void;
  /** Something the user should know about how updates are delivered (shown in the sync screen), if any. */
  notice?(): string | undefined;
  /**
   * Calls `listener` when the server ends a playback it was being told of (Plex: an admin stopped
   * the stream, `terminationCode`); returns the unsubscribe function.
   */
  onPlaybackEnded?(listener: (ended: EndedByServer) => void): () => void;
}

/** A playback the server ended, with what it said. */
export interface EndedByServer {
  itemId: string;
  playSessionId: string | undefined;
  text: string;
}

/** A failure as the outbox reads it (ApiError has this shape). */
export interface DeliveryFailure {
  kind: 'retryable' | 'auth' | 'permanent';
  offline: boolean;
  /** Offline because the server's TLS certificate is not trusted (a captive portal, an expired certificate). */
  untrusted: boolean;
  retryAfterMs: number | undefined;
  message: string;
  /** The server may have acted on the request all the same (its answer was lost): not when it surely never left, nor when the server refused it (4xx). */
  mayHaveLanded: boolean;
}

/** Reads any thrown value as a delivery failure; unknown errors are retryable. */
export function readFailure(error: unknown): DeliveryFailure {
  const value = error as { kind?: unknown; offline?: unknown; untrusted?: unknown; retryAfterMs?: unknown; message?: unknown; unsent?: unknown; status?: unknown };
  const kind = value?.kind === 'auth' || value?.kind === 'permanent' || value?.kind === 'retryable' ? value.kind : 'retryable';
  return {
    kind,
    offline: value?.offline === true || value?.untrusted === true,
    untrusted: value?.untrusted === true,
    retryAfterMs: typeof value?.retryAfterMs === 'number' ? value.retryAfterMs : undefined,
    message: typeof value?.message === 'string' ? value.message : String(error),
    mayHaveLanded: value?.unsent !== true && !(typeof value?.status === 'number' && value.status >= 400 && value.status < 500),
  };
}
