import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Reading the files reelterm keeps (the sync queue, its lock, settings, credentials) without
 * ever waiting on something that is not a file. A named pipe put where one was would hold a
 * plain read until something wrote into the pipe: `reelterm --pending` in a status bar hung,
 * and so did a start, with SIGTERM caught by reelterm's own handler but never run (the main
 * thread was in the read), so `timeout` could not end it. Each read opens without waiting
 * (O_NONBLOCK, which changes nothing for a regular file) and looks at what it opened first.
 */

/** Thrown for a path that holds a named pipe, a device, a socket or a folder instead of a file. */
export class NotAFileError extends Error {
  readonly code = 'ENOTAFILE';
  constructor(
    readonly path: string,
    /** What is there, in words: "a named pipe", "a folder"… */
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a file`);
    this.name = 'NotAFileError';
  }
}

function describe(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** O_NONBLOCK where the platform has it (Windows has no named pipes in the file system to fear). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The whole of the regular file at `path`, read into one buffer of its size (and on, should it
 * have grown since). ENOENT and the like are thrown as Node throws them; anything but a
 * regular file is a {@link NotAFileError}.
 */
export function readFileBytesSync(path: string): Buffer {
  const fd = openSync(path, READ_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotAFileError(path, describe(stats));
    const size = stats.size;
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
    }
    return more.length === 0 ? bytes : Buffer.concat([bytes, ...more]);
  } finally {
    closeSync(fd);
  }
}

/** {@link readFileBytesSync}, on libuv's threads. */
export async function readFileBytes(path: string): Promise<Buffer> {
  const handle = await open(path, READ_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotAFileError(path, describe(stats));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
