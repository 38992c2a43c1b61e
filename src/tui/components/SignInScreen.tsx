import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { SIGNING_IN, useKeyHold } from '../hooks/use-key-hold.js';
import { SERVER_ADDRESS_EXAMPLE } from '../../servers/address.js';
import { FIELDS, type CodeSignIn, type QuickConnect, type SignIn, type SignInField, useSignIn } from '../hooks/use-sign-in.js';
import { accentColour, toneColour } from '../theme.js';

export type { CodeSignIn, QuickConnect, SignIn, SignInProblem } from '../hooks/use-sign-in.js';

/** What the rows after the fields say. */
const EXTRA_LABELS = { 'quick-connect': 'Or sign in with Quick Connect (no password)', 'code-link': 'Or sign in to Plex with a code (plex.tv/link)' } as const;


const ROWS: Record<SignInField, { label: string; hint: string }> = {
  server: { label: 'Server  ', hint: `e.g. ${SERVER_ADDRESS_EXAMPLE}` },
  user: { label: 'User    ', hint: '' },
  password: { label: 'Password', hint: '' },
};

/**
 * Server address, user name and password (never echoed). `tab`/`↓` and `↑` move between
 * fields, `enter` moves on and signs in from the password, `esc` cancels. What is wrong with a
 * field shows on its row, and the cursor goes there. With `onQuickConnect`, a last row signs in
 * with a code approved in another Jellyfin app instead (esc stops waiting); with `onCodeLink`, one
 * signs in to Plex with a code entered at plex.tv/link.
 */
export function SignInScreen({ defaults, onSubmit, onCancel, onInterrupt, onQuickConnect, onCodeLink, inApp = false }: {
  defaults: { server?: string; user?: string };
  /**
   * The form of a running app (`L`): esc goes back to it, also while the server is asked (a
   * sign-in that lands later still counts). On the first run, esc leaves reelterm, and not
   * while signing in (a sign-in landing after it would be stored unseen).
   */
  inApp?: boolean;
  onSubmit: SignIn;
  onCancel: () => void;
  /** Ctrl+C: leave at once, also while signing in. */
  onInterrupt?: () => void;
  onQuickConnect?: QuickConnect;
  onCodeLink?: CodeSignIn;
}) {
  const signIn = useSignIn({ defaults, onSubmit, ...(onQuickConnect ? { onQuickConnect } : {}), ...(onCodeLink ? { onCodeLink } : {}) });
  const { activity } = signIn;
  const waitingForCode = activity.kind === 'quick-connect' || activity.kind === 'code-link';
  // Keys typed after the password's enter (`demo⏎jj⏎`) are for the screen signing in leads to;
  // dropped if the sign-in is refused (the form asks again).
  const signingIn = signIn.busy && !waitingForCode;
  const sending = useKeyHold(signingIn, SIGNING_IN, Object.keys(signIn.form.problems).length > 0);

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') {
      if (activity.kind === 'quick-connect' || activity.kind === 'code-link') activity.abort.abort();
      return onInterrupt?.();
    }
    if ((activity.kind === 'quick-connect' || activity.kind === 'code-link') && key.escape) return activity.abort.abort();
    // esc while the server is asked leaves, as the form says: a sign-in that lands later still counts.
    if (signIn.busy && key.escape && inApp) return onCancel();
    if (signIn.busy) return;
    if (key.escape) return onCancel();
    if (key.upArrow || (key.tab && key.shift)) return signIn.move(-1);
    if (key.downArrow || key.tab) return signIn.move(1);
    if (key.return) {
      signIn.enter();
      if (signIn.busy && !signIn.quickConnecting) sending();
      return;
    }
    if (key.backspace || key.delete) return signIn.erase();
    if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) signIn.type(input);
  });

  const { values, focus, problems } = signIn.form;
  return (
    <Box flexDirection="column">
      <Text bold>Sign in to your Jellyfin server</Text>
      <Text dimColor>{inApp ? 'esc goes back without signing in: queued updates stay queued.' : 'Or press esc and try `reelterm --demo`.'}</Text>
      <Text> </Text>
      {FIELDS.map((field, i) => {
        const { label, hint } = ROWS[field];
        const value = field === 'password' ? '•'.repeat(values.password.length) : values[field];
        const focused = i === focus;
        const problem = problems[field];
        return (
          <Box key={field} flexDirection="column">
            <Text wrap="truncate-end">
              <Text bold={focused} color={focused ? accentColour() : undefined}>{`${focused ? '›' : ' '} ${label}  `}</Text>
              {value}
              {focused ? <Text inverse> </Text> : null}
              {focused && value === '' && hint && problem === undefined ? <Text dimColor>{`  ${hint}`}</Text> : null}
            </Text>
            {problem !== undefined ? (
              <Box marginLeft={12}>
                <Text color={toneColour('error')} wrap="wrap">{problem}</Text>
              </Box>
            ) : null}
          </Box>
        );
      })}
      {signIn.extraRows.map((row, i) => {
        const focused = focus === FIELDS.length + i;
        return (
          <Text key={row} bold={focused} color={focused ? accentColour() : undefined}>
            {`${focused ? '›' : ' '} ${EXTRA_LABELS[row]}`}
          </Text>
        );
      })}
      <Text> </Text>
      {activity.kind === 'quick-connect' ? (
        activity.code !== undefined ? (
          <Text wrap="wrap">
            {'Quick Connect code: '}
            <Text bold>{activity.code}</Text>
            {' · enter it in a Jellyfin app where you are signed in (Settings → Quick Connect) · waiting… esc stops'}
          </Text>
        ) : (
          <Text color={accentColour()}>Asking the server for a code…</Text>
        )
      ) : activity.kind === 'code-link' ? (
        activity.code !== undefined ? (
          <Text wrap="wrap">
            {'Open https://plex.tv/link and enter the code '}
            <Text bold>{activity.code}</Text>
            {` (or open ${activity.url ?? 'the link'}) · waiting… esc stops`}
          </Text>
        ) : (
          <Text color={accentColour()}>Asking plex.tv for a code…</Text>
        )
      ) : activity.kind === 'signing-in' ? (
        <Text color={accentColour()}>Signing in…</Text>
      ) : problems.form !== undefined ? (
        <Text color={toneColour('error')} wrap="wrap">{problems.form}</Text>
      ) : (
        <Text dimColor>tab/↓ next field · enter sign in · esc cancel</Text>
      )}
    </Box>
  );
}
