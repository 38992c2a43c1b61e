import type { Credentials } from '../config/credentials.js';
import { sanitizeText } from '../jellyfin/sanitize.js';
import { log } from '../log.js';
import { JellyfinDeliver } from '../sync/jellyfin-deliver.js';
import { sameAccount, type OpAccount } from '../sync/op.js';
import { accountOf, type AppContext, makeClient, noticeText } from './context.js';
import { accountLabel, byAccount, plural } from './format.js';
import { queuedOps, type CommandResult } from './pending.js';
import { normaliseServerUrl, type Prompter } from './prompt.js';
import { approveQuickConnect, type QuickConnectOptions } from './quick-connect.js';
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
async function accountSwitchGate(context: AppContext, server: string, userName: string): Promise<{ error?: string }> {
  const last = context.credentials.lastUsed();
  if (last.server === undefined || sameUser(last, { server, userName })) return {};
  const previous = context.credentials.get();
  if (previous !== undefined) {
    const account = accountOf(previous);
    const theirs = (await queuedOps(context.paths.queueFile)).filter((op) => op.account === undefined || sameAccount(op.account, account));
    if (theirs.length > 0) {
      await syncCommand({
        queueFile: context.paths.queueFile,
        lockFile: context.paths.lockFile,
        deliver: new JellyfinDeliver(makeClient(context, previous.server, previous)),
        server: previous.server,
        timeoutMs: context.settings.syncWaitSeconds * 1000,
        account,
      }).catch((error: unknown) => log.warn('could not sync before switching accounts', { error }));
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
async function queueAfterSignIn(context: AppContext, credentials: Credentials): Promise<{ pending: number; kept: KeptUpdates[] }> {
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

/**
 * Signs in and stores server, user and token (0600); a failure stores nothing. Signing in as
 * someone else first gives the previous account's queued updates a bounded chance to land;
 * what cannot stays queued for that account. Shared by `reelterm login` and the TUI's sign-in form.
 */
export async function signIn(context: AppContext, form: { server: string; user: string; password: string }): Promise<SignedIn | { error: string }> {
  let server: string;
  try {
    server = normaliseServerUrl(form.server);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const userName = form.user.trim();
  if (userName === '') return { error: 'A user name is needed.' };
  const gate = await accountSwitchGate(context, server, userName);
  if (gate.error !== undefined) return { error: gate.error };
  const client = makeClient(context, server);
  try {
    const result = await client.authenticateByName(userName, form.password);
    const credentials = { server: client.serverUrl, userId: result.userId, userName: result.userName, token: result.token };
    context.credentials.save(credentials);
    log.info('signed in', { server: client.serverUrl, user: result.userName });
    return { credentials, ...(await queueAfterSignIn(context, credentials)) };
  } catch (error) {
    log.warn('sign-in failed', { server: client.serverUrl, error });
    return { error: `Sign-in failed: ${(error as Error).message}` };
  }
}

/** What `reelterm login` prints after signing in. */
function signedInText({ credentials, pending, kept }: SignedIn): string {
  const queued = pending > 0 ? ` ${plural(pending, 'queued update')} will sync now: run \`reelterm sync\` or start reelterm.` : '';
  return `Signed in to ${credentials.server} as ${credentials.userName}.${queued}\n${keptText(kept)}`;
}

/** `reelterm login`: asks for what the flags did not give, then signs in. */
export async function loginCommand(context: AppContext, options: LoginOptions): Promise<CommandResult> {
  const notices = noticeText(context.notices);
  const last = context.credentials.lastUsed();
  let form: { server: string; user: string; password: string };
  try {
    const server = options.server ?? (await options.prompter.ask('Server address', last.server));
    const user = options.user ?? (await options.prompter.ask('User name', last.userName));
    const password = options.password ?? (await options.prompter.askSecret(`Password for ${user.trim()}`));
    form = { server, user, password };
  } catch (error) {
    return { stdout: '', stderr: `${notices}${(error as Error).message}\n`, exitCode: 1 };
  }
  const result = await signIn(context, form);
  if ('error' in result) return { stdout: '', stderr: `${notices}${result.error}\n`, exitCode: 1 };
  return { stdout: signedInText(result), stderr: notices, exitCode: 0 };
}

/**
 * Signs in with Quick Connect: asks the server for a code, shows it, and waits (bounded) until
 * the user approves it from another signed-in Jellyfin app; then stores the sign-in like
 * {@link signIn}. Expiry, refusal and the timeout end it with a clear message and nothing stored.
 */
export async function quickConnectSignIn(context: AppContext, serverAddress: string, options: QuickConnectOptions): Promise<SignedIn | { error: string }> {
  let server: string;
  try {
    server = normaliseServerUrl(serverAddress);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const client = makeClient(context, server);
  const result = await approveQuickConnect(client, options);
  if ('error' in result) return result;
  const gate = await accountSwitchGate(context, client.serverUrl, result.userName);
  if (gate.error !== undefined) {
    await client.logout().catch(() => undefined);
    return { error: gate.error };
  }
  const credentials = { server: client.serverUrl, userId: result.userId, userName: result.userName, token: result.token };
  context.credentials.save(credentials);
  log.info('signed in with quick connect', { server: client.serverUrl, user: result.userName });
  return { credentials, ...(await queueAfterSignIn(context, credentials)) };
}

/** `reelterm login --quick-connect`: shows a code, waits for approval, stores the sign-in. */
export async function quickConnectCommand(
  context: AppContext,
  options: { server?: string; timeoutMs?: number; prompter: Prompter; say: (line: string) => void; signal?: AbortSignal },
): Promise<CommandResult> {
  const notices = noticeText(context.notices);
  let server: string;
  try {
    server = options.server ?? (await options.prompter.ask('Server address', context.credentials.lastUsed().server));
  } catch (error) {
    return { stdout: '', stderr: `${notices}${(error as Error).message}\n`, exitCode: 1 };
  }
  const result = await quickConnectSignIn(context, server, {
    onCode: (code) => options.say(`Quick Connect code: ${code}\nEnter it in a Jellyfin app where you are signed in (Settings → Quick Connect). Waiting…`),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if ('error' in result) return { stdout: '', stderr: `${notices}${result.error}\n`, exitCode: 1 };
  return { stdout: signedInText(result), stderr: notices, exitCode: 0 };
}
