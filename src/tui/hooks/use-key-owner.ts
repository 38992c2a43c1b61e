import { useStdin, type Key } from 'ink';
import { useLayoutEffect, useRef } from 'react';
import { KeyRouter } from '../key-router.js';

/**
 * Makes the app the one owner of keys: it reads what Ink reads from the terminal and hands it
 * to a {@link KeyRouter}. The callbacks are read at key time, so they always see the newest state.
 */
export function useKeyOwner(app: { current: () => string; intercept: (input: string, key: Key) => boolean; fallback: (input: string, key: Key) => void }): KeyRouter {
  const latest = useRef(app);
  latest.current = app;
  const router = useRef<KeyRouter | undefined>(undefined);
  router.current ??= new KeyRouter({
    current: () => latest.current.current(),
    intercept: (input, key) => latest.current.intercept(input, key),
    fallback: (input, key) => latest.current.fallback(input, key),
  });
  // Ink's input events carry what it read, unparsed (one escape sequence, or a run of text); its
  // `useInput` would hand a run such as `/Amber` to one handler as one key.
  const { setRawMode, isRawModeSupported, internal_eventEmitter: events } = useStdin();
  useLayoutEffect(() => {
    if (!isRawModeSupported) return undefined;
    const owner = router.current!;
    const onInput = (chunk: string) => owner.receive(chunk);
    setRawMode(true);
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      owner.clear();
      setRawMode(false);
    };
  }, [events, isRawModeSupported, setRawMode]);
  return router.current;
}
