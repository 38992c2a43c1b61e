import { Box, Text, useInput } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { sanitizeText } from '../jellyfin/sanitize.js';
import type { MediaItem } from '../jellyfin/types.js';
import type { SettleResult } from '../sync/outbox.js';
import { DetailsScreen } from './components/DetailsScreen.js';
import { Footer } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { HomeScreen } from './components/HomeScreen.js';
import { ItemList } from './components/ItemList.js';
import { LibraryScreen } from './components/LibraryScreen.js';
import { NowPlayingScreen } from './components/NowPlayingScreen.js';
import { SearchScreen } from './components/SearchScreen.js';
import { SettingsScreen } from './components/SettingsScreen.js';
import { SignInScreen } from './components/SignInScreen.js';
import { SyncScreen } from './components/SyncScreen.js';
import { useSyncStatus } from './hooks/use-sync-status.js';
import { useKeyState } from './hooks/use-key-state.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { PlaybackControls, TuiServices } from './services.js';
import { toneColour } from './theme.js';

type Screen =
  | { kind: 'home' }
  | { kind: 'library'; parent: MediaItem }
  | { kind: 'seasons'; series: MediaItem }
  | { kind: 'episodes'; seriesId: string; season: MediaItem }
  | { kind: 'search' }
  | { kind: 'details'; item: MediaItem }
  | { kind: 'playing'; playback: PlaybackControls }
  | { kind: 'sync' }
  | { kind: 'settings' }
  | { kind: 'signin' };

const SCREEN_NAMES: Record<Screen['kind'], string> = {
  home: 'Home',
  library: 'Library',
  seasons: 'Seasons',
  episodes: 'Episodes',
  search: 'Search',
  details: 'Details',
  playing: 'Now playing',
  sync: 'Sync',
  settings: 'Settings',
  signin: 'Sign in',
};

function plural(n: number): string {
  return `${n} ${n === 1 ? 'update' : 'updates'}`;
}

/** What the user is told after a bounded wait for sync. */
export function afterWaitMessage(result: SettleResult, leaving: 'player' | 'quit'): string | undefined {
  if (result.settled) return undefined;
  if (result.reason === 'auth') return `Signed out: ${plural(result.pending)} will sync after you sign in again (reelterm login).`;
  return leaving === 'quit'
    ? `${plural(result.pending)} will sync next time you start reelterm, or run \`reelterm sync\`.`
    : `${plural(result.pending)} saved and queued; they will sync when the server answers (r to retry now).`;
}

/**
 * The whole TUI: a stack of screens, the help overlay, and the footer. Leaving the player
 * and quitting wait for sync, visibly and for `services.syncWaitMs` at most.
 */
export function App({ services, onExit }: { services: TuiServices; onExit: (result: SettleResult) => void }) {
  const { columns, rows } = useTerminalSize();
  const [stack, setStack] = useState<Screen[]>([{ kind: 'home' }]);
  // Read at key time: a key typed right after `?` (before the redraw) must close the help, not be lost.
  const helpState = useKeyState(false);
  const help = helpState.current;
  const [waiting, setWaiting] = useState<string | undefined>(undefined);
  // What start-up found (an invalid setting, a corrupt file moved aside) shows first.
  const [notice, setNotice] = useState<string | undefined>(() => (services.notices?.length ? services.notices.join(' ') : undefined));
  const [refreshKey, setRefreshKey] = useState(0);
  /** A screen asks a question or edits a value: esc and letters are its own. */
  const [modal, setModal] = useState(false);
  const quitting = useRef(false);
  /** A playback is starting or running: a second enter must not start another mpv. */
  const busyPlaying = useRef(false);
  const screen = stack[stack.length - 1]!;

  const push = useCallback((next: Screen) => {
    setNotice(undefined);
    setStack((s) => [...s, next]);
  }, []);
  const pop = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);

  const open = useCallback(
    (item: MediaItem) => {
      if (item.type === 'Series') push({ kind: 'seasons', series: item });
      else if (item.type === 'Season') push({ kind: 'episodes', seriesId: item.seriesId ?? '', season: item });
      else if (item.isFolder) push({ kind: 'library', parent: item });
      else push({ kind: 'details', item });
    },
    [push],
  );

  const play = useCallback(
    (item: MediaItem, startSeconds: number) => {
      if (busyPlaying.current) return;
      busyPlaying.current = true;
      setNotice('Starting mpv…');
      services.play(item, startSeconds).then(
        (playback) => {
          setNotice(undefined);
          push({ kind: 'playing', playback });
          void playback.ended.then(async (last) => {
            const error = playback.view().error ?? last.error;
            // Nothing played (mpv could not open the stream): the server was told nothing, so there is nothing to wait for.
            if (!playback.view().playedAny) {
              setNotice(sanitizeText(error ?? 'mpv ended before playing'));
            } else {
              setWaiting('Syncing…');
              const result = await playback.settle(services.syncWaitMs);
              setWaiting(undefined);
              const synced = afterWaitMessage(result, 'player') ?? '✓ Saved to the server';
              setNotice(error ? `${sanitizeText(error)} · ${synced}` : synced);
            }
            // The now-playing screen goes wherever it is in the stack (the sync screen may be above it).
            setStack((s) => s.filter((entry) => entry.kind !== 'playing' || entry.playback !== playback));
            setRefreshKey((k) => k + 1);
            busyPlaying.current = false;
          });
        },
        (error: unknown) => {
          busyPlaying.current = false;
          setNotice(`Cannot play: ${sanitizeText(error instanceof Error ? error.message : String(error))}`);
        },
      );
    },
    [push, services],
  );

  const quit = useCallback(() => {
    if (quitting.current) return;
    quitting.current = true;
    setWaiting(`Syncing… (up to ${Math.round(services.syncWaitMs / 1000)} s)`);
    // mpv's last position is queued first (wherever the now-playing screen is), then the wait.
    void services
      .stopPlayback()
      .then(() => services.sync.settle({ timeoutMs: services.syncWaitMs }))
      .then(onExit);
  }, [onExit, services]);

  const status = useSyncStatus(services.sync);
  const typing = screen.kind === 'search' || screen.kind === 'signin' || modal;
  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      // Raw mode turns Ctrl+C into a key; hand it to the process's one teardown path.
      process.kill(process.pid, 'SIGINT');
      return;
    }
    if (quitting.current) return;
    if (helpState.current) return helpState.set(false);
    if (screen.kind === 'signin' || modal) return; // the form or question handles its own keys, esc included
    if (key.escape || (key.backspace && !typing)) {
      if (screen.kind === 'playing' && !screen.playback.view().ended) screen.playback.stop();
      else pop();
      return;
    }
    if (typing) return;
    if (input === 'L' && status.state === 'auth') push({ kind: 'signin' });
    else if (input === 'q') quit();
    else if (input === '?') helpState.set(true);
    else if (input === 'S' && screen.kind !== 'sync') push({ kind: 'sync' });
    else if (input === 'o' && screen.kind !== 'settings') push({ kind: 'settings' });
    else if (input === 'r') services.sync.retryNow();
    else if (input === '/' && screen.kind !== 'playing') push({ kind: 'search' });
  });

  // Ink redraws the whole screen when a frame is as tall as the terminal: stay one row short.
  const message = waiting ?? notice;
  const bodyHeight = Math.max(3, rows - 3 - (message !== undefined ? 1 : 0));
  const active = !help && waiting === undefined;
  const breadcrumb = stack.map((s) => SCREEN_NAMES[s.kind]).join(' › ');

  let body;
  if (help) body = <HelpOverlay height={bodyHeight} width={columns} />;
  else {
    switch (screen.kind) {
      case 'home':
        body = <HomeScreen services={services} height={bodyHeight} onOpen={open} active={active} refreshKey={refreshKey} />;
        break;
      case 'library':
        body = <LibraryScreen key={screen.parent.id} parent={screen.parent} services={services} height={bodyHeight} onOpen={open} active={active} />;
        break;
      case 'seasons':
        body = (
          <ItemList key={screen.series.id} title={screen.series.name} loadKey={`seasons-${screen.series.id}`} load={() => services.library.seasons(screen.series.id)}
            services={services} height={bodyHeight} onOpen={open} active={active} empty="No seasons." />
        );
        break;
      case 'episodes':
        body = (
          <ItemList key={screen.season.id} title={`${screen.season.seriesName ?? ''} · ${screen.season.name}`} loadKey={`episodes-${screen.season.id}-${refreshKey}`}
            load={() => services.library.episodes(screen.seriesId, { seasonId: screen.season.id })} services={services} height={bodyHeight} onOpen={open} active={active} empty="No episodes." />
        );
        break;
      case 'search':
        body = <SearchScreen services={services} height={bodyHeight} onOpen={open} active={active} />;
        break;
      case 'details':
        body = <DetailsScreen key={screen.item.id} item={screen.item} services={services} height={bodyHeight} onPlay={play} active={active} />;
        break;
      case 'playing':
        body = <NowPlayingScreen playback={screen.playback} width={columns} height={bodyHeight} active={active} />;
        break;
      case 'sync':
        body = <SyncScreen queue={services.sync} height={bodyHeight} onConfirming={setModal} />;
        break;
      case 'settings':
        body = <SettingsScreen store={services.settings} height={bodyHeight} active={active} onEditing={setModal} />;
        break;
      case 'signin':
        body = (
          <SignInScreen
            defaults={{ server: services.signIn.server, user: services.signIn.user }}
            onSubmit={async (form) => {
              if (form.server !== services.signIn.server || form.user !== services.signIn.user) {
                return 'To sign in as someone else, quit and run `reelterm login`.';
              }
              const error = await services.signIn.submit(form.password);
              if (error === undefined) {
                pop();
                setNotice('Signed in: syncing what was queued.');
              }
              return error;
            }}
            onCancel={pop}
            onQuickConnect={async (server, onCode, signal) => {
              if (server !== services.signIn.server) return 'To sign in to another server, quit and run `reelterm login`.';
              const error = await services.signIn.quickConnect(onCode, signal);
              if (error === undefined) {
                pop();
                setNotice('Signed in: syncing what was queued.');
              }
              return error;
            }}
          />
        );
        break;
    }
  }

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Box justifyContent="space-between">
        <Box flexShrink={0} marginRight={2}>
          <Text bold wrap="truncate-end">{`reelterm · ${breadcrumb}`}</Text>
        </Box>
        <Text dimColor wrap="truncate-end">{services.who}</Text>
      </Box>
      <Box flexGrow={1} flexDirection="column" height={bodyHeight}>
        {body}
      </Box>
      {message !== undefined ? (
        <Text color={waiting !== undefined ? toneColour('busy') : undefined} wrap="truncate-end">
          {message}
        </Text>
      ) : null}
      <Footer sync={services.sync} hint={status.state === 'auth' ? 'L sign in · ? help' : '? help · q quit'} />
    </Box>
  );
}

