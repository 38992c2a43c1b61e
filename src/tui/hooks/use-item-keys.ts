import { APP_KEYS } from '../keys.js';
import { useRef } from 'react';
import type { MediaItem } from '../../servers/types.js';
import type { LocalWatchState } from '../../session/local-watch-state.js';
import { markDone, markKind, markNothing, markQuestion, markRefusal } from '../folder-mark.js';
import { watchOf } from '../item-label.js';
import type { TuiServices } from '../services.js';
import type { useKeyState } from './use-key-state.js';
import { useKeys } from './use-keys.js';

/** A series or season waiting for the user's y/n before all its episodes are marked. */
export type MarkQuestion = ReturnType<typeof useKeyState<{ item: MediaItem; played: boolean } | undefined>>;

/** Says a message on the screen (`lasting`: until replaced); undefined clears it. */
export type Say = (text: string | undefined, lasting?: boolean) => void;

/**
 * The keys every item list answers: `enter` opens the selected item (or retries a failed
 * load), `w` toggles it watched, `R` loads the list again without blanking it. With `letters`
 * off (the user is typing), `w` and `R` are text. `w` on a series or season asks first (the
 * question in `asking`, which holds every key until answered); on a library it says it cannot.
 */
export function useItemKeys(options: {
  /** The selected item now (read when the key arrives, not when the screen was drawn). */
  selected: () => MediaItem | undefined;
  services: TuiServices;
  watch: Pick<LocalWatchState, 'of'>;
  onOpen: (item: MediaItem) => void;
  onRetry?: () => void;
  onRefresh?: () => void;
  active: boolean;
  letters?: boolean;
  asking: MarkQuestion;
  say: Say;
}): void {
  // Read at key time (see useListNavigation): the handler Ink holds may be one frame old.
  const current = useRef(options);
  current.current = options;
  useKeys(
    (input, key) => {
      const { selected, services, watch, onOpen, onRetry, onRefresh, letters = true, asking, say } = current.current;
      const question = asking.current;
      if (question !== undefined) {
        if (input === 'y') {
          void services.setWatched(question.item, question.played);
          say(markDone(question.item, question.played));
        } else if (input === 'n' || key.escape || key.backspace) say(undefined);
        // `q` and `?` work anywhere; the question stays for when the help closes.
        else if (APP_KEYS.has(input)) return false;
        else return true;
        asking.set(undefined);
        return true;
      }
      if (onRetry && key.return) return onRetry();
      if (input === 'R' && letters && onRefresh) return onRefresh();
      const item = selected();
      if (item === undefined) return;
      if (key.return) onOpen(item);
      else if (input === 'w' && letters) {
        const kind = markKind(item);
        const played = !watchOf(item, watch.of(item)).played;
        if (kind === 'item') void services.setWatched(item, played);
        else if (kind === 'folder' && markNothing(item) !== undefined) say(markNothing(item));
        else if (kind === 'folder') {
          asking.set({ item, played });
          say(markQuestion(item, played), true);
        } else say(markRefusal(kind));
      }
    },
    { isActive: options.active },
  );
}
