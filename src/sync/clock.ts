/** Time and timers, injected so tests run backoff in virtual time. */
export interface Clock {
  now(): number;
  /** `keepAlive`: this timer holds the process open until it fires (a bounded wait a command awaits). */
  setTimeout(callback: () => void, ms: number, options?: { keepAlive?: boolean }): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node runs a longer timer after 1 ms; no wait of the engine's is ever that long anyway. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An opaque timer handle. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/** The real clock. Timers are unref'd unless asked: a pending retry never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms, options) {
    // Past 2^31 - 1 ms Node fires after 1 ms instead: clamp, never storm.
    const timer = setTimeout(callback, Math.min(2 ** 31 - 1, Math.max(0, Number.isFinite(ms) ? ms : 0)));
    if (options?.keepAlive !== true) timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
