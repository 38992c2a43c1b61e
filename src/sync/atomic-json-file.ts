import { closeSync, constants as fsConstants, fstatSync, fsync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Adapter } from 'lowdb';
import { readFileBytes } from '../files.js';

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
      return (await readFileBytes(this.path)).toString('utf8');
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
    // A text of up to COMPARE_LIMIT (the queue while a film plays, a stop, a mark) is written
    // with the calls that only touch the page cache made at once, and the two fsyncs on libuv's
    // threads: each call sent there costs a hand-over and a wake-up of the event loop, about
    // twenty for a write made that way, every few seconds while a film plays.
    const rest = pieces[Symbol.iterator]();
    const head: string[] = [];
    let length = 0;
    let next = rest.next();
    for (; !next.done && length <= COMPARE_LIMIT; next = rest.next()) {
      head.push(next.value);
      length += next.value.length;
    }
    if (next.done && length <= COMPARE_LIMIT) return this.writeSmall(Buffer.from(head.join(''), 'utf8'));
    return this.writeLarge(
      (function* all() {
        yield* head;
        for (; !next.done; next = rest.next()) yield next.value;
      })(),
    );
  }

  /** `writePieces` for a small text, whole in `bytes`. */
  private async writeSmall(bytes: Buffer): Promise<void> {
    const target = resolveWriteTargetSync(this.path);
    const dir = dirname(target);
    const current = smallPrivateFileSync(target);
    if (current !== undefined && current.equals(bytes)) return;
    const temp = join(dir, `.${basename(target)}.${process.pid}.${randomHex(4)}.tmp`);
    let fd: number;
    try {
      fd = openSync(temp, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      fd = openSync(temp, 'wx', 0o600);
    }
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      await fsyncFd(fd);
    } catch (error) {
      // (a disk that filled up mid-write: the next try makes a temp file of its own)
      try {
        closeSync(fd);
      } catch {
        // (closed or not, the temp file goes)
      }
      unlinkQuietly(temp);
      throw error;
    }
    closeSync(fd);
    try {
      renameSync(temp, target);
    } catch (error) {
      unlinkQuietly(temp);
      throw error;
    }
    await syncDirectory(dir);
  }

  /**
   * `writePieces` for a text too large to hold whole or to write while the event loop waits: a
   * backlog of thousands, which changes at nearly every write, so it is not compared with the file.
   */
  private async writeLarge(pieces: Iterable<string>): Promise<void> {
    const target = await resolveWriteTarget(this.path);
    const dir = dirname(target);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${basename(target)}.${process.pid}.${randomHex(4)}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      // (a handle's writeFile goes on from where the last one ended, and writes all of it)
      for (const piece of pieces) await handle.writeFile(piece, 'utf8');
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
 * The file's bytes, when it is a regular file small enough to compare and private (0600: one
 * that is not any more is written again, which makes it so); undefined otherwise, or when it
 * cannot be read. Opened without waiting: a named pipe put where the queue was would hold this
 * open, and the whole process with it, until something wrote into the pipe; it is replaced.
 */
function smallPrivateFileSync(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > COMPARE_LIMIT || (stats.mode & 0o077) !== 0) return undefined;
    const size = stats.size;
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (let read = -1; at < size && read !== 0; at += read) read = readSync(fd, bytes, at, size - at, at);
    return bytes.subarray(0, at);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** fsync on one of libuv's threads: a slow disk holds that thread, not the keys and the screen. */
function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // (gone already, or the folder refuses: removeStaleTemps takes it later)
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
  return resolveWriteTargetSync(path);
}

/**
 * {@link resolveWriteTarget}, its calls made at once (each only reads the file system's metadata,
 * as realpath does). The kernel's realpath (`.native`), as `read` and the kernel see the path: a
 * "link/.." goes to the folder above the link's target, where Node's own realpathSync (and
 * `resolve`) would drop "link/.." as text and write a file that is never read.
 */
export function resolveWriteTargetSync(path: string): string {
  try {
    return realpathSync.native(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let current = physicalPath(path);
  for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!isLink) return current;
    const link = readlinkSync(current);
    current = physicalPath(isAbsolute(link) ? link : `${dirname(current)}/${link}`);
  }
  throw Object.assign(new Error(`Too many levels of symbolic links: ${path}`), { code: 'ELOOP' });
}

/** `path` with its folder as the kernel resolves it (links and ".." in turn); as text when that folder does not exist yet. */
function physicalPath(path: string): string {
  try {
    return join(realpathSync.native(dirname(path)), basename(path));
  } catch {
    return resolve(path);
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

/**
 * Makes a rename in `dir` durable: the folder's open and close made at once (metadata only), its
 * fsync on libuv's threads.
 */
async function syncDirectory(dir: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    await fsyncFd(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    closeSync(fd);
  }
}
