import type { Op } from './op.js';

/** What the outbox needs from a server: send one op, and check that the server is reachable. */
export interface Deliver {
  /**
   * Sends one op. Resolves `delivered`, or `superseded` when the server already has newer
   * activity for the item and nothing was written. Rejects with an error carrying a `kind`
   * (`retryable` | `auth` | `permanent`, see `ApiError`); anything else counts as retryable.
   */
  send(op: Op, context: { signal: AbortSignal; now: number }): Promise<'delivered' | 'superseded'>;
  /** Resolves when the server answers its cheapest anonymous request (`/System/Ping`). */
  probe(signal: AbortSignal): Promise<void>;
}

/** A failure as the outbox reads it (ApiError has this shape). */
export interface DeliveryFailure {
  kind: 'retryable' | 'auth' | 'permanent';
  offline: boolean;
  retryAfterMs: number | undefined;
  message: string;
}

/** Reads any thrown value as a delivery failure; unknown errors are retryable. */
export function readFailure(error: unknown): DeliveryFailure {
  const value = error as { kind?: unknown; offline?: unknown; retryAfterMs?: unknown; message?: unknown };
  const kind = value?.kind === 'auth' || value?.kind === 'permanent' || value?.kind === 'retryable' ? value.kind : 'retryable';
  return {
    kind,
    offline: value?.offline === true,
    retryAfterMs: typeof value?.retryAfterMs === 'number' ? value.retryAfterMs : undefined,
    message: typeof value?.message === 'string' ? value.message : String(error),
  };
}
