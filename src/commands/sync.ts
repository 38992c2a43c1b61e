import type { Deliver } from '../sync/deliver.js';
import { openOutbox } from '../sync/index.js';
import type { SyncStatus } from '../sync/status.js';
import { onShutdown } from '../shutdown.js';
import { plural } from './format.js';
import type { CommandResult } from './pending.js';

/**
 * `reelterm sync`: takes the queue, drains it now, and reports. Exits 0 when everything
 * landed; 1 with a one-line reason when something is still queued or failed for good.
 * Stops waiting early when the server is unreachable or the sign-in is refused, since
 * nothing can land then; whatever is left stays queued.
 */
export async function syncCommand(options: {
  queueFile: string;
  lockFile: string;
  deliver: Deliver;
  server: string;
  timeoutMs: number;
}): Promise<CommandResult> {
  const { outbox, notices } = await openOutbox({ queueFile: options.queueFile, lockFile: options.lockFile, deliver: options.deliver });
  const notice = notices.map((n) => `${n}\n`).join('');
  const unregister = onShutdown('close the sync queue', () => outbox.close());
  try {
    const deadBefore = outbox.status().deadLetters;
    const total = outbox.status().pending;
    if (total === 0) return { stdout: 'Nothing pending.\n', stderr: notice, exitCode: deadBefore > 0 ? 1 : 0 };
    const stuck = new Promise<SyncStatus>((resolve) => {
      const check = (status: SyncStatus) => {
        if (status.state === 'offline' || status.state === 'auth') resolve(status);
      };
      outbox.subscribe(check);
      check(outbox.status());
    });
    await Promise.race([outbox.settle({ timeoutMs: options.timeoutMs }), stuck]);
    const status = outbox.status();
    const failed = status.deadLetters - deadBefore;
    const delivered = total - status.pending - failed;
    if (status.pending === 0 && failed === 0) {
      return { stdout: `Synced ${plural(delivered, 'update')} to ${options.server}.\n`, stderr: notice, exitCode: 0 };
    }
    const reasons: string[] = [];
    if (status.pending > 0) {
      const why = status.state === 'auth'
        ? 'sign-in refused; run `reelterm login`'
        : (status.lastError ?? 'the server did not answer in time');
      reasons.push(`${plural(status.pending, 'update')} still queued (${why})`);
    }
    if (failed > 0) reasons.push(`${plural(failed, 'update')} failed for good (see \`reelterm --pending\`)`);
    const landed = delivered > 0 ? `Synced ${plural(delivered, 'update')}; ` : '';
    return { stdout: '', stderr: `${notice}${landed}${reasons.join('; ')}.\n`, exitCode: 1 };
  } finally {
    unregister();
    await outbox.close();
  }
}
