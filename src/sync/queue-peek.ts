import { readFileSync } from 'node:fs';
import { parseQueue, type QueueRead } from './queue-file.js';

/**
 * Reads the queue file once, changing nothing (`--pending`, and the counts `login` and
 * `logout` give). One synchronous read into a buffer of the file's size: a queue of 10,000
 * updates (3.6 MB) is read without the chunks and copies of a streamed read, which show in a
 * short command's memory. The checks are the owner's own (`parseQueue`).
 */
export function peekQueueFile(path: string): QueueRead {
  let text: string | null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = null;
  }
  return parseQueue(text);
}
