import { useReducer, useRef } from 'react';

/**
 * State for key handlers. Ink hands a key to the handler of the last *drawn* frame, so keys
 * typed in one burst (`demo⏎`, a paste, `⏎⏎`) would each see the state from before the burst.
 * This state is read through `current` and changes at once; the screen redraws after.
 */
export function useKeyState<T>(initial: T | (() => T)): { readonly current: T; set(next: T | ((previous: T) => T)): void } {
  const ref = useRef<T | undefined>(undefined);
  const initialised = useRef(false);
  if (!initialised.current) {
    ref.current = typeof initial === 'function' ? (initial as () => T)() : initial;
    initialised.current = true;
  }
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const state = useRef({
    get current() {
      return ref.current as T;
    },
    set(next: T | ((previous: T) => T)) {
      ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current as T) : next;
      redraw();
    },
  });
  return state.current;
}
