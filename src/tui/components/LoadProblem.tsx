import { Text } from 'ink';
import { toneColour } from '../theme.js';

/**
 * Why a list is not (or not newly) on the screen, with the key that helps named first, so a
 * narrow terminal cuts the server's words, never the way out: `L` when the server refused the
 * sign-in (the list loads again after it), else `enter` (first load) or `R` (refresh). A first
 * load that failed wraps (there is nothing else to show); a failed refresh keeps to one row
 * above the list still shown.
 */
export function LoadProblem({ error, refresh = false, what = '', signedOut = false, typing = false }: {
  error: string;
  refresh?: boolean;
  what?: string;
  signedOut?: boolean;
  /** Letters are text here (search): `L` is reached by leaving first. */
  typing?: boolean;
}) {
  const way = signedOut ? (typing ? 'esc, then L to sign in again' : 'L to sign in again') : refresh ? 'R to try again' : 'enter to try again';
  return refresh ? (
    <Text color={toneColour('error')} wrap="truncate-end">{`Could not refresh (${way}): ${error}`}</Text>
  ) : (
    <Text color={toneColour('error')} wrap="wrap">{`Could not load${what ? ` ${what}` : ''} (${way}): ${error}`}</Text>
  );
}
