import { Box, Text } from 'ink';
import type { MediaItem } from '../../servers/types.js';
import { followRows, useListNavigation } from '../hooks/use-list-navigation.js';
import { useLoader } from '../hooks/use-loader.js';
import { useSignInState } from '../hooks/use-sign-in-state.js';
import { useWatchState } from '../hooks/use-watch-state.js';
import { useItemKeys, type Say } from '../hooks/use-item-keys.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { LOADING, LIST_KEYS_WHILE_TYPING, useKeyHold } from '../hooks/use-key-hold.js';
import { alikeIndexes, itemRow, type RowOptions } from '../item-label.js';
import type { TuiServices } from '../services.js';
import { WindowedList } from './WindowedList.js';
import { LoadProblem, useRefreshProblemRows } from './LoadProblem.js';

/**
 * A titled list of items (seasons, episodes, search results). `enter` opens the selected
 * item, `w` toggles it watched, `R` loads it again; what failed loads again after a sign-in.
 */
export function ItemList({ title, loadKey, refreshKey, load, services, height, onOpen, active = true, empty, typing = false, say = () => undefined, rows = {} }: {
  title: string;
  loadKey: string;
  /** Changes when the list should load again in the background (after a playback). */
  refreshKey?: number;
  load: () => Promise<MediaItem[]>;
  services: TuiServices;
  height: number;
  onOpen: (item: MediaItem) => void;
  active?: boolean;
  empty?: string;
  /** The user is typing elsewhere on the screen: letters are text, not commands. */
  typing?: boolean;
  /** Says a message on the app's message line (a question before marking a series). */
  say?: Say;
  /** How rows are drawn here (kinds in search results, no series name under a series' heading). */
  rows?: Omit<RowOptions, 'year'>;
}) {
  const { signIns, signedOut } = useSignInState(services);
  const [loaded, reload] = useLoader(loadKey, load, { ...(refreshKey !== undefined ? { refreshKey } : {}), retryKey: signIns });
  const items = loaded.state === 'ready' ? loaded.value : [];
  const stale = loaded.state === 'ready' ? loaded.refreshError : undefined;
  const problemRows = useRefreshProblemRows(stale !== undefined ? { error: stale, signedOut, typing } : undefined);
  const listHeight = Math.max(1, height - 1 - problemRows);
  const asking = useKeyState<{ item: MediaItem; played: boolean } | undefined>(undefined);
  const [selected, , latest] = useListNavigation(items.length, listHeight, active && asking.current === undefined, !typing, followRows(loadKey, items.map((item) => item.id)));
  const alike = alikeIndexes(items);
  // Keys typed ahead (`enter j j enter`) act on the list once it is drawn, not on the empty one.
  useKeyHold(loaded.state === 'loading', typing ? LIST_KEYS_WHILE_TYPING : LOADING, loaded.state === 'error');
  const watch = useWatchState(services.watch);

  useItemKeys({ selected: () => items[latest.current], services, watch, onOpen, onRefresh: reload, active, asking, say, letters: !typing, ...(loaded.state === 'error' ? { onRetry: reload } : {}) });

  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{title}</Text>
      {loaded.state === 'loading' ? <Text dimColor>Loading…</Text> : null}
      {loaded.state === 'error' ? <LoadProblem error={loaded.message} signedOut={signedOut} typing={typing} /> : null}
      {stale !== undefined ? <LoadProblem error={stale} refresh signedOut={signedOut} typing={typing} /> : null}
      {loaded.state === 'ready' ? (
        <WindowedList count={items.length} selected={selected} height={listHeight} row={(i) => itemRow(items[i]!, watch.of(items[i]!), { ...rows, year: alike.has(i) })} empty={empty} />
      ) : null}
    </Box>
  );
}
