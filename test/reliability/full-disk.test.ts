import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox, QueueWriteError } from '../../src/sync/index.js';
import { readQueueFile } from '../../src/sync/queue-file.js';

// A real full disk: a 64 KiB tmpfs, when this machine lets us mount one (root in a container
// usually can). Where it cannot, the test is skipped and says so; nothing here is simulated.
let disk: string | undefined;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reelterm-full-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
  if (mount.status === 0) disk = dir;
  else console.warn('full-disk test skipped: cannot mount a small tmpfs here');
});
afterAll(() => {
  if (disk) spawnSync('umount', [disk], { stdio: 'ignore' });
  if (disk) rmSync(disk, { recursive: true, force: true });
});

/** The server cannot be reached: nothing is delivered during these tests, so the queue only grows. */
const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
const unreachable = { send: refused, probe: refused };

describe('a full disk', () => {
  it('refuses to say a stop is saved, keeps the old queue whole, and writes the stop once there is room', async (context) => {
    if (!disk) return context.skip();
    const dir = join(disk, 'data');
    mkdirSync(dir, { recursive: true });
    const queueFile = join(dir, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: unreachable });
    try {
      // Given one stop safely queued, and then the disk fills up
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', title: 'Before', payload: { positionTicks: 1 } });
      const before = await readFile(queueFile, 'utf8');
      const filler = join(disk, 'filler');
      await writeFile(filler, Buffer.alloc(64 * 1024)).catch(() => undefined);

      // When the user stops another film
      const failure = await outbox.enqueue({ itemId: 'b', kind: 'stopped', title: 'During', payload: { positionTicks: 2 } }).catch((error: unknown) => error);

      // Then reelterm does not claim it is saved, says why, and the queue on disk is the old one, whole
      expect(failure).toBeInstanceOf(QueueWriteError);
      expect((failure as Error).message).toMatch(/Could not save the sync queue \(.*ENOSPC.*\); the update is kept in memory and retried/);
      expect(await readFile(queueFile, 'utf8')).toBe(before);
      expect(outbox.pendingOps().map((op) => op.itemId)).toEqual(['a', 'b']);

      // When there is room again, the next write carries both
      await rm(filler);
      await outbox.enqueue({ itemId: 'c', kind: 'played', title: 'After' });
      const read = await readQueueFile(queueFile);
      expect(read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : read.status).toEqual(['a', 'b', 'c']);
    } finally {
      await outbox.close().catch(() => undefined);
      rmSync(join(disk, 'filler'), { force: true });
    }
  });
});
