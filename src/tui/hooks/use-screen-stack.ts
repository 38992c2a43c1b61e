import { useRef } from 'react';
import { useKeyState } from './use-key-state.js';

/** A screen on the stack, with the id its keys and messages are kept under. */
export type Stacked<T> = T & { id: string };

/**
 * The stack of screens, changed at key time (a key right after `enter` sees the screen it
 * opened). Screens below the top stay as they were: going back shows them unchanged.
 */
export function useScreenStack<T extends object>(first: T) {
  const ids = useRef(0);
  const stack = useKeyState<Stacked<T>[]>(() => [{ ...first, id: 's0' }]);
  const entries = stack.current;
  return {
    entries,
    /** The screen showing now, read at key time. */
    top: (): Stacked<T> => stack.current[stack.current.length - 1]!,
    push(next: T): void {
      ids.current += 1;
      stack.set((s) => [...s, { ...next, id: `s${ids.current}` }]);
    },
    pop(): void {
      stack.set((s) => (s.length > 1 ? s.slice(0, -1) : s));
    },
    /** Takes screens out wherever they are (a playback that ended under the sync screen). */
    remove(which: (entry: Stacked<T>) => boolean): void {
      stack.set((s) => {
        const kept = s.filter((entry) => !which(entry));
        return kept.length > 0 ? kept : s;
      });
    },
  };
}
