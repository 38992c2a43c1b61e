import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox, QueueWriteError } from '../../src/sync/index.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { tempDir } from '../helpers/temp-home.js';

// The same proof as full-disk.test.ts for machines that cannot mount a small tmpfs: here the
// disk's answer is simulated (the one stand-in in this suite). While `full` is set, writing a
// queue temp file fails with ENOSPC exactly as the kernel reports it (through node:fs/promises for
// a large queue, node:fs for a small one); everything else is real.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (path, flags, mode) => {
    const handle = await real.open(path, flags, mode);
    if (!disk.full || !String(path).endsWith('.tmp')) return handle;
    return new Proxy(handle, {
      get(target, name) {
        if (name === 'writeFile') return async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
        };
        const value = Reflect.get(target, name) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...real, open, default: { ...real, open } };
});
// (a small queue is written with node:fs's calls made at once: the same answer there)
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const temps = new Set<number>();
  const openSync = ((path: import('node:fs').PathLike, flags?: import('node:fs').OpenMode, mode?: import('node:fs').Mode | null) => {
    const fd = real.openSync(path, flags ?? 'r', mode);
    if (String(path).endsWith('.tmp')) temps.add(fd);
    else temps.delete(fd);
    return fd;
  }) as typeof real.openSync;
  const writeSync = ((fd: number, ...rest: unknown[]) => {
    if (disk.full && temps.has(fd)) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return (real.writeSync as (fd: number, ...args: unknown[]) => number)(fd, ...rest);
  }) as typeof real.writeSync;
  return { ...real, openSync, writeSync, default: { ...real, openSync, writeSync } };
});

const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));

describe('a full disk (simulated)', () => {
  it('refuses to say a stop is saved, keeps the old queue whole, and writes the stop once there is room', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: { send: refused, probe: refused } });
    try {
      await outbox.enqueue({ itemId: 'a', kind: 'stopped', title: 'Before', payload: { positionTicks: 1 } });
      const before = await readFile(queueFile, 'utf8');
      disk.full = true;
      const failure = await outbox.enqueue({ itemId: 'b', kind: 'stopped', title: 'During', payload: { positionTicks: 2 } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QueueWriteError);
      expect((failure as Error).message).toMatch(/Could not save the sync queue \(ENOSPC.*\); the update is kept in memory and retried/);
      expect(await readFile(queueFile, 'utf8')).toBe(before);
      disk.full = false;
      await outbox.enqueue({ itemId: 'c', kind: 'played', title: 'After' });
      const read = await readQueueFile(queueFile);
      expect(read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : read.status).toEqual(['a', 'b', 'c']);
    } finally {
      disk.full = false;
      await outbox.close();
    }
  });
});
