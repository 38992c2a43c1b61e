import type { Key } from 'ink';
import { useContext, useLayoutEffect, useRef } from 'react';
import { KeyContext } from '../key-context.js';
import type { KeyHold, ReleaseHold } from '../key-router.js';

const plainKey = (key: Key) => !key.ctrl && !key.meta;

/** Leaving keys: esc or backspace (back) and `q` (quit) end a wait; every other key waits. */
export const LEAVING: KeyHold = {
  cancels: (input, key) => key.escape || key.backspace || (plainKey(key) && input === 'q'),
};

/** Where letters are text (search): only the keys that act on the list wait, and esc ends the wait. */
export const LIST_KEYS_WHILE_TYPING: KeyHold = {
  waits: (_input, key) => key.return || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.home || key.end,
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
