import { spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { tempDir } from '../helpers/temp-home.js';

// A queue file swapped for a named pipe (mkfifo) mid-session. Comparing the file with the new
// text opened it for reading at once: with no writer at the pipe's other end, that open waits
// for good, with the whole process (keys, screen, Ctrl+C) stopped in it. The case runs in a
// child process, which the test kills should it hang.
// (tsx runs the child's TypeScript as it is)
const CHILD = new URL('./fifo-queue-child.ts', import.meta.url).pathname;

function run(dir: string): Promise<{ out: string; err: string; hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // (a generous bound: the case takes about a second, most of it tsx starting, more on a busy machine; only a hang reaches it)
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 30_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ out, err, hung });
    });
  });
}

describe('a queue file replaced by a named pipe', () => {
  it('does not freeze reelterm: the stop is written as a file of its own, in place of the pipe', async () => {
    const dir = await tempDir();
    const result = await run(dir);
    expect(result.hung, `the process hung (stderr: ${result.err})`).toBe(false);
    expect(JSON.parse(result.out)).toEqual({ stop: 'saved', timerRan: true });
    expect((await lstat(join(dir, 'queue.json'))).isFile()).toBe(true);
    const read = await readQueueFile(join(dir, 'queue.json'));
    expect(read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : read.status).toEqual(['a', 'b']);
  }, 60_000);
});
