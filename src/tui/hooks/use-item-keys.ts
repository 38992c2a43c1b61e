import { useRef } from 'react';
import type { MediaItem } from '../../jellyfin/types.js';
import type { LocalWatchState } from '../../session/local-watch-state.js';
import { watchOf } from '../item-label.js';
import type { TuiServices } from '../services.js';
import { useKeys } from './use-keys.js';

/**
 * The keys every item list answers: `enter` opens the selected item (or retries a failed
 * load), `w` toggles it watched, `R` loads the list again without blanking it. With `letters`
 * off (the user is typing), `w` and `R` are text.
 */
export function useItemKeys(options: {
  /** The selected item now (read when the key arrives, not when the screen was drawn). */
  selected: () => MediaItem | undefined;
  services: TuiServices;
  watch: Pick<LocalWatchState, 'get'>;
  onOpen: (item: MediaItem) => void;
  onRetry?: () => void;
  onRefresh?: () => void;
  active: boolean;
  letters?: boolean;
}): void {
  // Read at key time (see useListNavigation): the handler Ink holds may be one frame old.
  const current = useRef(options);
  current.current = options;
  useKeys(
    (input, key) => {
      const { selected, services, watch, onOpen, onRetry, onRefresh, letters = true } = current.current;
      if (onRetry && key.return) return onRetry();
      if (input === 'R' && letters && onRefresh) return onRefresh();
      const item = selected();
      if (item === undefined) return;
      if (key.return) onOpen(item);
      else if (input === 'w' && letters && !item.isFolder) void services.setWatched(item, !watchOf(item, watch.get(item.id)).played);
    },
    { isActive: options.active },
  );
}
