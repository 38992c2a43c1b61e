import { useInput, type Key } from 'ink';
import { useEffect, useState } from 'react';

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
 */
export function useListNavigation(count: number, page: number, active = true, letters = true): [number, (index: number) => void] {
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (index > 0 && index >= count) setIndex(Math.max(0, count - 1));
  }, [count, index]);
  useInput(
    (input, key) => {
      const next = listMove(input, key, index, count, Math.max(1, page), letters);
      if (next !== undefined && next !== index) setIndex(next);
    },
    { isActive: active },
  );
  return [Math.min(index, Math.max(0, count - 1)), setIndex];
}
