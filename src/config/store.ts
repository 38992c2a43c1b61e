import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NotAFileError, readFileBytesSync } from '../files.js';

/** What a settings or credentials file holds: one JSON object. */
export type StoredObject = Record<string, unknown>;

/** Only the user may read or write these files: one holds the token. */
const FILE_MODE = 0o600;

function isObject(value: unknown): value is StoredObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One JSON object in `<dir>/<name>.json` (tab-indented, as a person edits it), mode 0600. It is
 * read whole at every `read()`, so a change made meanwhile by another reelterm (a sign-in in
 * another terminal) is seen, and written whole and atomically: a private temp file beside the
 * file, fsync, rename. A symlinked file (a dotfile manager's) keeps its link: the file it points
 * to is replaced, keeping its owner.
 */
export class JsonFileStore {
  private constructor(readonly path: string) {}

  /**
   * Opens `<dir>/<name>.json`, creating `dir`. A file that cannot be read or is not a JSON
   * object is renamed to `<name>.json.corrupt-<time>` (never deleted, never silently emptied:
   * a valid token was once lost that way) and the user is told in `notices`; the store then
   * starts empty.
   */
  static open(dir: string, name: string, notices: string[], now: Date = new Date()): JsonFileStore {
    mkdirSync(dir, { recursive: true });
    const store = new JsonFileStore(resolve(dir, `${name}.json`));
    try {
      store.read();
    } catch (error) {
      if (!existsSync(store.path)) throw error;
      const aside = `${store.path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
      renameSync(store.path, aside);
      const why = error instanceof NotAFileError ? error.reason : (error as Error).message.split('\n')[0];
      notices.push(`${store.path} could not be read (${why}). It was kept as ${aside}; starting fresh.`);
    }
    return store;
  }

  /** What the file holds now (an empty object when there is no file). Throws when it cannot be read or is not a JSON object. */
  read(): StoredObject {
    let text: string;
    try {
      text = readFileBytesSync(this.path).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const value: unknown = JSON.parse(text);
    if (!isObject(value)) throw new Error('not a JSON object');
    return value;
  }

  /** Replaces what the file holds with `value`. */
  write(value: StoredObject): void {
    let target = this.path;
    let existing: Stats | undefined;
    try {
      target = realpathSync(this.path);
      existing = statSync(target);
    } catch {
      mkdirSync(dirname(target), { recursive: true });
    }
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', FILE_MODE);
    try {
      try {
        writeSync(fd, JSON.stringify(value, undefined, '\t'));
        // (whatever the umask left)
        fchmodSync(fd, FILE_MODE);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      // Root saving a user's file (`sudo reelterm login`) leaves it the user's.
      if (existing !== undefined && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())) {
        try {
          chownSync(temp, existing.uid, existing.gid);
        } catch {
          // (only root may give a file away; anyone else writes a file of their own)
        }
      }
      renameSync(temp, target);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // (already renamed, or never written)
      }
      throw error;
    }
  }
}
