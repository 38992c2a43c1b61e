import type { Credentials } from '../config/credentials.js';
import { log } from '../log.js';
import { JellyfinDeliver } from '../sync/jellyfin-deliver.js';
import { type AppContext, makeClient, noticeText, pendingCount } from './context.js';
import { plural } from './format.js';
import type { CommandResult } from './pending.js';
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

function sameAccount(a: { server?: string; userName?: string }, b: { server: string; userName: string }): boolean {
  return a.server === b.server && (a.userName ?? '').toLowerCase() === b.userName.toLowerCase();
}

/**
 * Whether signing in as `userName` on `server` may go ahead: updates of the previous account
 * still queued would land on the wrong account, so they get a bounded chance to sync first,
 * and the switch is refused if some remain. Resolves with the number still queued.
 */
async function accountSwitchGate(context: AppContext, server: string, userName: string): Promise<{ pending: number } | { error: string }> {
  const last = context.credentials.lastUsed();
  let pending = await pendingCount(context.paths.queueFile);
  const previous = context.credentials.get();
  if (pending > 0 && previous !== undefined && !sameAccount(last, { server, userName })) {
    // Switching accounts: give the previous account's updates a bounded chance to land first.
    await syncCommand({
      queueFile: context.paths.queueFile,
      lockFile: context.paths.lockFile,
      deliver: new JellyfinDeliver(makeClient(context, previous.server, previous)),
      server: previous.server,
      timeoutMs: context.settings.syncWaitSeconds * 1000,
    }).catch((error: unknown) => log.warn('could not sync before switching accounts', { error }));
    pending = await pendingCount(context.paths.queueFile);
  }
  if (pending > 0 && last.server !== undefined && !sameAccount(last, { server, userName })) {
    return {
      error:
        `${plural(pending, 'update')} of ${last.userName ?? 'the previous user'} on ${last.server} ${pending === 1 ? 'is' : 'are'} still queued. ` +
        `Sign in as ${last.userName ?? 'that user'} again and run \`reelterm sync\` first, so they do not land on another account.`,
    };
  }
  return { pending };
}

/**
 * Signs in and stores server, user and token (0600); a failure stores nothing. Signing in as
 * someone else while updates of the previous account are queued is refused: they would land
 * on the wrong account. Shared by `reelterm login` and the TUI's sign-in form.
 */
export async function signIn(
  context: AppContext,
  form: { server: string; user: string; password: string },
): Promise<{ credentials: Credentials; pending: number } | { error: string }> {
  let server: string;
  try {
    server = normaliseServerUrl(form.server);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const userName = form.user.trim();
  if (userName === '') return { error: 'A user name is needed.' };
  const gate = await accountSwitchGate(context, server, userName);
  if ('error' in gate) return gate;
  const { pending } = gate;
  const client = makeClient(context, server);
  try {
    const result = await client.authenticateByName(userName, form.password);
    const credentials = { server: client.serverUrl, userId: result.userId, userName: result.userName, token: result.token };
    context.credentials.save(credentials);
    log.info('signed in', { server: client.serverUrl, user: result.userName });
    return { credentials, pending };
  } catch (error) {
    log.warn('sign-in failed', { server: client.serverUrl, error });
    return { error: `Sign-in failed: ${(error as Error).message}` };
  }
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
  const { credentials, pending } = result;
  const queued = pending > 0 ? ` ${plural(pending, 'queued update')} will sync now: run \`reelterm sync\` or start reelterm.` : '';
  return { stdout: `Signed in to ${credentials.server} as ${credentials.userName}.${queued}\n`, stderr: notices, exitCode: 0 };
}

/**
 * Signs in with Quick Connect: asks the server for a code, shows it, and waits (bounded) until
 * the user approves it from another signed-in Jellyfin app; then stores the sign-in like
 * {@link signIn}. Expiry, refusal and the timeout end it with a clear message and nothing stored.
 */
export async function quickConnectSignIn(context: AppContext, serverAddress: string, options: QuickConnectOptions): Promise<{ credentials: Credentials; pending: number } | { error: string }> {
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
  if ('error' in gate) {
    await client.logout().catch(() => undefined);
    return gate;
  }
  const credentials = { server: client.serverUrl, userId: result.userId, userName: result.userName, token: result.token };
  context.credentials.save(credentials);
  log.info('signed in with quick connect', { server: client.serverUrl, user: result.userName });
  return { credentials, pending: gate.pending };
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
  const { credentials, pending } = result;
  const queued = pending > 0 ? ` ${plural(pending, 'queued update')} will sync now: run \`reelterm sync\` or start reelterm.` : '';
  return { stdout: `Signed in to ${credentials.server} as ${credentials.userName}.${queued}\n`, stderr: notices, exitCode: 0 };
}
