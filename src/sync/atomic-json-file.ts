import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that survives a crash at any instant: it writes compact JSON to a
 * uniquely named temp file (0600), fsyncs it, renames it over the target and fsyncs the
 * directory, so a reader only ever sees the old whole file or the new whole file.
 * (lowdb's own JSONFile uses a fixed temp name, skips fsync and writes 0644.)
 * `read()` returns the raw text; parsing and validation belong to the caller, which
 * must be able to keep a corrupt file aside rather than throw it away.
 */
export class AtomicTextFile implements Adapter<string> {
  constructor(readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /**
   * Removes temp files left by writers that died mid-write (`kill -9`, a power cut): those
   * whose process is gone. A live writer's file is left alone. Returns how many went.
   */
  async removeStaleTemps(): Promise<number> {
    const dir = dirname(this.path);
    const prefix = `.${basename(this.path)}.`;
    let removed = 0;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : Number.NaN;
      if (!Number.isInteger(pid) || processAlive(pid)) continue;
      await unlink(join(dir, name)).then(
        () => removed++,
        () => undefined,
      );
    }
    return removed;
  }

  async write(text: string): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}
