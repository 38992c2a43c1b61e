import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { keyStream, splitKeys } from '../../src/tui/key-stream.js';

describe('splitKeys', () => {
  it.each([
    ['j\r', ['j', '\r']],
    ['/amb', ['/', 'a', 'm', 'b']],
    ['\x1b[B\x1b[B\r', ['\x1b[B', '\x1b[B', '\r']],
    ['\x1b[5~j', ['\x1b[5~', 'j']],
    ['\x1bOA', ['\x1bOA']],
    ['\x1bj', ['\x1b', 'j']],
    ['\x1b', ['\x1b']],
    ['é🎬', ['é', '🎬']],
  ])('splits %j into single keys', (chunk, keys) => {
    expect(splitKeys(chunk)).toEqual(keys);
  });
});

describe('keyStream', () => {
  it('hands Ink one key per read, in order, and stops listening when raw mode ends', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => tty, ref: () => tty, unref: () => tty }) as unknown as NodeJS.ReadStream;
    const keys = keyStream(tty);
    keys.setRawMode(true);
    const read: string[] = [];
    keys.on('readable', () => {
      let key: string | null;
      while ((key = keys.read() as string | null) !== null) read.push(key);
    });
    tty.write('/ab\r');
    await new Promise((r) => setTimeout(r, 200));
    expect(read).toEqual(['/', 'a', 'b', '\r']);
    keys.setRawMode(false);
    expect(tty.listenerCount('data')).toBe(0);
  });
});
