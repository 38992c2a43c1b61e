import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/**
 * Reading the files reelterm keeps (the sync queue, its lock, settings, credentials) without
 * ever waiting on something that is not a file. A named pipe put where one was would hold a
 * plain read until something wrote into the pipe: `reelterm --pending` in a status bar hung,
 * and so did a start, with SIGTERM caught by reelterm's own handler but never run (the main
 * thread was in the read), so `timeout` could not end it. Each read opens without waiting
 * (O_NONBLOCK, which changes nothing for a regular file) and looks at what it opened first.
 */

/**
 * Thrown for a path that holds something reelterm cannot use as its file: a named pipe, a
 * device, a socket or a folder, or a file larger than any of reelterm's could be.
 */
export class NotAFileError extends Error {
  readonly code = 'ENOTAFILE';
  constructor(
    readonly path: string,
    /** Why, in words for a sentence: "it is a named pipe, not a file"… */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'NotAFileError';
  }
}

/**
 * Past this a file is not one of reelterm's (10,000 queued updates take 3.6 MB) and could not be
 * decoded into one string anyway (V8's longest is about 512 M characters).
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

function notAFile(path: string, stats: Stats): NotAFileError {
  const what = stats.isFIFO()
    ? 'a named pipe'
    : stats.isDirectory()
      ? 'a folder'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : 'not a regular file';
  return new NotAFileError(path, `it is ${what}, not a file`);
}

function tooLarge(path: string, size: number): NotAFileError {
  return new NotAFileError(path, `it is ${(size / 2 ** 20).toFixed(0)} MB, too large to be reelterm's`);
}

/** O_NONBLOCK where the platform has it (Windows has no named pipes in the file system to fear). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** A socket cannot even be opened (ENXIO): said as what it is, when it can be looked at. */
function openFailure(path: string, error: unknown, stats: Stats | undefined): unknown {
  return (error as NodeJS.ErrnoException).code === 'ENXIO' && stats !== undefined && !stats.isFile() ? notAFile(path, stats) : error;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The whole of the regular file at `path`, read into one buffer of its size (and on, should it
 * have grown since). ENOENT and the like are thrown as Node throws them; anything but a
 * regular file, or one past {@link MAX_FILE_BYTES}, is a {@link NotAFileError}.
 */
export function readFileBytesSync(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    throw openFailure(path, error, statOrUndefined(path));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notAFile(path, stats);
    const size = stats.size;
    if (size > MAX_FILE_BYTES) throw tooLarge(path, size);
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (let read = -1; at < size && read !== 0; at += read) read = readSync(fd, bytes, at, size - at, at);
    if (at < size) return bytes.subarray(0, at);
    // (a file written in place by an editor meanwhile may have grown past its size)
    const more: Buffer[] = [];
    const piece = Buffer.allocUnsafe(64 * 1024);
    for (let read = readSync(fd, piece, 0, piece.length, at); read > 0; read = readSync(fd, piece, 0, piece.length, at)) {
      more.push(Buffer.from(piece.subarray(0, read)));
      at += read;
      if (at > MAX_FILE_BYTES) throw tooLarge(path, at);
    }
    return more.length === 0 ? bytes : Buffer.concat([bytes, ...more]);
  } finally {
    closeSync(fd);
  }
}

/** {@link readFileBytesSync}, on libuv's threads. */
export async function readFileBytes(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    throw openFailure(path, error, await stat(path).catch(() => undefined));
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notAFile(path, stats);
    if (stats.size > MAX_FILE_BYTES) throw tooLarge(path, stats.size);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
