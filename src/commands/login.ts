import { ApiError } from '../jellyfin/errors.js';
import { log } from '../log.js';
import { type AppContext, makeClient, noticeText, pendingCount } from './context.js';
import { plural } from './format.js';
import type { CommandResult } from './pending.js';
import { normaliseServerUrl, type Prompter } from './prompt.js';

export interface LoginOptions {
  server?: string;
  user?: string;
  /** From `REELTERM_PASSWORD`; asked without echo otherwise. */
  password?: string;
  prompter: Prompter;
}

function failure(stderr: string): CommandResult {
  return { stdout: '', stderr, exitCode: 1 };
}

function sameAccount(a: { server?: string; userName?: string }, b: { server: string; userName: string }): boolean {
  return a.server === b.server && (a.userName ?? '').toLowerCase() === b.userName.toLowerCase();
}

/**
 * `reelterm login`: asks for what the flags did not give, signs in, and stores server, user
 * and token (0600). A wrong password stores nothing. Signing in as someone else while
 * updates of the previous account are queued is refused: they would land on the wrong account.
 */
export async function loginCommand(context: AppContext, options: LoginOptions): Promise<CommandResult> {
  const notices = noticeText(context.notices);
  const last = context.credentials.lastUsed();
  let server: string;
  let userName: string;
  let password: string;
  try {
    server = normaliseServerUrl(options.server ?? (await options.prompter.ask('Server address', last.server)));
    userName = (options.user ?? (await options.prompter.ask('User name', last.userName))).trim();
    if (userName === '') return failure(`${notices}A user name is needed.\n`);
    password = options.password ?? (await options.prompter.askSecret(`Password for ${userName}`));
  } catch (error) {
    return failure(`${notices}${(error as Error).message}\n`);
  }

  const pending = await pendingCount(context.paths.queueFile);
  if (pending > 0 && last.server !== undefined && !sameAccount(last, { server, userName })) {
    return failure(
      `${notices}${plural(pending, 'update')} of ${last.userName ?? 'the previous user'} on ${last.server} ${pending === 1 ? 'is' : 'are'} still queued. ` +
        `Sign in as ${last.userName ?? 'that user'} again and run \`reelterm sync\` first, so they do not land on another account.\n`,
    );
  }

  const client = makeClient(context, server);
  try {
    const signIn = await client.authenticateByName(userName, password);
    context.credentials.save({ server: client.serverUrl, userId: signIn.userId, userName: signIn.userName, token: signIn.token });
    log.info('signed in', { server: client.serverUrl, user: signIn.userName });
    const queued = pending > 0 ? ` ${plural(pending, 'queued update')} will sync now: run \`reelterm sync\` or start reelterm.` : '';
    return { stdout: `Signed in to ${client.serverUrl} as ${signIn.userName}.${queued}\n`, stderr: notices, exitCode: 0 };
  } catch (error) {
    log.warn('sign-in failed', { server: client.serverUrl, error });
    const message = error instanceof ApiError ? error.message : (error as Error).message;
    return failure(`${notices}Sign-in failed: ${message}\n`);
  }
}
