import type { Key } from 'ink';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useKeys } from './use-keys.js';

/** The list move a key asks for, or undefined. Pure, for tests and for screens with their own input. */
export function listMove(input: string, key: Key, index: number, count: number, page: number, letters = true): number | undefined {
  if (count === 0) return undefined;
  const last = count - 1;
  const letter = (c: string) => letters && !key.ctrl && input === c;
  if (key.downArrow || letter('j')) return Math.min(last, index + 1);
  if (key.upArrow || letter('k')) return Math.max(0, index - 1);
  if (key.pageDown || (key.ctrl && input === 'd')) return Math.min(last, index + page);
  if (key.pageUp || (key.ctrl && input === 'u')) return Math.max(0, index - page);
  if (letter('g') || key.home) return 0;
  if (letter('G') || key.end) return last;
  return undefined;
}

/**
 * Selection in a list of `count` rows with vim and arrow keys (`j`/`k`, `g`/`G`, page up/down).
 * `page` is the number of visible rows. Stays in range when the list shrinks. With `letters`
 * off (a screen where the user types), only arrows and page keys move.
 *
 * Returns the index to draw and a ref that already holds the newest index while a render is
 * still pending: keys typed faster than the screen redraws (`j` then `enter`) act on the row
 * the user moved to, not on the one last drawn.
 */
export function useListNavigation(count: number, page: number, active = true, letters = true): [number, (index: number) => void, RefObject<number>] {
  const [index, setIndex] = useState(0);
  const latest = useRef(0);
  const clamped = Math.min(index, Math.max(0, count - 1));
  useEffect(() => {
    if (index > 0 && index >= count) setIndex(Math.max(0, count - 1));
  }, [count, index]);
  latest.current = Math.min(latest.current, Math.max(0, count - 1));
  // Ink swaps in a new input handler only after the frame is drawn: read sizes from a ref
  // set during render, so a key pressed right after a list appears sees that list.
  const shape = useRef({ count, page, letters });
  shape.current = { count, page, letters };
  useKeys(
    (input, key) => {
      const { count, page, letters } = shape.current;
      const next = listMove(input, key, latest.current, count, Math.max(1, page), letters);
      if (next === undefined) return;
      latest.current = next;
      setIndex(next);
    },
    { isActive: active },
  );
  const select = (next: number) => {
    latest.current = next;
    setIndex(next);
  };
  return [clamped, select, latest];
}
