import type { AppPaths } from '../config/paths.js';
import { QueueLockedError } from '../sync/owner-lock.js';
import { JellyfinDeliver } from '../sync/jellyfin-deliver.js';
import { loadContext, makeClient, noticeText, pendingCount } from './context.js';
import type { CommandResult } from './pending.js';
import { syncCommand } from './sync.js';

/** `reelterm sync`: delivers the queue to the signed-in server now. */
export async function runSync(options: { paths: AppPaths; timeoutMs: number; insecure?: boolean }): Promise<CommandResult> {
  const context = await loadContext(options.paths, { insecure: options.insecure });
  const notices = noticeText(context.notices);
  const pending = await pendingCount(options.paths.queueFile);
  const signedIn = context.credentials.get();
  if (pending === 0 || signedIn === undefined) {
    // syncCommand also repairs a corrupt queue and reports dead letters; without a sign-in
    // there is nobody to deliver to, so only an empty queue is a success.
    if (signedIn === undefined && pending > 0) {
      return { stdout: '', stderr: `${notices}Not signed in: run \`reelterm login\`; ${pending} queued update${pending === 1 ? ' is' : 's are'} kept.\n`, exitCode: 1 };
    }
  }
  const server = signedIn?.server ?? 'the server';
  const deliver = signedIn ? new JellyfinDeliver(makeClient(context, signedIn.server, signedIn)) : { send: () => Promise.reject(new Error('not signed in')), probe: () => Promise.reject(new Error('not signed in')) };
  try {
    const result = await syncCommand({ queueFile: options.paths.queueFile, lockFile: options.paths.lockFile, deliver, server, timeoutMs: options.timeoutMs });
    return { ...result, stderr: notices + result.stderr };
  } catch (error) {
    if (error instanceof QueueLockedError) return { stdout: '', stderr: `${notices}${error.message}\n`, exitCode: 1 };
    throw error;
  }
}
