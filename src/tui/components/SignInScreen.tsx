import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { useKeyState } from '../hooks/use-key-state.js';
import { accentColour, toneColour } from '../theme.js';

/** What the sign-in form submits; resolves with an error message to show, or undefined on success. */
export type SignIn = (form: { server: string; user: string; password: string }) => Promise<string | undefined>;

/** Signs in with Quick Connect on `server`: calls `onCode` with the code to show; resolves like {@link SignIn}. */
export type QuickConnect = (server: string, onCode: (code: string) => void, signal: AbortSignal) => Promise<string | undefined>;

/** The row after the fields: "Sign in with Quick Connect instead". */
const QUICK_CONNECT_ROW = 3;

const FIELDS = [
  { key: 'server', label: 'Server  ', hint: 'e.g. http://jellyfin.local:8096' },
  { key: 'user', label: 'User    ', hint: '' },
  { key: 'password', label: 'Password', hint: '' },
] as const;
type Field = (typeof FIELDS)[number]['key'];

interface FormState {
  values: Record<Field, string>;
  focus: number;
}

type FormAction = { type: 'move'; by: number; last: number } | { type: 'focus'; to: number } | { type: 'type'; text: string } | { type: 'erase' } | { type: 'clearPassword' };

function reduce(state: FormState, action: FormAction): FormState {
  const field = FIELDS[state.focus]?.key;
  switch (action.type) {
    case 'move':
      return { ...state, focus: Math.min(action.last, Math.max(0, state.focus + action.by)) };
    case 'focus':
      return { ...state, focus: action.to };
    case 'type':
      return field === undefined ? state : { ...state, values: { ...state.values, [field]: state.values[field] + action.text } };
    case 'erase':
      return field === undefined ? state : { ...state, values: { ...state.values, [field]: state.values[field].slice(0, -1) } };
    case 'clearPassword':
      return { ...state, values: { ...state.values, password: '' } };
  }
}

/**
 * Server address, user name and password (never echoed). `tab`/`↓` and `↑` move between
 * fields, `enter` moves on and signs in from the password, `esc` cancels. With `onQuickConnect`,
 * a last row signs in with a code approved in another Jellyfin app instead (esc stops waiting).
 */
export function SignInScreen({ defaults, onSubmit, onCancel, onInterrupt, onQuickConnect }: {
  defaults: { server?: string; user?: string };
  onSubmit: SignIn;
  onCancel: () => void;
  /** Ctrl+C: leave at once, also while signing in. */
  onInterrupt?: () => void;
  onQuickConnect?: QuickConnect;
}) {
  // Keys typed in one burst (a paste, `password⏎`) apply in order: see useKeyState.
  const form = useKeyState<FormState>(() => ({
    values: { server: defaults.server ?? '', user: defaults.user ?? '', password: '' },
    focus: defaults.server ? (defaults.user ? 2 : 1) : 0,
  }));
  const busy = useKeyState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [waiting, setWaiting] = useState<{ code?: string; abort: AbortController } | undefined>(undefined);
  const dispatch = (action: FormAction) => form.set((state) => reduce(state, action));
  const last = onQuickConnect ? QUICK_CONNECT_ROW : FIELDS.length - 1;

  const quickConnect = (server: string) => {
    if (!onQuickConnect) return;
    if (server.trim() === '') return dispatch({ type: 'focus', to: 0 });
    const abort = new AbortController();
    busy.set(true);
    setError(undefined);
    setWaiting({ abort });
    void onQuickConnect(server, (code) => setWaiting({ code, abort }), abort.signal).then((message) => {
      busy.set(false);
      setWaiting(undefined);
      if (message !== undefined) setError(message);
    });
  };

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      waiting?.abort.abort();
      return onInterrupt?.();
    }
    if (waiting !== undefined && key.escape) return waiting.abort.abort();
    if (busy.current) return;
    const { values, focus } = form.current;
    if (key.escape) return onCancel();
    if (key.upArrow || (key.tab && key.shift)) return dispatch({ type: 'move', by: -1, last });
    if (key.downArrow || key.tab) return dispatch({ type: 'move', by: 1, last });
    if (key.return) {
      if (focus === QUICK_CONNECT_ROW) return quickConnect(values.server);
      if (focus < FIELDS.length - 1) return dispatch({ type: 'move', by: 1, last });
      const missing = FIELDS.findIndex((f) => values[f.key].trim() === '' && f.key !== 'password');
      if (missing >= 0) return dispatch({ type: 'focus', to: missing });
      busy.set(true);
      setError(undefined);
      void onSubmit(values).then((message) => {
        busy.set(false);
        if (message !== undefined) {
          setError(message);
          dispatch({ type: 'clearPassword' });
        }
      });
      return;
    }
    if (key.backspace || key.delete) return dispatch({ type: 'erase' });
    if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) dispatch({ type: 'type', text: input });
  });

  const { values, focus } = form.current;
  return (
    <Box flexDirection="column">
      <Text bold>Sign in to your Jellyfin server</Text>
      <Text dimColor>Or press esc and try `reelterm --demo`.</Text>
      <Text> </Text>
      {FIELDS.map((field, i) => {
        const value = field.key === 'password' ? '•'.repeat(values.password.length) : values[field.key];
        const focused = i === focus;
        return (
          <Text key={field.key} wrap="truncate-end">
            <Text bold={focused} color={focused ? accentColour() : undefined}>{`${focused ? '›' : ' '} ${field.label}  `}</Text>
            {value}
            {focused ? <Text inverse> </Text> : null}
            {focused && value === '' && field.hint ? <Text dimColor>{`  ${field.hint}`}</Text> : null}
          </Text>
        );
      })}
      {onQuickConnect ? (
        <Text bold={focus === QUICK_CONNECT_ROW} color={focus === QUICK_CONNECT_ROW ? accentColour() : undefined}>
          {`${focus === QUICK_CONNECT_ROW ? '›' : ' '} Or sign in with Quick Connect (no password)`}
        </Text>
      ) : null}
      <Text> </Text>
      {waiting !== undefined ? (
        waiting.code !== undefined ? (
          <Text wrap="wrap">
            {'Quick Connect code: '}
            <Text bold>{waiting.code}</Text>
            {' · enter it in a Jellyfin app where you are signed in (Settings → Quick Connect) · waiting… esc stops'}
          </Text>
        ) : (
          <Text color={accentColour()}>Asking the server for a code…</Text>
        )
      ) : busy.current ? (
        <Text color={accentColour()}>Signing in…</Text>
      ) : error ? (
        <Text color={toneColour('error')} wrap="wrap">{error}</Text>
      ) : (
        <Text dimColor>tab/↓ next field · enter sign in · esc cancel</Text>
      )}
    </Box>
  );
}
