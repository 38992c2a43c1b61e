import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { footerHint, footerText } from '../footer-text.js';
import { footerRedrawMs, useSyncStatus, type StatusSource } from '../hooks/use-sync-status.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useTicker } from '../hooks/use-ticker.js';
import { toneColour } from '../theme.js';

/**
 * The one-line sync footer, always at the bottom. Animates only while syncing or counting
 * down; while a request goes unanswered it counts the wait up once a second; when idle it
 * redraws once a minute, for "✓ Synced · 2 min ago". `signedOut`: the server refused the token on a request other than syncing.
 * The key hint gives way when the line needs the room.
 */
export function Footer({ sync, hint, signedOut = false }: { sync: StatusSource; hint?: string; signedOut?: boolean }) {
  const status = useSyncStatus(sync, signedOut);
  // Read at every render: the spinner's ticks are what notice a request becoming a wait.
  const redrawMs = footerRedrawMs(status, Date.now());
  const tick = useTicker(redrawMs > 0, redrawMs);
  // `status` identity changes on every emit; the clock only matters while counting.
  const line = useMemo(() => footerText(status, Date.now(), tick, signedOut), [status, tick, signedOut]);
  const shownHint = footerHint(line, hint, useTerminalSize().columns);
  return (
    <Box width="100%" justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text color={toneColour(line.tone)}>{line.text}</Text>
        {line.failed ? <Text color={toneColour('error')}>{`  ${line.failed}`}</Text> : null}
      </Text>
      {shownHint ? <Text dimColor wrap="truncate-end">{shownHint}</Text> : null}
    </Box>
  );
}
