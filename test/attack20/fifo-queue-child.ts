// Run by fifo-queue.test.ts in a process of its own: a queue file swapped for a named pipe
// while reelterm runs. Prints what happened; a process that hangs is killed by the test.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';

const dir = process.argv[2]!;
const queueFile = join(dir, 'queue.json');
const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: { send: refused, probe: refused } });
await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 1 } });
rmSync(queueFile);
if (spawnSync('mkfifo', [queueFile]).status !== 0) throw new Error('mkfifo failed');
// (the screen's timers: they must still run while the stop is written)
let timerRan = false;
setTimeout(() => (timerRan = true), 1);
const stop = await outbox.enqueue({ itemId: 'b', kind: 'stopped', payload: { positionTicks: 2 } }).then(
  () => 'saved',
  (error: unknown) => `refused: ${(error as Error).message}`,
);
await new Promise((resolve) => setTimeout(resolve, 5));
await outbox.close();
process.stdout.write(`${JSON.stringify({ stop, timerRan })}\n`);
