import { useEffect, useRef, useState } from 'react';
import { log } from '../../log.js';

/** How long a message stays: it tells what just happened, not what happened minutes ago. */
export const MESSAGE_MS = 8000;

/** A message, the screen it belongs to, and whether it stays until replaced. */
export interface Notice {
  text: string;
  screen: string;
  lasting: boolean;
}

/**
 * A message that belongs to the screen it was made on and to its moment: it shows only on
 * that screen, and goes after `ms` (a lasting one: once the user leaves its screen), or when
 * another takes its place.
 */
export function useNotice(screen: string, ms = MESSAGE_MS, initial?: Notice) {
  const [notice, setNotice] = useState<Notice | undefined>(initial);
  // Read by callbacks made renders ago (a playback that ends minutes after it began).
  const now = useRef(notice);
  now.current = notice;
  // The screen may cut a long message or let it go after a while: the log keeps every word.
  useEffect(() => {
    if (notice !== undefined) log.info('message shown', { text: notice.text });
  }, [notice]);
  // A lasting one (what start-up found, a question) is of its screen while the user stays there:
  // once they move on, it has been seen.
  useEffect(() => {
    if (notice?.lasting === true && notice.screen !== screen) setNotice(undefined);
  }, [screen]);
  useEffect(() => {
    if (notice === undefined || notice.lasting) return undefined;
    const timer = setTimeout(() => setNotice((now) => (now === notice ? undefined : now)), ms);
    return () => clearTimeout(timer);
  }, [notice, ms]);
  return {
    /** The message for the screen showing now. */
    text: notice?.screen === screen ? notice.text : undefined,
    /** Whether a lasting message (a question waiting for its answer) is on screen `on`. */
    lastingOn(on: string): boolean {
      return now.current?.lasting === true && now.current.screen === on;
    },
    /** Shows `text` on screen `on` for a while (`lasting`: until it is replaced); undefined clears it. */
    say(text: string | undefined, on: string, lasting = false): void {
      setNotice(text === undefined ? undefined : { text, screen: on, lasting });
    },
  };
}

/** A screen's own message line, for `ms` after it is said (see {@link useNotice}). */
export function useMessage(ms = MESSAGE_MS): [string | undefined, (text: string | undefined) => void] {
  const notice = useNotice('here', ms);
  return [notice.text, (text) => notice.say(text, 'here')];
}
