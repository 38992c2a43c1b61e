import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { MediaItem } from '../../servers/types.js';
import { useKeys } from '../hooks/use-keys.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { LIST_KEYS_WHILE_TYPING, useKeyHold } from '../hooks/use-key-hold.js';
import type { Say } from '../hooks/use-item-keys.js';
import type { TuiServices } from '../services.js';
import { ItemList } from './ItemList.js';

/** `/`: type to search films, series and episodes; arrows move, `enter` opens, `esc` leaves. */
export function SearchScreen({ services, height, onOpen, active = true, say = () => undefined }: {
  services: TuiServices;
  height: number;
  onOpen: (item: MediaItem) => void;
  active?: boolean;
  /** Says a message on the app's message line (a question before marking a series). */
  say?: Say;
}) {
  // Read at key time: a render may come before the one that shows the keys just typed.
  const typing = useKeyState('');
  const query = typing.current;
  const [settled, setSettled] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSettled(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  // `/Amber⏎` typed at once: enter waits for the results of what was typed, then opens the first.
  const typed = useKeyHold(query.trim() !== settled, LIST_KEYS_WHILE_TYPING);
  // Text and its erasing are the search's own: `q`, `/` or backspace here are not the app's keys.
  useKeys(
    (input, key) => {
      if (key.backspace || key.delete) {
        typing.set((q) => q.slice(0, -1));
        typed();
        return true;
      }
      if (!key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && input && !/[\x00-\x1f]/.test(input) && !key.upArrow && !key.downArrow) {
        typing.set((q) => q + input);
        typed();
        return true;
      }
      return false;
    },
    { isActive: active },
  );
  return (
    <Box flexDirection="column" height={height}>
      <Text>
        <Text bold>Search: </Text>
        {query}
        <Text inverse> </Text>
      </Text>
      {settled === '' ? (
        <Text dimColor>Type a title; ↑/↓ to choose, enter to open, esc to leave.</Text>
      ) : (
        <ItemList
          title={`Results for "${settled}"`}
          loadKey={`search-${settled}`}
          load={() => services.library.items({ searchTerm: settled, recursive: true, includeItemTypes: ['Movie', 'Series', 'Episode'], limit: 50 }).then((page) => page.items)}
          services={services}
          height={height - 1}
          onOpen={onOpen}
          active={active}
          typing
          say={say}
          rows={{ kind: true }}
          empty="No matches."
        />
      )}
    </Box>
  );
}
