import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { log } from '../../log.js';
import type { MediaItem } from '../../servers/types.js';
import { useListNavigation } from '../hooks/use-list-navigation.js';
import { useSignInState } from '../hooks/use-sign-in-state.js';
import { useWatchState } from '../hooks/use-watch-state.js';
import { useItemKeys, type Say } from '../hooks/use-item-keys.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { LOADING, useKeyHold } from '../hooks/use-key-hold.js';
import { itemRow, looksAlike } from '../item-label.js';
import type { TuiServices } from '../services.js';
import { windowStart, WindowedList } from './WindowedList.js';
import { LoadProblem, useRefreshProblemRows } from './LoadProblem.js';

const PAGE = 100;

/** What a library's list fetched: its size and its pages, by page number. */
interface Fetched {
  total: number | undefined;
  pages: Map<number, MediaItem[]>;
}

/** How many libraries' pages are kept once their list is closed (the newest opened). */
const KEPT = 8;
const fetchedBySource = new WeakMap<object, Map<string, Fetched>>();

/**
 * The pages fetched for `parentId` from `source`, kept after the list closes: opening it again
 * draws them at once (as going back does) while the visible pages are fetched again behind them.
 */
function fetchedPages(source: object, parentId: string): Fetched {
  let lists = fetchedBySource.get(source);
  if (lists === undefined) fetchedBySource.set(source, (lists = new Map()));
  const fetched = lists.get(parentId) ?? { total: undefined, pages: new Map() };
  lists.delete(parentId);
  lists.set(parentId, fetched);
  for (const oldest of lists.keys()) {
    if (lists.size <= KEPT) break;
    lists.delete(oldest);
  }
  return fetched;
}

/**
 * A library's items, fetched a page at a time as the window reaches them: only the visible
 * rows are drawn, so a 50,000-item library scrolls like a short one. `R` fetches the visible
 * rows again without blanking them; what failed is fetched again after a sign-in.
 */
export function LibraryScreen({ parent, services, height, onOpen, active = true, say = () => undefined }: {
  parent: MediaItem;
  services: TuiServices;
  height: number;
  onOpen: (item: MediaItem) => void;
  active?: boolean;
  /** Says a message on the app's message line (a question before marking a series). */
  say?: Say;
}) {
  const [fetched] = useState(() => fetchedPages(services.library, parent.id));
  const pages = useRef(fetched.pages);
  const requested = useRef(new Set<number>());
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  /** Requests asked for and not answered yet (a page may be asked for again by a refresh before the first answer). */
  const inFlight = useRef(0);
  const [total, setTotal] = useState<number | undefined>(fetched.total);
  const [error, setError] = useState<string | undefined>(undefined);
  const [, setLoadedPages] = useState(0);
  // A refresh (R, or a sign-in after a failure) asks for the visible pages again; the old rows show until the new ones come.
  const [generation, setGeneration] = useState(0);
  const shownGeneration = useRef(generation);
  shownGeneration.current = generation;
  const refresh = () => {
    requested.current.clear();
    setError(undefined);
    setGeneration((g) => g + 1);
  };
  const { signIns, signedOut } = useSignInState(services);
  const failed = useRef(false);
  failed.current = error !== undefined;
  useEffect(() => {
    if (failed.current) refresh();
  }, [signIns]);
  const listHeight = Math.max(1, height - 1);
  const problemRows = useRefreshProblemRows(error !== undefined ? { error, signedOut } : undefined);
  const asking = useKeyState<{ item: MediaItem; played: boolean } | undefined>(undefined);
  const itemAt = (index: number): MediaItem | undefined => pages.current.get(Math.floor(index / PAGE))?.[index % PAGE];
  // The cursor stays on its item when `R` brings rows that came or went above it (among the pages loaded).
  const follow = {
    key: parent.id,
    loading: inFlight.current > 0,
    idAt: (index: number) => itemAt(index)?.id,
    indexOf: (id: string) => {
      for (const [page, items] of pages.current) {
        const at = items.findIndex((item) => item.id === id);
        if (at >= 0) return page * PAGE + at;
      }
      return -1;
    },
  };
  const [selected, , latest] = useListNavigation(total ?? 0, listHeight, active && asking.current === undefined, true, follow);
  const watch = useWatchState(services.watch);
  // Keys typed ahead act on the first page once it is drawn; dropped if it cannot load.
  useKeyHold(total === undefined && error === undefined, LOADING, total === undefined && error !== undefined);

  const start = windowStart(selected, total ?? 0, listHeight);
  const firstPage = Math.floor(start / PAGE);
  const lastPage = Math.floor((start + listHeight) / PAGE);
  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page++) {
      if (requested.current.has(page) || (total !== undefined && page * PAGE >= total && page > 0)) continue;
      requested.current.add(page);
      inFlight.current += 1;
      const asked = generation;
      services.library.items({ parentId: parent.id, startIndex: page * PAGE, limit: PAGE }).then(
        (result) => {
          inFlight.current -= 1;
          // An answer from before a refresh is not newer than the refresh's own.
          if (asked !== shownGeneration.current) return;
          pages.current.set(page, result.items);
          fetched.total = result.total;
          // (an answer asked for before the total changed is still this list's: it is drawn)
          if (!mounted.current) return;
          setTotal(result.total);
          setLoadedPages((n) => n + 1);
        },
        (failure: unknown) => {
          inFlight.current -= 1;
          if (asked !== shownGeneration.current) return;
          requested.current.delete(page);
          const reason = failure instanceof Error ? failure.message : String(failure);
          log.warn('could not load a library page', { library: parent.id, error: reason });
          if (mounted.current) setError(reason);
        },
      );
    }
  }, [firstPage, lastPage, parent.id, services.library, total, generation]);

  useItemKeys({ selected: () => itemAt(latest.current), services, watch, onOpen, onRefresh: refresh, active, asking, say, ...(total === undefined && error !== undefined ? { onRetry: refresh } : {}) });

  const heading = total === undefined ? parent.name : `${parent.name} · ${selected + 1}/${total}`;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{heading}</Text>
      {error ? <LoadProblem error={error} refresh={total !== undefined} signedOut={signedOut} /> : null}
      {total === undefined && !error ? <Text dimColor>Loading…</Text> : null}
      {total !== undefined ? (
        <WindowedList
          count={total}
          selected={selected}
          height={listHeight - problemRows}
          row={(i) => {
            const item = itemAt(i);
            // Sorted by name, rows that read the same are neighbours.
            return item ? itemRow(item, watch.of(item), { year: looksAlike(item, itemAt(i - 1)) || looksAlike(item, itemAt(i + 1)) }) : '…';
          }}
          empty="This library is empty."
        />
      ) : null}
    </Box>
  );
}
