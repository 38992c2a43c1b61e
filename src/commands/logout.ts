import { QueueLockedError } from '../sync/owner-lock.js';
import { sameAccount } from '../sync/op.js';
import { log } from '../log.js';
import { accountOf, type AppContext, makeServer, noticeText } from './context.js';
import { plural } from './format.js';
import { queuedOps, type CommandResult } from './pending.js';
import { syncCommand } from './sync.js';

/**
 * `reelterm logout`: first gives this account's queued updates `syncWaitSeconds` to land
 * (they need the token), then revokes the token on the server and forgets it. Whatever is
 * still queued is kept and syncs after the same user signs in again.
 *
 * A token the server could not be told to revoke (down, stalled, refusing) is kept: forgetting
 * it would leave it valid on the server with no way left to revoke it from here. The command
 * says so and exits 1; `forget` forgets it anyway, and says that it stays valid on the server.
 */
export async function logoutCommand(context: AppContext, options: { forget?: boolean } = {}): Promise<CommandResult> {
  let stderr = noticeText(context.notices);
  const signedIn = context.credentials.get();
  if (signedIn === undefined) return { stdout: 'Not signed in.\n', stderr, exitCode: 0 };
  const server = makeServer(context, signedIn.server, signedIn);
  const account = accountOf(signedIn);
  const mine = async () => (await queuedOps(context.paths.queueFile)).filter((op) => op.account === undefined || sameAccount(op.account, account)).length;

  if ((await mine()) > 0) {
    try {
      const synced = await syncCommand({
        queueFile: context.paths.queueFile,
        lockFile: context.paths.lockFile,
        deliver: server.deliver,
        server: signedIn.server,
        timeoutMs: context.settings.syncWaitSeconds * 1000,
        account,
      });
      stderr += synced.stdout + synced.stderr;
    } catch (error) {
      if (!(error instanceof QueueLockedError)) throw error;
      stderr += `${error.message}\n`;
    }
  }

  let alreadyEnded = false;
  try {
    const note = await server.signIn.logout();
    if (typeof note === 'string') stderr += `${note}\n`;
  } catch (error) {
    log.warn('token revocation failed', { error });
    // The client's messages start with the server's address, already named in the sentence.
    const reason = (error as Error).message.replace(`${signedIn.server}: `, '');
    if ((error as { kind?: unknown }).kind === 'auth') {
      // The server no longer accepts the token: it is revoked already, nothing is left to protect.
      alreadyEnded = true;
    } else if (options.forget) {
      stderr +=
        `Could not revoke the token on ${signedIn.server} (${reason}). It is forgotten here as you asked (--forget), ` +
        'but it was not revoked: it stays valid on the server until it is revoked there (Dashboard → Devices, this device).\n';
    } else {
      stderr +=
        `Could not revoke the token on ${signedIn.server} (${reason}). You are still signed in here: the token is kept, ` +
        'so that it can still be revoked (forgetting it would leave it valid on the server). ' +
        'Run `reelterm logout` again when the server answers, or `reelterm logout --forget` to forget it here without revoking it.\n';
      return { stdout: '', stderr, exitCode: 1 };
    }
  }
  context.credentials.forgetToken();
  const left = await mine();
  const kept = left > 0 ? ` ${plural(left, 'update')} ${left === 1 ? 'stays' : 'stay'} queued and ${left === 1 ? 'syncs' : 'sync'} after ${signedIn.userName} signs in again.` : '';
  const ended = alreadyEnded ? ' (the server had already ended this sign-in)' : '';
  return { stdout: `Signed out of ${signedIn.server}${ended}.${kept}\n`, stderr, exitCode: 0 };
}
