import { Text } from 'ink';
import { toneColour } from '../theme.js';

/**
 * Why a list is not (or not newly) on the screen, with the key that tries again named first, so
 * a narrow terminal cuts the server's words, never the way out. A first load that failed wraps
 * (there is nothing else to show); a failed refresh keeps to one row above the list still shown.
 */
export function LoadProblem({ error, refresh = false, what = '' }: { error: string; refresh?: boolean; what?: string }) {
  return refresh ? (
    <Text color={toneColour('error')} wrap="truncate-end">{`Could not refresh (R to try again): ${error}`}</Text>
  ) : (
    <Text color={toneColour('error')} wrap="wrap">{`Could not load${what ? ` ${what}` : ''} (enter to try again): ${error}`}</Text>
  );
}
