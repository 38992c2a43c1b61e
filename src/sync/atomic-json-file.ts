import { lstat, mkdir, open, readdir, readFile, readlink, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * node:crypto, loaded at the first write: reading the queue (`reelterm --pending`) needs none of
 * it, and loading it is a good part of that short command's own start.
 */
const randomHex = (bytes: number) => process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');

/**
 * A lowdb adapter that survives a crash at any instant: it writes compact JSON to a
 * uniquely named temp file (0600), fsyncs it, renames it over the target and fsyncs the
 * directory, so a reader only ever sees the old whole file or the new whole file; a file
 * that holds the text already is left alone. (lowdb's own JSONFile uses a fixed temp name,
 * skips fsync and writes 0644.)
 * `read()` returns the raw text; parsing and validation belong to the caller, which
 * must be able to keep a corrupt file aside rather than throw it away.
 *
 * When `path` is a symlink (dotfile managers make one), the write goes through to the file
 * it points to, with the temp file in that file's folder: the link stays a link.
 */
export class AtomicTextFile implements Adapter<string> {
  constructor(readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      // Read into one buffer of the file's size and decoded once: with an encoding, Node reads
      // in 512 KB pieces and decodes each, pieces a backlog of thousands of updates then copies.
      return (await readFile(this.path)).toString('utf8');
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
    // Temps sit beside the file actually written (a symlink's target), and beside the path
    // itself (where they were before the path became a link).
    const places = new Map<string, { dir: string; prefix: string }>();
    for (const file of [this.path, await resolveWriteTarget(this.path).catch(() => this.path)]) {
      const place = { dir: dirname(file), prefix: `.${basename(file)}.` };
      places.set(join(place.dir, place.prefix), place);
    }
    let removed = 0;
    for (const { dir, prefix } of places.values()) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : Number.NaN;
        if (!Number.isInteger(pid) || processAlive(pid)) continue;
        await unlink(join(dir, name)).then(
          () => removed++,
          () => undefined,
        );
      }
    }
    return removed;
  }

  async write(text: string): Promise<void> {
    await this.writePieces([text]);
  }

  /**
   * Writes the pieces one after another as the file's new text, atomically as `write` does.
   * Each piece is made only when its turn comes (`pieces` may be a generator): the whole text
   * never has to be in memory at once.
   */
  async writePieces(pieces: Iterable<string>): Promise<void> {
    const target = await resolveWriteTarget(this.path);
    const dir = dirname(target);
    // A small private file that holds the new text already is left as it is: no temp file, no
    // fsync (the queue written on quitting when nothing changed, a flush with nothing new). The
    // pieces are compared byte for byte as they come; at the first that differs, what matched
    // so far is the file's own bytes, written first.
    const current = await smallPrivateFile(target);
    const rest = pieces[Symbol.iterator]();
    let matched = 0;
    let next = rest.next();
    if (current !== undefined) {
      for (; !next.done; next = rest.next()) {
        const bytes = Buffer.from(next.value, 'utf8');
        const end = matched + bytes.length;
        if (end > current.length || !bytes.equals(current.subarray(matched, end))) break;
        matched = end;
      }
      if (next.done && matched === current.length) return;
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${basename(target)}.${process.pid}.${randomHex(4)}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      // (a handle's writeFile goes on from where the last one ended, and writes all of it)
      if (matched > 0) await handle.writeFile(current!.subarray(0, matched));
      for (; !next.done; next = rest.next()) await handle.writeFile(next.value, 'utf8');
      await handle.sync();
    } catch (error) {
      // (a disk that filled up mid-write: the next try makes a temp file of its own)
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
  }
}

/**
 * Files up to this size are compared with the new text before a write. A larger one (a backlog
 * of thousands) is written as it always was: comparing it would hold the event loop (~40 ms at
 * 10,000 updates, keys waiting), and a backlog that large changes at nearly every write anyway.
 */
const COMPARE_LIMIT = 256 * 1024;

/**
 * The file's bytes, when it is small enough to compare and private (0600: one that is not any
 * more is written again, which makes it so); undefined otherwise, or when it cannot be read.
 */
async function smallPrivateFile(path: string): Promise<Buffer | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size, mode } = await handle.stat();
      if (size > COMPARE_LIMIT || (mode & 0o077) !== 0) return undefined;
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** Symlink hops followed before giving up, as the kernel does (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * The file a write to `path` must replace: `path` itself, or the file its symlink (chain)
 * points to. A link whose target does not exist yet resolves through its link text, relative
 * to the link's folder, so the first write creates the target and keeps the link.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`Too many levels of symbolic links: ${path}`), { code: 'ELOOP' });
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
