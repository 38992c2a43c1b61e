import { demoPaths, type AppPaths } from '../config/paths.js';
import { QueueLockedError } from '../sync/owner-lock.js';
import { accountOf, loadContext, makeServer, noticeText, pendingCount } from './context.js';
import { favourMemory } from './batch-memory.js';
import { startDemo, type DemoRules } from './demo.js';
import { lockedText } from './format.js';
import type { CommandResult } from './pending.js';
import { syncCommand } from './sync.js';

/**
 * `reelterm sync`: delivers the signed-in account's queued updates to its server now
 * (`retryFailed`: every failed or expired one is put back in the queue first).
 */
export async function runSync(options: { paths: AppPaths; timeoutMs: number; insecure?: boolean; retryFailed?: boolean }): Promise<CommandResult> {
  favourMemory();
  const context = await loadContext(options.paths, { insecure: options.insecure });
  const notices = noticeText(context.notices);
  const signedIn = context.credentials.get();
  if (signedIn === undefined) {
    // syncCommand below still repairs a corrupt queue and reports failed updates; without a
    // sign-in there is nobody to deliver to, so only an empty queue is a success. (Counted only
    // here: signed in, the outbox reads the queue itself, and a second parse of a backlog of
    // thousands would cost the drain its time and memory.)
    const pending = await pendingCount(options.paths.queueFile);
    if (pending > 0) {
      return { stdout: '', stderr: `${notices}Not signed in: run \`reelterm login\` (or \`reelterm login --plex\`); ${pending} queued update${pending === 1 ? ' is' : 's are'} kept.\n`, exitCode: 1 };
    }
    if (options.retryFailed) {
      return { stdout: '', stderr: `${notices}Not signed in: run \`reelterm login\` (or \`reelterm login --plex\`) first; nothing was changed.\n`, exitCode: 1 };
    }
  }
  const server = signedIn?.server ?? 'the server';
  const deliver = signedIn ? makeServer(context, signedIn.server, signedIn).deliver : { send: () => Promise.reject(new Error('not signed in')), probe: () => Promise.reject(new Error('not signed in')) };
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

/**
 * `reelterm sync --demo`: the demo server lives only while a demo runs, so this starts one (on a
 * free port, following `rules`), signs in as the demo user, delivers the demo queue to it and
 * stops it. What it delivered is gone with that server, as with every demo run; the queue is
 * left empty, as after a `reelterm --demo` that synced before quitting.
 */
export async function runDemoSync(options: { paths: AppPaths; timeoutMs: number; rules?: DemoRules; retryFailed?: boolean }): Promise<CommandResult> {
  favourMemory();
  const context = await loadContext(options.paths);
  const notices = noticeText(context.notices);
  const paths = demoPaths(options.paths);
  const demo = await startDemo(context, { ports: { port: 0, adminPort: false }, ...(options.rules ? { rules: options.rules } : {}) });
  try {
    const result = await syncCommand({
      queueFile: paths.queueFile,
      lockFile: paths.lockFile,
      deliver: makeServer(context, demo.server.url, demo.credentials).deliver,
      server: 'a demo server started for this sync',
      timeoutMs: options.timeoutMs,
      account: accountOf(demo.credentials, true),
      demo: true,
      ...(options.retryFailed ? { retryFailed: true } : {}),
    });
    return { ...result, stderr: notices + result.stderr };
  } catch (error) {
    if (error instanceof QueueLockedError) return { stdout: '', stderr: `${notices}${lockedText(error, true)}\n`, exitCode: 1 };
    throw error;
  } finally {
    await demo.server.close();
  }
}
