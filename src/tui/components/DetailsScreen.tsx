import { Box, Text } from 'ink';
import { formatTicks } from '../../text/time.js';
import type { MediaItem } from '../../servers/types.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { useKeys } from '../hooks/use-keys.js';
import { APP_KEYS } from '../keys.js';
import { useWatchState } from '../hooks/use-watch-state.js';
import { itemTitle, watchOf } from '../item-label.js';
import type { TuiServices } from '../services.js';
import { accentColour } from '../theme.js';

const TICKS = 10_000_000;

/**
 * Item details; `enter` plays, asking "Resume from 12:34 / Start over" when there is a saved
 * position (`esc` cancels the question and stays here).
 */
export function DetailsScreen({ item, services, height, onPlay, active = true }: {
  item: MediaItem;
  services: TuiServices;
  height: number;
  onPlay: (item: MediaItem, startSeconds: number) => void;
  active?: boolean;
}) {
  const watch = useWatchState(services.watch);
  const state = watchOf(item, watch.of(item));
  const resumeAt = !state.played && state.positionTicks > 0 ? state.positionTicks : undefined;
  // Read at key time, so `⏎⏎` (play, then resume) works even before a redraw.
  const prompt = useKeyState<{ asking: boolean; choice: number }>({ asking: false, choice: 0 });
  const { asking, choice } = prompt.current;

  useKeys(
    (input, key) => {
      const now = watchOf(item, services.watch.of(item));
      const resumeNow = !now.played && now.positionTicks > 0 ? now.positionTicks : undefined;
      if (prompt.current.asking) {
        if (key.upArrow || input === 'k') prompt.set({ asking: true, choice: 0 });
        else if (key.downArrow || input === 'j') prompt.set({ asking: true, choice: 1 });
        else if (key.escape || key.backspace) prompt.set({ asking: false, choice: 0 });
        else if (key.return) {
          const resume = prompt.current.choice === 0 && resumeNow !== undefined;
          prompt.set({ asking: false, choice: 0 });
          onPlay(item, resume ? resumeNow / TICKS : 0);
        }
        // The keys that work anywhere (`q` quit, `?` help) still do; the question holds every
        // other key until answered or cancelled: esc cancels it, not the screen.
        else if (APP_KEYS.has(input)) return false;
        return true;
      }
      if (key.return) {
        if (resumeNow === undefined) onPlay(item, 0);
        else prompt.set({ asking: true, choice: 0 });
      } else if (input === 'w') {
        void services.setWatched(item, !now.played);
      }
    },
    { isActive: active },
  );

  const facts = [
    item.type,
    item.year !== undefined ? String(item.year) : undefined,
    item.runtimeTicks ? formatTicks(item.runtimeTicks) : undefined,
    item.seriesName,
  ].filter(Boolean);
  const status = state.played ? '✓ Watched' : resumeAt !== undefined ? `◐ Stopped at ${formatTicks(resumeAt)}` : 'Not watched';
  const overviewRows = Math.max(1, height - (asking ? 9 : 6));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{itemTitle(item)}</Text>
      <Text dimColor wrap="truncate-end">{facts.join(' · ')}</Text>
      <Text>{status}</Text>
      <Box height={overviewRows} overflow="hidden" marginTop={1}>
        <Text wrap="wrap">{item.overview ?? ''}</Text>
      </Box>
      {asking ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end">{`Play ${itemTitle(item)}:`}</Text>
          {[`Resume from ${formatTicks(resumeAt ?? 0)}`, 'Start over'].map((label, i) => (
            <Text key={label} bold={choice === i} color={choice === i ? accentColour() : undefined} inverse={choice === i && accentColour() === undefined}>
              {choice === i ? '› ' : '  '}
              {label}
            </Text>
          ))}
          <Text dimColor>enter choose · esc cancel</Text>
        </Box>
      ) : (
        <Text dimColor>{`enter play · w ${state.played ? 'mark unwatched' : 'mark watched'} · esc back`}</Text>
      )}
    </Box>
  );
}
