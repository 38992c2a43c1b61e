import { JellyfinDeliver } from '../sync/jellyfin-deliver.js';
import { QueueLockedError } from '../sync/owner-lock.js';
import { log } from '../log.js';
import { type AppContext, makeClient, noticeText, pendingCount } from './context.js';
import { plural } from './format.js';
import type { CommandResult } from './pending.js';
import { syncCommand } from './sync.js';

/**
 * `reelterm logout`: first gives queued updates a bounded chance to land (they need the
 * token), then revokes the token on the server and forgets it. Whatever is still queued is
 * kept and syncs after the same user signs in again.
 */
export async function logoutCommand(context: AppContext): Promise<CommandResult> {
  let stderr = noticeText(context.notices);
  const signedIn = context.credentials.get();
  if (signedIn === undefined) return { stdout: 'Not signed in.\n', stderr, exitCode: 0 };
  const client = makeClient(context, signedIn.server, signedIn);

  if ((await pendingCount(context.paths.queueFile)) > 0) {
    try {
      const synced = await syncCommand({
        queueFile: context.paths.queueFile,
        lockFile: context.paths.lockFile,
        deliver: new JellyfinDeliver(client),
        server: signedIn.server,
        timeoutMs: context.settings.syncWaitSeconds * 1000,
      });
      stderr += synced.stdout + synced.stderr;
    } catch (error) {
      if (!(error instanceof QueueLockedError)) throw error;
      stderr += `${error.message}\n`;
    }
  }

  try {
    await client.logout();
  } catch (error) {
    log.warn('token revocation failed', { error });
    stderr += `Could not reach ${signedIn.server} to revoke the token (${(error as Error).message}); it is forgotten here anyway.\n`;
  }
  context.credentials.forgetToken();
  const left = await pendingCount(context.paths.queueFile);
  const kept = left > 0 ? ` ${plural(left, 'update')} stay queued and sync after ${signedIn.userName} signs in again.` : '';
  return { stdout: `Signed out of ${signedIn.server}.${kept}\n`, stderr, exitCode: 0 };
}
