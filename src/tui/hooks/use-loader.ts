import { useEffect, useState } from 'react';

/** The state of something loading from the server. */
export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/** Runs `load` when `key` changes; ignores results that arrive after unmount or a newer load. */
export function useLoader<T>(key: string, load: () => Promise<T>): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'ready', value }),
      (error: unknown) => live && setResult({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
    // `load` is recreated every render; `key` says when it means something new.
  }, [key, attempt]);
  return [result, () => setAttempt((a) => a + 1)];
}
