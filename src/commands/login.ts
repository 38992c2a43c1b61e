import type { Credentials } from '../config/credentials.js';
import { sanitizeText } from '../text/sanitize.js';
import { checkAddress, DEFAULT_KIND, parseServerAddress, SERVER_ADDRESS_EXAMPLE, type MediaServer, type QuickConnectOptions, type SignedInUser } from '../servers/index.js';
import { log } from '../log.js';
import { readFailure } from '../sync/deliver.js';
import { sameAccount, type OpAccount } from '../sync/op.js';
import { accountOf, type AppContext, connectOptions, makeServer, noticeText } from './context.js';
import { accountLabel, byAccount, plural } from './format.js';
import { queuedOps, type CommandResult } from './pending.js';
import type { Prompter } from './prompt.js';
import { syncCommand } from './sync.js';

export interface LoginOptions {
  server?: string;
  user?: string;
  /** From `REELTERM_PASSWORD`; asked without echo otherwise. */
  password?: string;
  prompter: Prompter;
}

/** Updates of another account left in the queue by a sign-in: kept, and delivered when that account signs in again. */
export interface KeptUpdates {
  account: OpAccount;
  count: number;
}

/** What a sign-in leaves in the queue: this account's updates (they sync now) and other accounts' (kept). */
export interface SignedIn {
  credentials: Credentials;
  /** This account's queued updates. */
  pending: number;
  kept: KeptUpdates[];
}

function sameUser(a: { server?: string; userName?: string }, b: { server: string; userName: string }): boolean {
  return a.server === b.server && (a.userName ?? '').toLowerCase() === b.userName.toLowerCase();
}

/**
 * Before signing in as `userName` on `server` instead of the previous account: that account's
 * queued updates get a bounded chance (`syncWaitSeconds`) to land while its token is still
 * good. Those that cannot are kept in the queue under their account and land when it signs in
 * again, never on the new one. Only updates queued before accounts were recorded (an older
 * reelterm's queue) with nobody signed in to claim them stop the switch: nothing says whose they are.
 */
export async function accountSwitchGate(context: AppContext, server: string, userName: string): Promise<{ error?: string }> {
  const last = context.credentials.lastUsed();
  if (last.server === undefined || sameUser(last, { server, userName })) return {};
  const previous = context.credentials.get();
  if (previous !== undefined) {
    const account = accountOf(previous);
    const theirs = (await queuedOps(context.paths.queueFile)).filter((op) => op.account === undefined || sameAccount(op.account, account));
    if (theirs.length > 0) {
      // (a sign-in of a kind this version does not speak to cannot sync here: its updates are kept for it)
      await Promise.resolve()
        .then(() =>
          syncCommand({
            queueFile: context.paths.queueFile,
            lockFile: context.paths.lockFile,
            deliver: makeServer(context, previous.server, previous).deliver,
            server: previous.server,
            timeoutMs: context.settings.syncWaitSeconds * 1000,
            account,
          }),
        )
        .catch((error: unknown) => log.warn('could not sync before switching accounts', { error }));
    }
  }
  const unclaimed = (await queuedOps(context.paths.queueFile)).filter((op) => op.account === undefined).length;
  if (unclaimed > 0) {
    return {
      error:
        `${plural(unclaimed, 'update')} of ${last.userName ?? 'the previous user'} on ${last.server} ${unclaimed === 1 ? 'is' : 'are'} still queued. ` +
        `Sign in as ${last.userName ?? 'that user'} again and run \`reelterm sync\` first, so they do not land on another account.`,
    };
  }
  return {};
}

/** This account's queued updates, and other accounts' by account. */
export async function queueAfterSignIn(context: AppContext, credentials: Credentials): Promise<{ pending: number; kept: KeptUpdates[] }> {
  const account = accountOf(credentials);
  const ops = await queuedOps(context.paths.queueFile);
  const theirs = ops.filter((op) => op.account !== undefined && !sameAccount(op.account, account));
  return { pending: ops.length - theirs.length, kept: byAccount(theirs, (op) => op.account) };
}

/** `1 update of ann on https://jf.example is kept in the queue: it syncs when ann signs in again.` */
export function keptText(kept: readonly KeptUpdates[]): string {
  return kept
    .map(({ account, count }) => {
      const one = count === 1;
      return `${plural(count, 'update')} of ${accountLabel(account)} ${one ? 'is' : 'are'} kept in the queue: ${one ? 'it syncs' : 'they sync'} when ${sanitizeText(account.userName)} signs in again.\n`;
    })
    .join('');
}

/** The field of the sign-in form a failure is about: the form puts the cursor there. */
export type SignInField = 'server' | 'user' | 'password';

/** Why a sign-in did not happen, worded for a person; nothing was stored. */
export interface SignInFailure {
  error: string;
  field?: SignInField;
}

/** How many times `reelterm login` asks for an answer the server refused (a terminal only). */
const TRIES = 3;

/** A server checked to answer at an address: its base address and its kind. */
interface CheckedServer {
  server: string;
  kind: string;
}

/**
 * The base address of the server at what the user typed or pasted (a web UI address gives its
 * server's), checked to be one reelterm speaks to before any user name or password goes there.
 * `problem` says what is wrong with the address or what answered there instead.
 */
async function checkServerAddress(context: Pick<AppContext, 'settings' | 'credentials'>, address: string): Promise<CheckedServer | { problem: string; reached: boolean }> {
  const parsed = parseServerAddress(address);
  if ('error' in parsed) return { problem: parsed.error, reached: false };
  // Checked every time, also the server signed in to before: what answers there now may be another program.
  const check = await checkAddress(connectOptions(context, parsed.url));
  const last = context.credentials.lastUsed();
  if (!check.ok && check.why !== 'other' && last.server !== undefined && last.server.replace(/\/+$/, '') === parsed.url) {
    // The server reelterm signed in to here before, down or starting right now, is not taken for
    // another program: the sign-in goes on and says what is wrong (the previous account's updates get their wait).
    log.info('the last server does not answer the check now; signing in all the same', { server: parsed.url, problem: check.error });
    return { server: parsed.url, kind: DEFAULT_KIND };
  }
  if (!check.ok) {
    log.warn('no server reelterm speaks to at this address', { server: parsed.url, problem: check.error });
    return { problem: check.error, reached: true };
  }
  return { server: check.url, kind: check.kind };
}

/** A server check's problem as a final answer: one from the server says the sign-in failed. */
function serverFailure(checked: { problem: string; reached: boolean }): SignInFailure {
  return { error: checked.reached ? `Sign-in failed: ${checked.problem}` : checked.problem, field: 'server' };
}

/** What a sign-in stores: the server, its kind and the user. */
function credentialsOf(server: MediaServer, user: SignedInUser): Credentials {
  return { kind: server.kind, server: server.url, ...(user.serverId ? { serverId: user.serverId } : {}), userId: user.userId, userName: user.userName, token: user.token };
}

/** Signs in as `userName` on a checked server and stores it; a wrong password is the `password` field's failure. */
async function authenticate(context: AppContext, checked: CheckedServer, userName: string, password: string): Promise<SignedIn | SignInFailure> {
  const gate = await accountSwitchGate(context, checked.server, userName);
  if (gate.error !== undefined) return { error: gate.error };
  const server = makeServer(context, checked.server, { kind: checked.kind });
  if (server.signIn.password === undefined) return { error: 'This server does not sign in with a password: use Quick Connect (`reelterm login --quick-connect`).' };
  try {
    const credentials = credentialsOf(server, await server.signIn.password(userName, password));
    context.credentials.save(credentials);
    log.info('signed in', { server: server.url, user: credentials.userName });
    return { credentials, ...(await queueAfterSignIn(context, credentials)) };
  } catch (error) {
    log.warn('sign-in failed', { server: server.url, error });
    const wrong = readFailure(error).kind === 'auth';
    return { error: `Sign-in failed: ${(error as Error).message}`, ...(wrong ? { field: 'password' as const } : {}) };
  }
}

/**
 * Signs in and stores server, user and token (0600); a failure stores nothing and names the
 * field it is about. The address is checked to be Jellyfin's before the password is sent.
 * Signing in as someone else first gives the previous account's queued updates a bounded
 * chance to land; what cannot stays queued for that account. Shared by `reelterm login` and
 * the TUI's sign-in form.
 */
export async function signIn(context: AppContext, form: { server: string; user: string; password: string }): Promise<SignedIn | SignInFailure> {
  const parsed = parseServerAddress(form.server);
  if ('error' in parsed) return { error: parsed.error, field: 'server' };
  const userName = form.user.trim();
  if (userName === '') return { error: 'A user name is needed.', field: 'user' };
  const checked = await checkServerAddress(context, parsed.url);
  if ('problem' in checked) return serverFailure(checked);
  return authenticate(context, checked, userName, form.password);
}

/**
 * The server to sign in to: the flag's address, checked once, or one asked for until Jellyfin
 * answers there (three tries), saying each time what is wrong.
 */
async function askServer(context: AppContext, prompter: Prompter, given: string | undefined): Promise<CheckedServer | SignInFailure> {
  const last = context.credentials.lastUsed().server;
  for (let attempt = 1; ; attempt += 1) {
    const address = given ?? (await prompter.ask(`Server address (e.g. ${SERVER_ADDRESS_EXAMPLE})`, last));
    const checked = await checkServerAddress(context, address);
    if ('server' in checked) return checked;
    if (given !== undefined || attempt === TRIES) return serverFailure(checked);
    prompter.tell(checked.problem);
  }
}

/** A user name: the flag's, or asked for until one is given. */
async function askUser(prompter: Prompter, given: string | undefined, last: string | undefined): Promise<string | SignInFailure> {
  for (let attempt = 1; ; attempt += 1) {
    const user = (given ?? (await prompter.ask('User name', last))).trim();
    if (user !== '') return user;
    if (given !== undefined || attempt === TRIES) return { error: 'A user name is needed.', field: 'user' };
    prompter.tell('A user name is needed.');
  }
}

/** What `reelterm login` prints after signing in. */
export function signedInText({ credentials, pending, kept }: SignedIn): string {
  const queued = pending > 0 ? ` ${plural(pending, 'queued update')} will sync now: run \`reelterm sync\` or start reelterm.` : '';
  return `Signed in to ${credentials.server} as ${credentials.userName}.${queued}\n${keptText(kept)}`;
}

/**
 * `reelterm login`: asks for what the flags did not give, then signs in. An address is checked
 * as soon as it is typed; a wrong password is asked for again (three tries in all). Only what
 * was asked is asked again: with flags and `REELTERM_PASSWORD` (scripts, no terminal), the
 * first failure is the answer.
 */
export async function loginCommand(context: AppContext, options: LoginOptions): Promise<CommandResult> {
  const notices = noticeText(context.notices);
  const failed = (error: string): CommandResult => ({ stdout: '', stderr: `${notices}${error}\n`, exitCode: 1 });
  try {
    const server = await askServer(context, options.prompter, options.server);
    if ('error' in server) return failed(server.error);
    let user = await askUser(options.prompter, options.user, context.credentials.lastUsed().userName);
    if (typeof user !== 'string') return failed(user.error);
    for (let attempt = 1; ; attempt += 1) {
      // Jellyfin does not say which was wrong: a retry asks the user name again, enter keeping it.
      if (attempt > 1 && options.user === undefined) {
        user = await askUser(options.prompter, undefined, user);
        if (typeof user !== 'string') return failed(user.error);
      }
      const password = options.password ?? (await options.prompter.askSecret(`Password for ${user}`));
      const result = await authenticate(context, server, user, password);
      if (!('error' in result)) return { stdout: signedInText(result), stderr: notices, exitCode: 0 };
      if (result.field !== 'password' || options.password !== undefined || attempt === TRIES) return failed(result.error);
      const left = TRIES - attempt;
      options.prompter.tell(`${result.error}. Try again (${left} ${left === 1 ? 'try' : 'tries'} left).`);
    }
  } catch (error) {
    return failed((error as Error).message);
  }
}

/**
 * Signs in with Quick Connect: asks the server for a code, shows it, and waits (bounded) until
 * the user approves it from another signed-in Jellyfin app; then stores the sign-in like
 * {@link signIn}. Expiry, refusal and the timeout end it with a clear message and nothing stored.
 */
export async function quickConnectSignIn(context: AppContext, serverAddress: string, options: QuickConnectOptions): Promise<SignedIn | SignInFailure> {
  const checked = await checkServerAddress(context, serverAddress);
  if ('problem' in checked) return serverFailure(checked);
  return quickConnectAt(context, checked, options);
}

/** Quick Connect on a server already checked. */
async function quickConnectAt(context: AppContext, checked: CheckedServer, options: QuickConnectOptions): Promise<SignedIn | SignInFailure> {
  const server = makeServer(context, checked.server, { kind: checked.kind });
  if (server.signIn.quickConnect === undefined) return { error: `${server.url} does not offer Quick Connect: sign in with a password.`, field: 'server' };
  const result = await server.signIn.quickConnect(options);
  if ('error' in result) return result;
  const gate = await accountSwitchGate(context, server.url, result.userName);
  if (gate.error !== undefined) {
    await server.signIn.logout().catch(() => undefined);
    return { error: gate.error };
  }
  const credentials = credentialsOf(server, result);
  context.credentials.save(credentials);
  log.info('signed in with quick connect', { server: server.url, user: result.userName });
  return { credentials, ...(await queueAfterSignIn(context, credentials)) };
}

/** `reelterm login --quick-connect`: shows a code, waits for approval, stores the sign-in. */
export async function quickConnectCommand(
  context: AppContext,
  options: { server?: string; timeoutMs?: number; prompter: Prompter; say: (line: string) => void; signal?: AbortSignal },
): Promise<CommandResult> {
  const notices = noticeText(context.notices);
  let server: CheckedServer | SignInFailure;
  try {
    server = await askServer(context, options.prompter, options.server);
  } catch (error) {
    server = { error: (error as Error).message };
  }
  if ('error' in server) return { stdout: '', stderr: `${notices}${server.error}\n`, exitCode: 1 };
  const result = await quickConnectAt(context, server, {
    onCode: (code) => options.say(`Quick Connect code: ${code}\nEnter it in a Jellyfin app where you are signed in (Settings → Quick Connect). Waiting…`),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if ('error' in result) return { stdout: '', stderr: `${notices}${result.error}\n`, exitCode: 1 };
  return { stdout: signedInText(result), stderr: notices, exitCode: 0 };
}
