import { Box, Text, useStdout, type DOMElement } from 'ink';
import { useEffect, useReducer, useRef, useSyncExternalStore } from 'react';
import type { RunView } from '../../session/playback-run.js';
import { formatTicks } from '../../text/time.js';
import { sanitizeText } from '../../text/sanitize.js';
import { useKeys } from '../hooks/use-keys.js';
import { LEAVING, useKeyHold } from '../hooks/use-key-hold.js';
import type { PlaybackControls } from '../services.js';
import { accentColour, toneColour } from '../theme.js';
import { drawInPlace } from '../draw-in-place.js';

const TICKS = 10_000_000;

/** `[██████░░░░]` for a fraction in [0, 1]. */
export function progressBar(fraction: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * inner);
  return `[${'█'.repeat(filled)}${'░'.repeat(inner - filled)}]`;
}

/** The two lines that change while a film plays: the bar and the position (with the paused state). */
interface Live {
  bar: string;
  status: string;
}

/** The lines `view` shows at `width` columns that change as it plays. */
function liveOf(view: RunView, width: number): Live {
  const duration = view.durationSeconds;
  const position = `${formatTicks(view.positionSeconds * TICKS)}${duration ? ` / ${formatTicks(duration * TICKS)}` : ''}`;
  const state = view.ended ? 'Stopped' : view.paused ? '❚❚ Paused' : '▶ Playing';
  const queue = view.count > 1 ? `  ·  ${view.index + 1} of ${view.count}` : '';
  return {
    bar: progressBar(duration ? view.positionSeconds / duration : 0, Math.max(10, width - 2)),
    status: `${state}  ${position}${queue}`,
  };
}

/** The rest of what the screen draws from a view: strings and flags, so two views that look the same compare equal. */
interface Shown {
  title: string;
  tracks: string;
  keys: string;
  ended: boolean;
  notice: string | undefined;
  segment: string | undefined;
  message: string | undefined;
  error: string | undefined;
}

/** The screen's steady text for `view`. */
function shownOf(view: RunView): Shown {
  return {
    title: view.title,
    tracks: [`Audio: ${view.audio ?? '…'}`, view.subtitle !== undefined ? `Subtitles: ${view.subtitle}` : undefined].filter(Boolean).join('  ·  '),
    // Once stopped, the player's keys do nothing: only leaving is left to say.
    keys: view.ended ? 'esc back' : ['space pause', '←/→ seek 10 s', 's stop', ...(view.count > 1 ? ['n/p next/previous'] : []), 'a audio', 'c subtitles'].join(' · '),
    ended: view.ended,
    notice: view.notice,
    segment: view.segment,
    message: view.message,
    error: view.error ? sanitizeText(view.error) : undefined,
  };
}

const same = <T extends object>(a: T, b: T) => (Object.keys(a) as Array<keyof T>).every((key) => a[key] === b[key]);

/**
 * Title, progress bar, position / duration and paused state, the tracks (the audio line always:
 * "Audio: none" for a file without sound), what mpv lacks here (no window, no sound device), and
 * a skip prompt while an intro or credits play. Keys: `space`, `←`/`→`, `s`, `n`/`p`, `a`, `c`, `enter` (skip).
 */
export function NowPlayingScreen({ playback, width, height, active = true }: { playback: PlaybackControls; width: number; height: number; active?: boolean }) {
  // mpv's position changes several times a second; the screen shows whole seconds. Re-rendered
  // (and so redrawn by Ink) only when what it shows changes, not on every tick.
  const last = useRef<{ playback: PlaybackControls; shown: Shown } | undefined>(undefined);
  const view = useSyncExternalStore(
    (cb) => playback.subscribe(cb),
    () => {
      const shown = shownOf(playback.view());
      const before = last.current;
      if (before !== undefined && before.playback === playback && same(before.shown, shown)) return before.shown;
      last.current = { playback, shown };
      return shown;
    },
  );
  // The bar and the position change once a second: written in place on the terminal while the
  // screen shows (Ink redrawing the whole screen for them was most of the app's CPU while a film
  // plays), rendered as usual where that cannot be done.
  const live = liveOf(playback.view(), width);
  const drawn = useRef(live);
  drawn.current = live;
  const liveLines = useRef<DOMElement>(null);
  const [, render] = useReducer((n: number) => n + 1, 0);
  const { stdout } = useStdout();
  useEffect(() => {
    if (!active) return undefined;
    const update = () => {
      const next = liveOf(playback.view(), width);
      if (same(drawn.current, next)) return;
      const [bar, status] = (liveLines.current?.childNodes ?? []) as DOMElement[];
      if (drawInPlace(stdout, [{ element: bar, text: next.bar }, { element: status, text: next.status }])) drawn.current = next;
      else render();
    };
    update();
    return playback.subscribe(update);
  }, [playback, width, active, stdout]);
  // Once stopping (s, esc) or ended, this screen is on its way out: the keys after wait for the
  // screen it gives way to (`s w` marks the item on its details); esc or q still act at once.
  const stopping = useRef(false);
  const leaving = useKeyHold(stopping.current || view.ended, LEAVING);
  useKeys(
    (input, key) => {
      // Read at key time: keys in one burst after `s` find the playback stopped, not the last frame.
      if (playback.view().ended) return false;
      if (input === ' ') playback.togglePause();
      else if (key.leftArrow) playback.seek(-10);
      else if (key.rightArrow) playback.seek(10);
      else if (input === 's' || key.escape || key.backspace) {
        stopping.current = true;
        leaving();
        playback.stop();
      }
      else if (input === 'n') playback.skip('next');
      else if (input === 'p') playback.skip('previous');
      else if (input === 'a') playback.cycleTrack('audio');
      else if (input === 'c') playback.cycleTrack('subtitle');
      else if (key.return) playback.skipSegment();
      else return false;
      return true;
    },
    { isActive: active },
  );
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{view.title}</Text>
      <Box ref={liveLines} flexDirection="column">
        <Text color={accentColour()}>{live.bar}</Text>
        <Text>{live.status}</Text>
      </Box>
      <Text wrap="truncate-end">{view.tracks}</Text>
      {view.notice !== undefined ? <Text color={toneColour('warn')} wrap="wrap">{view.notice}</Text> : null}
      {view.segment !== undefined ? <Text color={toneColour('busy')} bold>{`Playing the ${view.segment} · enter to skip`}</Text> : null}
      {view.message !== undefined ? <Text dimColor wrap="wrap">{view.message}</Text> : null}
      {view.error ? <Text color={toneColour('error')} wrap="wrap">{view.error}</Text> : null}
      <Text dimColor wrap="truncate-end">{view.keys}</Text>
    </Box>
  );
}
