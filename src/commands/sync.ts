import { loginCommandFor } from '../servers/index.js';
import { sanitizeText } from '../text/sanitize.js';
import type { Deliver } from '../sync/deliver.js';
import { openOutbox, type Outbox } from '../sync/index.js';
import { coalesceKey, sameAccount, type DeadLetter, type Op, type OpAccount } from '../sync/op.js';
import type { SyncStatus } from '../sync/status.js';
import { onShutdown } from '../shutdown.js';
import { accountLabel, byAccount, commandLine, plural, supersededText, waitingForAccount } from './format.js';
import type { CommandResult } from './pending.js';

/** Dead letters listed one by one in the report; more are counted. */
const LISTED_DEAD_LETTERS = 10;

/** The states in which nothing can land until the user does something: waiting longer is pointless. */
const STUCK: ReadonlySet<SyncStatus['state']> = new Set(['offline', 'untrusted', 'auth']);

/**
 * `reelterm sync`: takes the queue, drains the signed-in account's updates now, and reports.
 * Exits 0 when all of them landed; 1 with a one-line reason when some are still queued, and
 * while some failed or expired (they are listed, with where they are kept and how to retry).
 * Another account's updates are kept and named, never delivered here, and never a failure.
 * Stops waiting early when nothing can land before the timeout: the server is unreachable,
 * its certificate is not trusted, the sign-in is refused, or it asked to wait past the timeout.
 */
export async function syncCommand(options: {
  queueFile: string;
  lockFile: string;
  deliver: Deliver;
  server: string;
  timeoutMs: number;
  /** The signed-in account: only its updates are delivered. Without one, every update is. */
  account?: OpAccount;
  /** Put every dead letter back in the queue first (`--retry-failed`). */
  retryFailed?: boolean;
  /** The demo's queue: commands it suggests carry `--demo`. */
  demo?: boolean;
}): Promise<CommandResult> {
  const demo = options.demo === true;
  const { account } = options;
  const { outbox, notices } = await openOutbox({
    queueFile: options.queueFile,
    lockFile: options.lockFile,
    deliver: options.deliver,
    ...(account !== undefined ? { account } : {}),
  });
  const notice = notices.map((n) => `${n}\n`).join('');
  const unregister = onShutdown('close the sync queue', () => outbox.close());
  const mine = (op: Op) => account === undefined || sameAccount(op.account, account);
  try {
    // The updates this run answers for, followed by id to the end: delivered, still queued or failed.
    const tracked = new Set(outbox.pendingOps().filter(mine).map((op) => op.id));
    const lines: string[] = [];
    if (options.retryFailed) {
      for (const id of requeuedBy(outbox, mine)) tracked.add(id);
      const back = await outbox.retryDeadLetters();
      lines.push(back === 0 ? 'No failed updates to retry.' : `Put ${plural(back, 'failed update')} back in the queue.`);
    }
    const deadline = Date.now() + options.timeoutMs;
    if (outbox.status().pending > 0) {
      let unsubscribe = () => {};
      const stuck = new Promise<void>((resolve) => {
        const check = (status: SyncStatus) => {
          // A wait the server asked for that ends after the deadline: nothing more can land in time.
          const waitsPastDeadline = status.state === 'retrying' && status.inFlight === 0 && status.nextRetryAt !== null && status.nextRetryAt > deadline;
          if (STUCK.has(status.state) || waitsPastDeadline) resolve();
        };
        unsubscribe = outbox.subscribe(check);
        check(outbox.status());
      });
      await Promise.race([outbox.settle({ timeoutMs: options.timeoutMs }), stuck]);
      unsubscribe();
    }

    const status = outbox.status();
    const queuedNow = new Set(outbox.pendingOps().map((op) => op.id));
    const deadNow = new Set(outbox.deadLetters().map((d) => d.op.id));
    let delivered = 0;
    let queued = 0;
    for (const id of tracked) {
      if (queuedNow.has(id)) queued += 1;
      else if (!deadNow.has(id)) delivered += 1;
    }
    const deadLetters = outbox.deadLetters();
    const myDead = deadLetters.filter((d) => mine(d.op));
    const others = byAccount(outbox.pendingOps().filter((op) => !mine(op)), (op) => op.account);

    if (queued > 0) {
      const landed = delivered > 0 ? `Synced ${plural(delivered, 'update')}; ` : '';
      lines.push(`${landed}${plural(queued, 'update')} still queued (${whyQueued(status, options.server, demo, options.account?.kind)}).`);
    } else if (delivered > 0) {
      lines.push(`Synced ${plural(delivered, 'update')} to ${options.server}.`);
    } else if (tracked.size === 0 && deadLetters.length === 0) {
      lines.push(account !== undefined && others.length > 0 ? `Nothing pending for ${sanitizeText(account.userName)}.` : 'Nothing pending.');
    }
    if (deadLetters.length > 0) lines.push(...deadLetterReport(deadLetters, options.queueFile, mine, demo));
    lines.push(...others.map(waitingForAccount));

    const text = lines.map((line) => `${line}\n`).join('');
    const ok = queued === 0 && myDead.length === 0;
    return ok ? { stdout: text, stderr: notice, exitCode: 0 } : { stdout: '', stderr: notice + text, exitCode: 1 };
  } finally {
    unregister();
    await outbox.close();
  }
}

/**
 * The ids of this account's dead letters that `retryDeadLetters()` will put back in the queue
 * (those a newer queued update of the same item and kind does not replace).
 */
function requeuedBy(outbox: Outbox, mine: (op: Op) => boolean): string[] {
  const queued = outbox.pendingOps();
  return outbox
    .deadLetters()
    .filter((d) => mine(d.op))
    .filter((d) => !queued.some((q) => q.itemId === d.op.itemId && coalesceKey(q.kind) === coalesceKey(d.op.kind) && sameAccount(q.account, d.op.account)))
    .map((d) => d.op.id);
}

/** Why updates are still queued, in words the user can act on. */
function whyQueued(status: SyncStatus, server: string, demo: boolean, kind: string | undefined): string {
  switch (status.state) {
    case 'auth':
      return demo ? `the demo server refused its own sign-in; run ${commandLine('sync', true)} again` : `sign-in refused; run \`${loginCommandFor(kind)}\``;
    case 'untrusted': {
      const code = /not trusted \(([^)]+)\)/.exec(status.lastError ?? '')?.[1];
      return (
        `the TLS certificate of ${server} is not trusted${code ? ` (${code})` : ''}, so nothing was sent. ` +
        `If you trust this server, run ${commandLine('sync --insecure')} (or set "insecure": true in config.json); ` +
        'otherwise check the network (a login page of a public Wi-Fi?) or the server\'s certificate'
      );
    }
    default:
      return status.lastError ?? 'the server did not answer in time';
  }
}

/**
 * What failed or expired, where it is kept, and how to retry it. Another account's dead
 * letters are listed too, marked with their account.
 */
function deadLetterReport(deadLetters: readonly DeadLetter[], queueFile: string, mine: (op: Op) => boolean, demo: boolean): string[] {
  const failed = deadLetters.filter((d) => d.reason === 'permanent').length;
  const expired = deadLetters.filter((d) => d.reason === 'expired').length;
  const superseded = deadLetters.length - failed - expired;
  const what: string[] = [];
  if (failed > 0) what.push(`${plural(failed, 'update')} failed`);
  if (expired > 0) what.push(`${what.length > 0 ? expired : plural(expired, 'update')} expired (older than 30 days: not replayed blindly)`);
  if (superseded > 0) what.push(`${what.length > 0 ? superseded : plural(superseded, 'update')} not sent (changed on the server by another device since)`);
  const one = deadLetters.length === 1;
  const lines = [`${what.join(' and ')}; ${one ? 'it is' : 'they are'} kept in ${queueFile}:`];
  for (const dead of [...deadLetters].sort((a, b) => a.op.seq - b.op.seq).slice(0, LISTED_DEAD_LETTERS)) {
    const title = sanitizeText(dead.op.title ?? dead.op.itemId);
    const error = sanitizeText(dead.error);
    const whose = !mine(dead.op) && dead.op.account !== undefined ? ` · for ${accountLabel(dead.op.account)}` : '';
    const why = dead.reason === 'expired' ? `expired: ${error}` : dead.reason === 'superseded' ? `changed elsewhere: ${supersededText(dead)}` : error;
    lines.push(`  ${title} · ${dead.op.kind} · ${why}${whose}`);
  }
  if (deadLetters.length > LISTED_DEAD_LETTERS) lines.push(`  … and ${deadLetters.length - LISTED_DEAD_LETTERS} more`);
  // Only the signed-in account's can be retried here; another's, once that account signs in.
  const own = deadLetters.filter((d) => mine(d.op)).length;
  const which = own === deadLetters.length ? (one ? 'it' : 'them') : own === 1 ? 'yours' : `your ${own}`;
  if (own > 0) lines.push(`Retry ${which} with ${commandLine('sync --retry-failed', demo)} (${commandLine('--pending', demo)} lists ${one ? 'it' : 'them'}).`);
  for (const { account, count } of byAccount(deadLetters.filter((d) => !mine(d.op)), (d) => d.op.account)) {
    lines.push(`The ${count === 1 ? 'one' : String(count)} for ${accountLabel(account)} can be retried once that account signs in again (\`${loginCommandFor(account.kind)}\`, then \`reelterm sync --retry-failed\`).`);
  }
  return lines;
}
