import { useState } from 'react';
import { parseServerAddress } from '../../servers/address.js';
import { useKeyState } from './use-key-state.js';

/** A field of the sign-in form. */
export type SignInField = 'server' | 'user' | 'password';

/** Why a sign-in did not happen, and the field it is about (the cursor goes there). */
export interface SignInProblem {
  error: string;
  field?: SignInField;
}

/** What the sign-in form submits; resolves with what went wrong, or undefined on success. */
export type SignIn = (form: { server: string; user: string; password: string }) => Promise<string | SignInProblem | undefined>;

/** Signs in with Quick Connect on `server`: calls `onCode` with the code to show; resolves like {@link SignIn}. */
export type QuickConnect = (server: string, onCode: (code: string) => void, signal: AbortSignal) => Promise<string | SignInProblem | undefined>;

/** Signs in with a code entered on another device (Plex's plex.tv/link): calls `onCode` with the code and its link; resolves like {@link SignIn}. */
export type CodeSignIn = (onCode: (code: string, url: string) => void, signal: AbortSignal) => Promise<string | SignInProblem | undefined>;

/** The form's fields, in order. */
export const FIELDS: readonly SignInField[] = ['server', 'user', 'password'];

/** The rows after the fields, when offered: Quick Connect, then Plex's code. */
export type ExtraRow = 'quick-connect' | 'code-link';

/** The form as the keys see it; see useKeyState. */
export interface SignInFormState {
  values: Record<SignInField, string>;
  focus: number;
  /** What is wrong with a field (shown on its row), or with the sign-in as a whole (`form`). */
  problems: Partial<Record<SignInField | 'form', string>>;
}

/** Whether the form is waiting for the server: signing in, or for a Quick Connect approval. */
export type SignInActivity =
  | { kind: 'idle' }
  | { kind: 'signing-in' }
  | { kind: 'quick-connect'; code?: string; abort: AbortController }
  | { kind: 'code-link'; code?: string; url?: string; abort: AbortController };

/** What is wrong with the form before anything is sent, and where. */
function formProblem(values: Record<SignInField, string>, upTo: SignInField): SignInProblem | undefined {
  const address = parseServerAddress(values.server);
  if ('error' in address) return { error: address.error, field: 'server' };
  if (upTo !== 'server' && values.user.trim() === '') return { error: 'A user name is needed.', field: 'user' };
  return undefined;
}

/**
 * The sign-in form's state and what its keys do: an address or user name that cannot work is
 * named on its row before anything is sent; a failed sign-in puts the cursor on the field it
 * is about (a wrong password: on the password, cleared).
 */
export function useSignIn({ defaults, onSubmit, onQuickConnect, onCodeLink }: { defaults: { server?: string; user?: string }; onSubmit: SignIn; onQuickConnect?: QuickConnect; onCodeLink?: CodeSignIn }) {
  // Keys typed in one burst (a paste, `password⏎`) apply in order: see useKeyState.
  const form = useKeyState<SignInFormState>(() => ({
    values: { server: defaults.server ?? '', user: defaults.user ?? '', password: '' },
    focus: defaults.server ? (defaults.user ? 2 : 1) : 0,
    problems: {},
  }));
  const busy = useKeyState(false);
  const quickConnecting = useKeyState(false);
  const [activity, setActivity] = useState<SignInActivity>({ kind: 'idle' });
  const extraRows: ExtraRow[] = [...(onQuickConnect ? (['quick-connect'] as const) : []), ...(onCodeLink ? (['code-link'] as const) : [])];
  const last = FIELDS.length - 1 + extraRows.length;
  /** What the row at `focus` is: a field, or one of the rows after them. */
  const rowAt = (focus: number): SignInField | ExtraRow | undefined => FIELDS[focus] ?? extraRows[focus - FIELDS.length];

  /** Shows a problem on its field's row, with the cursor there; one about no field stays where the cursor is. */
  const show = (problem: SignInProblem) =>
    form.set((state) => ({
      ...state,
      focus: problem.field === undefined ? state.focus : FIELDS.indexOf(problem.field),
      problems: { ...state.problems, [problem.field ?? 'form']: problem.error },
    }));

  /**
   * A refused sign-in: the password is typed again, unless the address or the user name stopped
   * it before the password was sent (fix that, and sign in with the same password).
   */
  const settle = (outcome: string | SignInProblem | undefined, withPassword: boolean) => {
    busy.set(false);
    setActivity({ kind: 'idle' });
    if (outcome === undefined) return;
    const problem = typeof outcome === 'string' ? { error: outcome } : outcome;
    if (withPassword && problem.field !== 'server' && problem.field !== 'user') form.set((state) => ({ ...state, values: { ...state.values, password: '' } }));
    show(problem);
  };

  const start = (now: SignInActivity) => {
    busy.set(true);
    quickConnecting.set(now.kind === 'quick-connect' || now.kind === 'code-link');
    form.set((state) => ({ ...state, problems: {} }));
    setActivity(now);
  };

  const submit = () => {
    const { values } = form.current;
    const problem = formProblem(values, 'password');
    if (problem !== undefined) return show(problem);
    start({ kind: 'signing-in' });
    // A sign-in that throws (a bug, a file it cannot read) is a failure the form shows, never an unhandled rejection.
    void onSubmit(values).then(
      (outcome) => settle(outcome, true),
      (error: unknown) => settle(`Sign-in failed: ${(error as Error).message}`, true),
    );
  };

  const quickConnect = () => {
    if (!onQuickConnect) return;
    const problem = formProblem(form.current.values, 'server');
    if (problem !== undefined) return show(problem);
    const abort = new AbortController();
    start({ kind: 'quick-connect', abort });
    void onQuickConnect(form.current.values.server, (code) => setActivity({ kind: 'quick-connect', code, abort }), abort.signal).then(
      (outcome) => settle(outcome, false),
      (error: unknown) => settle(`Sign-in failed: ${(error as Error).message}`, false),
    );
  };

  const codeLink = () => {
    if (!onCodeLink) return;
    const abort = new AbortController();
    start({ kind: 'code-link', abort });
    void onCodeLink((code, url) => setActivity({ kind: 'code-link', code, url, abort }), abort.signal).then(
      (outcome) => settle(outcome, false),
      (error: unknown) => settle(`Sign-in failed: ${(error as Error).message}`, false),
    );
  };

  const edit = (change: (value: string) => string) =>
    form.set((state) => {
      const field = FIELDS[state.focus];
      if (field === undefined) return state;
      const { [field]: _solved, ...problems } = state.problems;
      return { ...state, values: { ...state.values, [field]: change(state.values[field]) }, problems };
    });

  return {
    form: form.current,
    activity,
    /** Whether keys other than esc and Ctrl+C are ignored (the server is being asked). */
    get busy() {
      return busy.current;
    },
    rowAt,
    extraRows,
    /** Whether a wait for a code (Quick Connect, Plex) is on (read at key time). */
    get quickConnecting() {
      return quickConnecting.current;
    },
    move: (by: number) => form.set((state) => ({ ...state, focus: Math.min(last, Math.max(0, state.focus + by)) })),
    type: (text: string) => edit((value) => value + text),
    erase: () => edit((value) => value.slice(0, -1)),
    /** `enter`: the next field once this one can work; signs in from the password. */
    enter: () => {
      const { focus, values } = form.current;
      if (rowAt(focus) === 'quick-connect') return quickConnect();
      if (rowAt(focus) === 'code-link') return codeLink();
      if (focus === FIELDS.length - 1) return submit();
      const problem = formProblem(values, FIELDS[focus] ?? 'server');
      if (problem !== undefined && FIELDS.indexOf(problem.field ?? 'password') <= focus) return show(problem);
      form.set((state) => ({ ...state, focus: state.focus + 1 }));
    },
  };
}
