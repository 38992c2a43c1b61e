import type { Key } from 'ink';
import { useContext, useLayoutEffect, useRef } from 'react';
import { KeyContext } from '../key-context.js';
import type { KeyHold, ReleaseHold } from '../key-router.js';

const plainKey = (key: Key) => !key.ctrl && !key.meta;

/**
 * For a list that loads: the keys that leave it or act on the whole app at once end a wait (esc
 * or backspace, `q`, help `?`, the sync screen `S`, settings `o`, retry `r`, sign in `L`,
 * search `/`); every other key waits for the list.
 */
export const LOADING: KeyHold = {
  cancels: (input, key) => key.escape || key.backspace || (plainKey(key) && ['q', '?', 'S', 'o', 'r', 'L', '/'].includes(input)),
};

/** For a screen on its way to the next (mpv starting, the player stopping): every key but `q` waits for the next. */
export const LEAVING: KeyHold = {
  cancels: (input, key) => plainKey(key) && input === 'q',
};

/** For a form being sent (a sign-in): every key waits for the screen it leads to, but esc leaves at once (Ctrl+C never waits). */
export const SIGNING_IN: KeyHold = {
  cancels: (_input, key) => key.escape,
};

/** Where letters are text (search): only the keys that act on the list wait, and esc ends the wait. */
export const LIST_KEYS_WHILE_TYPING: KeyHold = {
  waits: (input, key) => key.return || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.home || key.end || (key.ctrl && (input === 'u' || input === 'd')),
  cancels: (_input, key) => key.escape,
};

/**
 * Holds this screen's keys while `holding` (its list is loading; it is on its way out), so keys
 * typed ahead act on what they were meant for once it is drawn, not on the empty list. The
 * returned `begin` starts the hold inside a key handler, so the rest of the same burst already
 * waits (`/Amber⏎`: enter waits for the results); the next render that finds `holding` false
 * ends it. When the hold ends because the load `failed`, the keys that waited are dropped: what
 * they were meant for is not there. Outside the app, nothing.
 */
export function useKeyHold(holding: boolean, hold: KeyHold, failed = false): () => void {
  const context = useContext(KeyContext);
  const release = useRef<ReleaseHold | undefined>(undefined);
  const begin = () => {
    if (context === undefined || release.current !== undefined) return;
    release.current = context.router.hold(context.scope, hold);
  };
  const failedNow = useRef(failed);
  failedNow.current = failed;
  // After every commit: the screen drawn as it now is says whether keys still wait.
  useLayoutEffect(() => {
    if (holding) begin();
    else if (release.current !== undefined) {
      release.current(failedNow.current);
      release.current = undefined;
    }
  });
  useLayoutEffect(
    () => () => {
      release.current?.();
      release.current = undefined;
    },
    [context],
  );
  return begin;
}
