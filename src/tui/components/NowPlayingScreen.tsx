import { Box, Text, useInput } from 'ink';
import { useSyncExternalStore } from 'react';
import { formatTicks } from '../../commands/format.js';
import type { PlaybackControls } from '../services.js';
import { accentColour } from '../theme.js';

const TICKS = 10_000_000;

/** `[██████░░░░]` for a fraction in [0, 1]. */
export function progressBar(fraction: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * inner);
  return `[${'█'.repeat(filled)}${'░'.repeat(inner - filled)}]`;
}

/** Title, progress bar, position / duration and paused state; `space`, `←`/`→`, `s`. */
export function NowPlayingScreen({ playback, width, height, active = true }: { playback: PlaybackControls; width: number; height: number; active?: boolean }) {
  const view = useSyncExternalStore((cb) => playback.subscribe(cb), () => playback.view());
  useInput(
    (input, key) => {
      if (input === ' ') playback.togglePause();
      else if (key.leftArrow) playback.seek(-10);
      else if (key.rightArrow) playback.seek(10);
      else if (input === 's') playback.stop();
    },
    { isActive: active && !view.ended },
  );
  const duration = view.durationSeconds;
  const position = `${formatTicks(view.positionSeconds * TICKS)}${duration ? ` / ${formatTicks(duration * TICKS)}` : ''}`;
  const state = view.ended ? 'Stopped' : view.paused ? '❚❚ Paused' : '▶ Playing';
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{playback.title}</Text>
      <Text color={accentColour()}>{progressBar(duration ? view.positionSeconds / duration : 0, Math.max(10, width - 2))}</Text>
      <Text>{`${state}  ${position}`}</Text>
      {view.error ? <Text color="red" wrap="truncate-end">{view.error}</Text> : null}
      <Text dimColor>space pause · ←/→ seek 10 s · s stop</Text>
    </Box>
  );
}
