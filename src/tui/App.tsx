import { Box, Text, type Key } from 'ink';
import { useRef, useState } from 'react';
import { sanitizeText } from '../text/sanitize.js';
import type { MediaItem } from '../servers/types.js';
import type { SettleResult } from '../sync/outbox.js';
import { Footer } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { KeyScope } from './components/KeyScope.js';
import { ScreenView, type Screen, type ScreenProps } from './components/ScreenView.js';
import { useFailureLog } from './hooks/use-failure-log.js';
import { QUIET_SYNC_MS } from './hooks/use-sync-status.js';
import { useKeyOwner } from './hooks/use-key-owner.js';
import { LEAVING } from './hooks/use-key-hold.js';
import { APP_KEYS } from './keys.js';
import { useKeyState } from './hooks/use-key-state.js';
import { useNotice } from './hooks/use-notice.js';
import { useScreenStack } from './hooks/use-screen-stack.js';
import { useSignInState } from './hooks/use-sign-in-state.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { TuiServices } from './services.js';
import { breadcrumb } from './breadcrumb.js';
import { counted } from './plural.js';
import { toneColour } from './theme.js';
import { messageLines } from './wrap-text.js';

const plural = (n: number) => counted(n, 'update');

/** What the user is told on leaving the player after a bounded wait for sync. */
export function afterWaitMessage(result: SettleResult): string | undefined {
  if (result.settled) return undefined;
  if (result.reason === 'auth') return `Signed out: ${plural(result.pending)} will sync after you sign in again (L).`;
  return `${plural(result.pending)} saved and queued; ${result.pending === 1 ? 'it' : 'they'} will sync when the server answers (r to retry now).`;
}

/**
 * The whole TUI: a stack of screens, the help overlay, and the footer. Every key goes through
 * one owner, in order, to the screen showing when it is handled. Leaving the player and
 * quitting wait for sync, visibly and for `services.syncWaitMs` at most.
 */
export function App({ services, onExit, messageMs }: { services: TuiServices; onExit: (result: SettleResult) => void; messageMs?: number }) {
  const { columns, rows } = useTerminalSize();
  const stack = useScreenStack<Screen>({ kind: 'home' });
  // Read at key time: a key typed right after `?` (before the redraw) must close the help, not be lost.
  const helpState = useKeyState(false);
  const help = helpState.current;
  const [waiting, setWaiting] = useState<string | undefined>(undefined);
  const screen = stack.entries[stack.entries.length - 1]!;
  // What start-up found (an invalid setting, a corrupt file moved aside) shows first, on home until the user moves on.
  const notice = useNotice(screen.id, messageMs, services.notices?.length ? { text: services.notices.join(' '), screen: screen.id, lasting: true } : undefined);
  const [refreshKey, setRefreshKey] = useState(0);
  /** A screen asks a question or edits a value (settings, the sync screen's y/n): esc and letters are its own. */
  const modal = useKeyState(false);
  const quitting = useRef(false);
  // Quitting: the screens go at once (see `quit`).
  const [leaving, setLeaving] = useState(false);
  /** A playback is starting or running: a second enter must not start another mpv. */
  const busyPlaying = useRef(false);
  const { signedOut } = useSignInState(services);
  useFailureLog(services.sync);

  const open = (item: MediaItem) => {
    if (item.type === 'Series') stack.push({ kind: 'seasons', series: item });
    else if (item.type === 'Season') stack.push({ kind: 'episodes', seriesId: item.seriesId ?? '', season: item });
    else if (item.isFolder) stack.push({ kind: 'library', parent: item });
    else stack.push({ kind: 'details', item });
  };

  const play = (item: MediaItem, startSeconds: number) => {
    if (busyPlaying.current) return;
    busyPlaying.current = true;
    const from = stack.top().id;
    notice.say('Starting mpv…', from);
    // Keys typed while mpv starts are for the player (`enter s` stops it); dropped if it cannot start.
    const release = router.hold(from, LEAVING);
    services.play(item, startSeconds).then(
      (playback) => {
        notice.say(undefined, from);
        stack.push({ kind: 'playing', playback });
        release();
        void playback.ended.then(async (last) => {
          // Quitting: the quit waits for the sync itself, and the screens being left for the exit
          // must not load again (home would ask the server for its lists during the quit).
          if (quitting.current) return;
          const error = playback.view().error ?? last.error;
          let message: string | undefined;
          // Nothing played (mpv could not open the stream, or the viewer stopped first): the server was
          // told nothing, so there is nothing to wait for; only a failure has something to say.
          if (!playback.view().playedAny) message = error !== undefined ? sanitizeText(error) : undefined;
          else {
            // (shown once the wait lasts, as on `q`: a stop that lands at once draws nothing for it)
            const shown = setTimeout(() => setWaiting('Syncing…'), QUIET_SYNC_MS);
            const result = await playback.settle(services.syncWaitMs);
            clearTimeout(shown);
            // `q` while this waited: the quit's own wait shows until the exit, not what this one found.
            if (quitting.current) return;
            setWaiting(undefined);
            const synced = afterWaitMessage(result) ?? '✓ Saved to the server';
            message = error ? `${sanitizeText(error)} · ${synced}` : synced;
          }
          // The now-playing screen goes wherever it is in the stack (the sync screen may be above it).
          const showing = stack.top();
          stack.remove((entry) => entry.kind === 'playing' && entry.playback === playback);
          // Said where the user is when it ends: on the screen the player gives way to, or the one
          // they are on, unless a question waits there for its answer (the footer says the sync).
          const where = showing.kind === 'playing' ? stack.top().id : showing.id;
          if (!notice.lastingOn(where)) notice.say(message, where);
          setRefreshKey((k) => k + 1);
          busyPlaying.current = false;
        });
      },
      (error: unknown) => {
        release(true);
        busyPlaying.current = false;
        notice.say(`Cannot play: ${sanitizeText(error instanceof Error ? error.message : String(error))}`, from);
      },
    );
  };

  const quit = () => {
    if (quitting.current) return;
    quitting.current = true;
    // mpv's last position is queued first (wherever the now-playing screen is), then the wait.
    const stopped = services.stopPlayback();
    // The screens go (its write under way): each change while the quit waits (the player
    // ending, an item's new position, the footer) would lay out and draw them again, and hold up
    // the queue's write and the stop's report behind it. The wait itself is shown once it
    // lasts: a quit whose sync lands at once (the usual one) only blanks the screen before the exit.
    setLeaving(true);
    const shown = setTimeout(() => setWaiting(`Syncing… (up to ${Math.round(services.syncWaitMs / 1000)} s)`), QUIET_SYNC_MS);
    void stopped
      .then(() => services.sync.settle({ timeoutMs: services.syncWaitMs }))
      .then((result) => {
        clearTimeout(shown);
        onExit(result);
      });
  };

  const router = useKeyOwner({
    current: () => stack.top().id,
    intercept: (input: string, key: Key) => {
      if (key.ctrl && input === 'c') {
        // Raw mode turns Ctrl+C into a key; hand it to the process's one teardown path.
        process.kill(process.pid, 'SIGINT');
        return true;
      }
      if (quitting.current) return true;
      if (helpState.current) {
        helpState.set(false);
        return true;
      }
      return false;
    },
    fallback: (input: string, key: Key) => {
      const top = stack.top();
      // The form, a question or an edited setting handles its own keys, esc included; a question
      // lets `q` and `?` through (a setting being edited takes them as text before they get here).
      if (top.kind === 'signin' || (modal.current && !APP_KEYS.has(input))) return;
      if (key.escape || key.backspace) {
        if (top.kind === 'playing' && !top.playback.view().ended) top.playback.stop();
        else stack.pop();
        return;
      }
      if (input === 'L' && (services.sync.status().state === 'auth' || services.signIn.state().signedOut)) stack.push({ kind: 'signin' });
      else if (input === 'q') quit();
      else if (input === '?') helpState.set(true);
      else if (input === 'S' && top.kind !== 'sync') stack.push({ kind: 'sync' });
      else if (input === 'o' && top.kind !== 'settings') stack.push({ kind: 'settings' });
      else if (input === 'r') services.sync.retryNow();
      else if (input === '/' && top.kind !== 'playing') stack.push({ kind: 'search' });
      else if (input === 'm' && shown?.cut && notice.text !== undefined) stack.push({ kind: 'message', text: notice.text });
    },
  });

  const signedIn = () => {
    // (the user may have left the form with esc while the server took its time)
    if (stack.top().kind === 'signin') stack.pop();
    const queued = services.sync.status().pending;
    notice.say(queued > 0 ? `Signed in: syncing ${plural(queued)}.` : 'Signed in.', stack.top().id);
  };
  const signIn: ScreenProps['signIn'] = {
    onSubmit: async (form) => {
      if (form.server !== services.signIn.server || form.user !== services.signIn.user) {
        return `To sign in as someone else, ${services.signIn.switchAccount}.`;
      }
      const error = await services.signIn.submit(form.password);
      if (error === undefined) signedIn();
      return error;
    },
    onQuickConnect: async (server, onCode, signal) => {
      if (server !== services.signIn.server) return `To sign in to another server, ${services.signIn.switchAccount}.`;
      const error = await services.signIn.quickConnect(onCode, signal);
      if (error === undefined) signedIn();
      return error;
    },
    ...(services.signIn.codeLink !== undefined
      ? {
          onCodeLink: async (onCode: (code: string, url: string) => void, signal: AbortSignal) => {
            const error = await services.signIn.codeLink!(onCode, signal);
            if (error === undefined) signedIn();
            return error;
          },
        }
      : {}),
    onCancel: () => stack.pop(),
  };

  // Ink redraws the whole screen when a frame is as tall as the terminal: stay one row short.
  const message = waiting ?? notice.text;
  // A long message wraps to three rows at most; `m` shows the rest (and the log has it all).
  const shown = message !== undefined ? messageLines(message, columns) : undefined;
  const bodyHeight = Math.max(3, rows - 3 - (shown?.lines.length ?? 0));
  // Who and where (the demo's address: the user reads its port from here) keeps its width; the breadcrumb shortens first.
  const whoWidth = Math.min([...services.who].length, Math.max(0, columns - 34));
  const trail = breadcrumb(stack.entries, Math.max(20, columns - 14 - whoWidth));

  // Quitting draws nothing until the wait for the sync lasts, then that wait and the footer: not
  // the heading and the footer over an emptied screen, whose layout and drawing (a whole
  // screen's cells, 10–15 ms) held up the write and report of the stop `q` waits for. The
  // screen is left a moment later (the alternate screen goes, the shell is back).
  if (leaving) {
    if (waiting === undefined) return null;
    return (
      <Box flexDirection="column" width={columns}>
        {shown?.lines.map((line, i) => (
          <Text key={i} color={toneColour('busy')} wrap="truncate-end">
            {line}
          </Text>
        ))}
        <Footer sync={services.sync} signedOut={signedOut} hint="Ctrl+C quit now" />
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Box justifyContent="space-between">
        <Box flexShrink={1} marginRight={2}>
          <Text bold wrap="truncate-end">{`reelterm · ${trail}`}</Text>
        </Box>
        <Box flexShrink={0} width={whoWidth}>
          <Text dimColor wrap="truncate-end">{services.who}</Text>
        </Box>
      </Box>
      <Box flexGrow={1} flexDirection="column" height={bodyHeight}>
        {help && !leaving ? <HelpOverlay height={bodyHeight} width={columns} {...(services.helpLines ? { extra: services.helpLines } : {})} /> : null}
        {/* Every screen of the stack stays as it was under the one showing: back shows it unchanged, without fetching again.
            Quitting, they go: the wait for the sync is all there is to show, and every change of it
            (the player ending, the footer) would lay out and draw the screens again. */}
        {leaving ? null : stack.entries.map((entry) => {
          const showing = entry === screen && !help;
          return (
            <Box key={entry.id} display={showing ? 'flex' : 'none'} flexDirection="column" height={bodyHeight}>
              <KeyScope router={router} id={entry.id} showing={showing}>
                <ScreenView screen={entry} services={services} height={bodyHeight} columns={columns} active={showing}
                  refreshKey={refreshKey} {...(messageMs !== undefined ? { messageMs } : {})} onOpen={open} onPlay={play} onModal={modal.set} signIn={signIn}
                  say={(text, lasting) => notice.say(text, entry.id, lasting)} />
              </KeyScope>
            </Box>
          );
        })}
      </Box>
      {shown?.lines.map((line, i) => (
        <Text key={i} color={waiting !== undefined ? toneColour('busy') : undefined} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Footer sync={services.sync} signedOut={signedOut} hint={signedOut ? 'L sign in · ? help' : '? help · q quit'} />
    </Box>
  );
}
