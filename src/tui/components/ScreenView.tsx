import type { MediaItem } from '../../servers/types.js';
import type { Say } from '../hooks/use-item-keys.js';
import type { PlaybackControls, TuiServices } from '../services.js';
import { DetailsScreen } from './DetailsScreen.js';
import { HomeScreen } from './HomeScreen.js';
import { ItemList } from './ItemList.js';
import { LibraryScreen } from './LibraryScreen.js';
import { MessageScreen } from './MessageScreen.js';
import { NowPlayingScreen } from './NowPlayingScreen.js';
import { SearchScreen } from './SearchScreen.js';
import { SettingsScreen } from './SettingsScreen.js';
import { SignInScreen } from './SignInScreen.js';
import { SyncScreen } from './SyncScreen.js';

/** The screens of the app's stack. */
export type Screen =
  | { kind: 'home' }
  | { kind: 'library'; parent: MediaItem }
  | { kind: 'seasons'; series: MediaItem }
  | { kind: 'episodes'; seriesId: string; season: MediaItem }
  | { kind: 'search' }
  | { kind: 'details'; item: MediaItem }
  | { kind: 'playing'; playback: PlaybackControls }
  | { kind: 'sync' }
  | { kind: 'settings' }
  | { kind: 'signin' }
  | { kind: 'message'; text: string };

/** What every screen of the stack is drawn with. */
export interface ScreenProps {
  services: TuiServices;
  height: number;
  columns: number;
  /** The screen is showing and takes keys (not under another, not behind the help). */
  active: boolean;
  /** Changes when lists should refresh in the background (after a playback). */
  refreshKey: number;
  /** How long a screen's message stays. */
  messageMs?: number;
  onOpen: (item: MediaItem) => void;
  onPlay: (item: MediaItem, startSeconds: number) => void;
  /** A screen asks a question or edits a value: esc and letters are its own. */
  onModal: (modal: boolean) => void;
  /** Says a message on this screen's message line. */
  say: Say;
  signIn: {
    onSubmit: (form: { server: string; user: string; password: string }) => Promise<string | undefined>;
    onQuickConnect: (server: string, onCode: (code: string) => void, signal: AbortSignal) => Promise<string | undefined>;
    /** Where the server signs in with a code entered on its web page (Plex). */
    onCodeLink?: (onCode: (code: string, url: string) => void, signal: AbortSignal) => Promise<string | undefined>;
    onCancel: () => void;
  };
}

/** One screen of the stack. */
export function ScreenView({ screen, services, height, columns, active, refreshKey, messageMs, onOpen, onPlay, onModal, say, signIn }: ScreenProps & { screen: Screen }) {
  const list = { services, height, onOpen, active, say };
  switch (screen.kind) {
    case 'home':
      return <HomeScreen {...list} refreshKey={refreshKey} />;
    case 'library':
      return <LibraryScreen {...list} parent={screen.parent} />;
    case 'seasons':
      return <ItemList {...list} title={screen.series.name} loadKey={`seasons-${screen.series.id}`} load={() => services.library.seasons(screen.series.id)} empty="No seasons." />;
    case 'episodes':
      return (
        <ItemList {...list} title={`${screen.season.seriesName ?? ''} · ${screen.season.name}`} loadKey={`episodes-${screen.season.id}`} refreshKey={refreshKey}
          load={() => services.library.episodes(screen.seriesId, { seasonId: screen.season.id })} empty="No episodes." rows={{ series: false }} />
      );
    case 'search':
      return <SearchScreen {...list} />;
    case 'details':
      return <DetailsScreen item={screen.item} services={services} height={height} onPlay={onPlay} active={active} />;
    case 'playing':
      return <NowPlayingScreen playback={screen.playback} width={columns} height={height} active={active} />;
    case 'sync':
      return <SyncScreen queue={services.sync} height={height} columns={columns} active={active} onConfirming={onModal} {...(messageMs !== undefined ? { messageMs } : {})} />;
    case 'settings':
      return <SettingsScreen store={services.settings} height={height} active={active} onEditing={onModal} />;
    case 'message':
      return <MessageScreen text={screen.text} height={height} />;
    case 'signin':
      return <SignInScreen defaults={{ server: services.signIn.server, user: services.signIn.user }} onSubmit={signIn.onSubmit} onCancel={signIn.onCancel} onQuickConnect={signIn.onQuickConnect}
        {...(signIn.onCodeLink ? { onCodeLink: signIn.onCodeLink } : {})} inApp />;
  }
}
