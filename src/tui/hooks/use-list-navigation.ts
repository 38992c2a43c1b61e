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
export function useListNavigation(count: number, page: number, active = true, letters = true, follow?: Follow): [number, (index: number) => void, RefObject<number>] {
  const [index, setIndex] = useState(0);
  const latest = useRef(0);
  latest.current = Math.min(latest.current, Math.max(0, count - 1));
  // Ink swaps in a new input handler only after the frame is drawn: read sizes from a ref
  // set during render, so a key pressed right after a list appears sees that list.
  const shape = useRef({ count, page, letters, follow });
  shape.current = { count, page, letters, follow };
  /** The row the cursor is on, by identity, as of the last move or render. */
  const row = useRef<{ key: string; id: string } | undefined>(undefined);
  /** `moved`: the user moved (the row under the cursor is theirs), not a render of rows that changed. */
  const remember = (moved: boolean) => {
    const { follow } = shape.current;
    // Rows still coming in (a refresh under way): the row followed may yet show up, keep it.
    if (!moved && follow?.loading === true && row.current?.key === follow.key) return;
    const id = follow?.idAt(latest.current);
    // A row not loaded yet (paging ahead) is followed by nothing: its number is all there is.
    row.current = follow !== undefined && id !== undefined ? { key: follow.key, id } : undefined;
  };
  const moveTo = (next: number) => {
    latest.current = next;
    remember(true);
    setIndex(next);
  };
  // Rows came or went above the cursor's row: follow it (state set while rendering, as React allows for a component's own state).
  const was = follow !== undefined && row.current?.key === follow.key ? row.current.id : undefined;
  // (an item may be on two rows, as in Continue watching and Next up: the one the cursor is on stays)
  const at = was === undefined || follow!.idAt(latest.current) === was ? -1 : follow!.indexOf(was);
  if (at >= 0 && at !== latest.current) {
    latest.current = at;
    if (at !== index) setIndex(at);
  }
  remember(false);
  const clamped = Math.min(at >= 0 ? at : index, Math.max(0, count - 1));
  useEffect(() => {
    if (index > 0 && index >= count) setIndex(Math.max(0, count - 1));
  }, [count, index]);
  useKeys(
    (input, key) => {
      const { count, page, letters } = shape.current;
      const next = listMove(input, key, latest.current, count, Math.max(1, page), letters);
      if (next !== undefined) moveTo(next);
    },
    { isActive: active },
  );
  return [clamped, moveTo, latest];
}

/**
 * The rows' identities, for a list that loads again in place: the cursor stays on its row, not
 * its row number, when rows come or go above it (home gains "Continue watching" after a
 * playback). A new `key` (another search) starts afresh; a row that is gone leaves the cursor
 * at its number.
 */
export interface Follow {
  key: string;
  /** The row's identity; undefined where it is not loaded yet. */
  idAt(index: number): string | undefined;
  /** Where a row is now, -1 when it is not (or not loaded). */
  indexOf(id: string): number;
  /** Rows are still coming in (pages of a refresh): a row not found yet is not given up. */
  loading?: boolean;
}

/** {@link Follow} for rows all loaded. */
export function followRows(key: string, ids: readonly string[]): Follow {
  return { key, idAt: (index) => ids[index], indexOf: (id) => ids.indexOf(id) };
}
