import { Box, Text } from 'ink';
import { useState } from 'react';
import type { MediaItem } from '../../servers/types.js';
import { followRows, useListNavigation } from '../hooks/use-list-navigation.js';
import { useLoader } from '../hooks/use-loader.js';
import { useSignInState } from '../hooks/use-sign-in-state.js';
import { useWatchState } from '../hooks/use-watch-state.js';
import { useItemKeys, type Say } from '../hooks/use-item-keys.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { LOADING, useKeyHold } from '../hooks/use-key-hold.js';
import { alikeIndexes, itemRow } from '../item-label.js';
import type { TuiServices } from '../services.js';
import { accentColour, toneColour } from '../theme.js';
import { windowStart } from './WindowedList.js';
import { LoadProblem, useRefreshProblemRows } from './LoadProblem.js';

interface Section {
  title: string;
  items: MediaItem[];
  error?: string;
}

type Row = { header: string; error?: string } | { item: MediaItem; index: number };

/** Home's sections from its three lists; throws when none could be loaded. */
function homeSections(resume: PromiseSettledResult<MediaItem[]>, nextUp: PromiseSettledResult<MediaItem[]>, views: PromiseSettledResult<MediaItem[]>): Section[] {
  const section = (title: string, result: PromiseSettledResult<MediaItem[]>): Section =>
    result.status === 'fulfilled' ? { title, items: result.value } : { title, items: [], error: (result.reason as Error).message };
  const sections = [section('Continue watching', resume), section('Next up', nextUp), section('Libraries', views)];
  if (sections.every((s) => s.error !== undefined)) throw new Error(sections[0]!.error);
  return sections.filter((s) => s.items.length > 0 || s.error !== undefined);
}

async function loadHome(services: TuiServices): Promise<Section[]> {
  const [resume, nextUp, views] = await Promise.allSettled([services.library.resume(), services.library.nextUp(), services.library.userViews()]);
  return homeSections(resume, nextUp, views);
}

/** The sections of the lists start-up already has, if it has them (taken once). */
function sectionsAtStart(services: TuiServices): Section[] | undefined {
  const lists = services.homeAtStart?.();
  if (lists === undefined) return undefined;
  const loaded = (value: MediaItem[]) => ({ status: 'fulfilled', value }) as const;
  return homeSections(loaded(lists.resume), loaded(lists.nextUp), loaded(lists.views));
}

/** Home: continue watching, next up, libraries, in one list with section headings. */
export function HomeScreen({ services, height, onOpen, active = true, refreshKey, say = () => undefined }: {
  services: TuiServices;
  height: number;
  onOpen: (item: MediaItem) => void;
  active?: boolean;
  /** Says a message on the app's message line (a question before marking a series). */
  say?: Say;
  /** Changes when home should load again in the background (coming back from playback). */
  refreshKey: number;
}) {
  const { signIns, signedOut } = useSignInState(services);
  const [atStart] = useState(() => sectionsAtStart(services));
  const [loaded, reload] = useLoader('home', () => loadHome(services), { refreshKey, retryKey: signIns, ...(atStart !== undefined ? { initial: atStart } : {}) });
  const watch = useWatchState(services.watch);
  const rows: Row[] = [];
  const items: MediaItem[] = [];
  /** Each row by section and item: an episode in Continue watching and in Next up is two rows. */
  const ids: string[] = [];
  if (loaded.state === 'ready') {
    for (const section of loaded.value) {
      rows.push({ header: section.title, ...(section.error ? { error: section.error } : {}) });
      for (const item of section.items) {
        rows.push({ item, index: items.length });
        items.push(item);
        ids.push(`${section.title}/${item.id}`);
      }
    }
  }
  const asking = useKeyState<{ item: MediaItem; played: boolean } | undefined>(undefined);
  const problemRows = useRefreshProblemRows(loaded.state === 'ready' && loaded.refreshError !== undefined ? { error: loaded.refreshError, signedOut } : undefined);
  const [selected, , latest] = useListNavigation(items.length, Math.max(1, height - 2), active && asking.current === undefined, true, followRows('home', ids));
  const alike = alikeIndexes(items);
  // Keys typed while home loads act on it once it is drawn.
  useKeyHold(loaded.state === 'loading', LOADING, loaded.state === 'error');

  useItemKeys({ selected: () => items[latest.current], services, watch, onOpen, onRefresh: reload, active, asking, say, ...(loaded.state === 'error' ? { onRetry: reload } : {}) });

  if (loaded.state === 'loading') return <Text dimColor>Loading…</Text>;
  if (loaded.state === 'error') return <LoadProblem error={loaded.message} what="your libraries" signedOut={signedOut} />;

  const selectedRow = rows.findIndex((row) => 'item' in row && row.index === selected);
  const stale = loaded.refreshError !== undefined;
  const listHeight = stale ? Math.max(1, height - problemRows) : height;
  const start = windowStart(Math.max(0, selectedRow), rows.length, listHeight);
  const visible = rows.slice(start, start + listHeight);
  return (
    <Box flexDirection="column" height={height}>
      {stale ? <LoadProblem error={loaded.refreshError!} refresh signedOut={signedOut} /> : null}
      {visible.map((row, i) => {
        if ('header' in row) {
          return (
            <Text key={`h-${start + i}`} bold wrap="truncate-end">
              {row.header}
              {row.error ? <Text color={toneColour('error')}>{` · could not load: ${row.error}`}</Text> : null}
            </Text>
          );
        }
        const isSelected = row.index === selected;
        return (
          <Text key={`i-${start + i}`} wrap="truncate-end" bold={isSelected} color={isSelected ? accentColour() : undefined} inverse={isSelected && accentColour() === undefined}>
            {isSelected ? '› ' : '  '}
            {itemRow(row.item, watch.of(row.item), { year: alike.has(row.index) })}
          </Text>
        );
      })}
    </Box>
  );
}
