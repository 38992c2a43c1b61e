import type { AppPaths } from '../config/paths.js';
import { QueueLockedError } from '../sync/owner-lock.js';
import { JellyfinDeliver } from '../sync/jellyfin-deliver.js';
import { accountOf, loadContext, makeClient, noticeText, pendingCount } from './context.js';
import type { CommandResult } from './pending.js';
import { syncCommand } from './sync.js';

/**
 * `reelterm sync`: delivers the signed-in account's queued updates to its server now
 * (`retryFailed`: every failed or expired one is put back in the queue first).
 */
export async function runSync(options: { paths: AppPaths; timeoutMs: number; insecure?: boolean; retryFailed?: boolean }): Promise<CommandResult> {
  const context = await loadContext(options.paths, { insecure: options.insecure });
  const notices = noticeText(context.notices);
  const pending = await pendingCount(options.paths.queueFile);
  const signedIn = context.credentials.get();
  if (signedIn === undefined) {
    // syncCommand below still repairs a corrupt queue and reports failed updates; without a
    // sign-in there is nobody to deliver to, so only an empty queue is a success.
    if (pending > 0) {
      return { stdout: '', stderr: `${notices}Not signed in: run \`reelterm login\`; ${pending} queued update${pending === 1 ? ' is' : 's are'} kept.\n`, exitCode: 1 };
    }
    if (options.retryFailed) {
      return { stdout: '', stderr: `${notices}Not signed in: run \`reelterm login\` first; nothing was changed.\n`, exitCode: 1 };
    }
  }
  const server = signedIn?.server ?? 'the server';
  const deliver = signedIn ? new JellyfinDeliver(makeClient(context, signedIn.server, signedIn)) : { send: () => Promise.reject(new Error('not signed in')), probe: () => Promise.reject(new Error('not signed in')) };
  try {
    const result = await syncCommand({
      queueFile: options.paths.queueFile,
      lockFile: options.paths.lockFile,
      deliver,
      server,
      timeoutMs: options.timeoutMs,
      ...(signedIn ? { account: accountOf(signedIn) } : {}),
      ...(options.retryFailed ? { retryFailed: true } : {}),
    });
    return { ...result, stderr: notices + result.stderr };
  } catch (error) {
    if (error instanceof QueueLockedError) return { stdout: '', stderr: `${notices}${error.message}\n`, exitCode: 1 };
    throw error;
  }
}
