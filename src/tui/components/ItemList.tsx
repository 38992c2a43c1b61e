import { Box, Text } from 'ink';
import type { MediaItem } from '../../jellyfin/types.js';
import { useListNavigation } from '../hooks/use-list-navigation.js';
import { useLoader } from '../hooks/use-loader.js';
import { useWatchState } from '../hooks/use-watch-state.js';
import { useItemKeys } from '../hooks/use-item-keys.js';
import { itemRow } from '../item-label.js';
import type { TuiServices } from '../services.js';
import { WindowedList } from './WindowedList.js';
import { toneColour } from '../theme.js';

/**
 * A titled list of items loaded once (seasons, episodes, search results). `enter` opens
 * the selected item, `w` toggles it watched.
 */
export function ItemList({ title, loadKey, load, services, height, onOpen, active = true, empty, typing = false }: {
  title: string;
  loadKey: string;
  load: () => Promise<MediaItem[]>;
  services: TuiServices;
  height: number;
  onOpen: (item: MediaItem) => void;
  active?: boolean;
  empty?: string;
  /** The user is typing elsewhere on the screen: letters are text, not commands. */
  typing?: boolean;
}) {
  const [loaded, reload] = useLoader(loadKey, load);
  const items = loaded.state === 'ready' ? loaded.value : [];
  const listHeight = Math.max(1, height - 1);
  const [selected, , latest] = useListNavigation(items.length, listHeight, active, !typing);
  const watch = useWatchState(services.watch);

  useItemKeys({ selected: () => items[latest.current], services, watch, onOpen, active, letters: !typing, ...(loaded.state === 'error' ? { onRetry: reload } : {}) });

  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{title}</Text>
      {loaded.state === 'loading' ? <Text dimColor>Loading…</Text> : null}
      {loaded.state === 'error' ? <Text color={toneColour('error')} wrap="wrap">{`Could not load: ${loaded.message} · enter to try again`}</Text> : null}
      {loaded.state === 'ready' ? (
        <WindowedList count={items.length} selected={selected} height={listHeight} row={(i) => itemRow(items[i]!, watch.get(items[i]!.id))} empty={empty} />
      ) : null}
    </Box>
  );
}
