import { Box, Text } from 'ink';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { toneColour } from '../theme.js';
import { wrapText } from '../wrap-text.js';

/** What a failed load says, and how it is left. */
export interface ProblemOptions {
  error: string;
  refresh?: boolean;
  what?: string;
  signedOut?: boolean;
  /** Letters are text here (search): `L` is reached by leaving first. */
  typing?: boolean;
}

/** A failed refresh takes at most this many rows above the list still shown. */
const REFRESH_ROWS = 2;

/**
 * The rows a failed load takes at `columns`, with the key that helps named first, so the way
 * out is always on screen: `L` when the server refused the sign-in (the list loads again after
 * it), else `enter` (first load) or `R` (refresh). A first load that failed wraps whole (there is
 * nothing else to show); a failed refresh wraps to two rows above the list still shown, and what
 * does not fit is in the log (written where the load failed).
 */
export function problemLines({ error, refresh = false, what = '', signedOut = false, typing = false }: ProblemOptions, columns: number): string[] {
  const way = signedOut ? (typing ? 'esc, then L to sign in again' : 'L to sign in again') : refresh ? 'R to try again' : 'enter to try again';
  const text = refresh ? `Could not refresh (${way}): ${error}` : `Could not load${what ? ` ${what}` : ''} (${way}): ${error}`;
  const lines = wrapText(text, Math.max(1, columns));
  if (!refresh || lines.length <= REFRESH_ROWS) return lines;
  const shown = lines.slice(0, REFRESH_ROWS);
  shown[REFRESH_ROWS - 1] = `${[...shown[REFRESH_ROWS - 1]!].slice(0, Math.max(0, columns - 1)).join('').trimEnd()}…`;
  return shown;
}

/** How many rows a failed refresh takes above the list at this terminal's width (0 without one). */
export function useRefreshProblemRows(problem: ProblemOptions | undefined): number {
  const { columns } = useTerminalSize();
  return problem === undefined ? 0 : problemLines({ ...problem, refresh: true }, columns).length;
}

export function LoadProblem(props: ProblemOptions) {
  const { columns } = useTerminalSize();
  return (
    <Box flexDirection="column" flexShrink={0}>
      {problemLines(props, columns).map((line, index) => (
        <Text key={index} color={toneColour('error')} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
