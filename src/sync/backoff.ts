/** Exponential backoff settings: the n-th retry waits up to min(cap, base * 2^n). */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** The engine's default: 1 s base, 5 min cap. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 5 * 60_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry), with full jitter:
 * uniformly random in [0, min(cap, base * 2^attempt)]. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 52));
  return Math.floor(random() * ceiling);
}
