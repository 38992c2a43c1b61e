import { useEffect, useRef, useState } from 'react';
import { log } from '../../log.js';

/** The state of something loading from the server; a refresh keeps what is shown, and says when it failed. */
export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T; refreshError?: string } | { state: 'error'; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `load` when `key` changes (showing "loading"), except for the first key when its value is
 * already at hand (`initial`); ignores results that arrive after unmount or a newer load. The
 * returned `refresh` (and a change of `refreshKey`) loads again in the background: what is on
 * the screen stays until the answer replaces it, and stays if it fails.
 * A change of `retryKey` (a sign-in) loads again only what failed (a first load, or a refresh).
 */
export function useLoader<T>(key: string, load: () => Promise<T>, options: { refreshKey?: number; retryKey?: number; initial?: T } = {}): [Loaded<T>, () => void] {
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> }>(() => ({ key, loaded: options.initial !== undefined ? { state: 'ready', value: options.initial } : { state: 'loading' } }));
  /** A value given at mount is the first load's answer: nothing to ask for, nothing to draw again. */
  const given = useRef(options.initial !== undefined);
  const [attempt, setAttempt] = useState(0);
  const { refreshKey = 0, retryKey = 0 } = options;
  const retried = useRef(retryKey);
  // What the screen shows, decided in this render: a result for another key (the search typed on)
  // is not shown, nor a failure about to be tried again after a sign-in. Keys typed now wait for
  // the answer instead of acting on what is about to go.
  const stale = result.key !== key;
  const retrying = retryKey !== retried.current && (result.loaded.state === 'error' || (result.loaded.state === 'ready' && result.loaded.refreshError !== undefined));
  const loaded: Loaded<T> = stale || (retrying && result.loaded.state === 'error') ? { state: 'loading' } : result.loaded;
  const shown = useRef(loaded);
  shown.current = loaded;
  useEffect(() => {
    if (given.current) {
      given.current = false;
      return;
    }
    let live = true;
    const before = shown.current;
    const keep = !stale && before.state === 'ready' ? before : undefined;
    // (already loading this key, as at mount: the same state, so no render of the same frame)
    if (keep === undefined) setResult((now) => (now.key === key && now.loaded.state === 'loading' ? now : { key, loaded: { state: 'loading' } }));
    load().then(
      (value) => live && setResult({ key, loaded: { state: 'ready', value } }),
      (error: unknown) => {
        // The screen may show only part of it: the whole reason is in the log.
        log.warn(keep ? 'could not refresh a list' : 'could not load a list', { what: key, error: messageOf(error) });
        if (live) setResult({ key, loaded: keep ? { ...keep, refreshError: messageOf(error) } : { state: 'error', message: messageOf(error) } });
      },
    );
    return () => {
      live = false;
    };
    // `load` is recreated every render; `key` says when it means something new.
  }, [key, attempt, refreshKey]);
  useEffect(() => {
    if (retryKey === retried.current) return;
    retried.current = retryKey;
    if (!retrying) return;
    // In the same render as the new attempt: a failure shown for one frame would let go of the keys waiting for the list.
    if (result.loaded.state === 'error') setResult({ key, loaded: { state: 'loading' } });
    setAttempt((a) => a + 1);
  }, [retryKey]);
  return [loaded, () => setAttempt((a) => a + 1)];
}
