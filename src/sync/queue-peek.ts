import { NotAFileError, readFileBytesSync } from '../files.js';
import { notAFile, parseQueue, type QueueRead } from './queue-file.js';

/** What a look at the queue file found: as the owner reads it, or a file that cannot be read at all. */
export type QueuePeek = QueueRead | { status: 'unreadable'; reason: string };

/**
 * Reads the queue file once, changing nothing (`--pending`, and the counts `login` and
 * `logout` give). One synchronous read into a buffer of the file's size: a queue of 10,000
 * updates (3.6 MB) is read without the chunks and copies of a streamed read, which show in a
 * short command's memory. The checks are the owner's own (`parseQueue`). A file that cannot be
 * read (no permission, a loop of links, a folder in the path) is `unreadable`, with Node's words.
 */
export function peekQueueFile(path: string): QueuePeek {
  let text: string | null;
  try {
    text = readFileBytesSync(path).toString('utf8');
  } catch (error) {
    // (a named pipe or a folder where the queue belongs: told as a file that cannot be read)
    if (error instanceof NotAFileError) return notAFile(error);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { status: 'unreadable', reason: (error as Error).message.split('\n')[0] ?? String(error) };
    text = null;
  }
  return parseQueue(text);
}
