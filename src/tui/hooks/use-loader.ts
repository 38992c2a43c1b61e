import { useEffect, useRef, useState } from 'react';

/** The state of something loading from the server; a refresh keeps what is shown, and says when it failed. */
export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T; refreshError?: string } | { state: 'error'; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `load` when `key` changes (showing "loading"); ignores results that arrive after unmount
 * or a newer load. The returned `refresh` (and a change of `refreshKey`) loads again in the
 * background: what is on the screen stays until the answer replaces it, and stays if it fails.
 * A change of `retryKey` (a sign-in) loads again only what failed (a first load, or a refresh).
 */
export function useLoader<T>(key: string, load: () => Promise<T>, options: { refreshKey?: number; retryKey?: number } = {}): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const shown = useRef(result);
  shown.current = result;
  const loadedKey = useRef<string | undefined>(undefined);
  const { refreshKey = 0, retryKey = 0 } = options;
  useEffect(() => {
    let live = true;
    const before = shown.current;
    const keep = loadedKey.current === key && before.state === 'ready' ? before : undefined;
    loadedKey.current = key;
    if (keep === undefined) setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'ready', value }),
      (error: unknown) => live && setResult(keep ? { ...keep, refreshError: messageOf(error) } : { state: 'error', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
    // `load` is recreated every render; `key` says when it means something new.
  }, [key, attempt, refreshKey]);
  useEffect(() => {
    const now = shown.current;
    if (now.state === 'error' || (now.state === 'ready' && now.refreshError !== undefined)) setAttempt((a) => a + 1);
  }, [retryKey]);
  return [result, () => setAttempt((a) => a + 1)];
}
