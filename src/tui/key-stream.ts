import { Readable } from 'node:stream';

/**
 * One escape sequence (CSI, SS3) or one character. ESC followed by a letter is taken as esc
 * then the letter, not Alt+letter: reelterm binds no Alt keys, and esc is "back".
 */
const KEY = /\x1b\[[0-9;:<=>?]*[ -/]*[@-~]|\x1bO[A-Za-z]|[\s\S]/gu;

/**
 * Splits what the terminal sent into single keys. Ink takes a chunk without escapes as one
 * input, so `j⏎` arriving together (ssh, tmux, a fast typist) would be neither `j` nor enter.
 */
export function splitKeys(chunk: string): string[] {
  return chunk.match(KEY) ?? [];
}

/**
 * Wraps the terminal's stdin so Ink reads one key per `read()` (and emits one input event per
 * key). It listens only while Ink has raw mode on, so it never holds the process open on its own.
 * Which screen a key reaches is the app's key owner's business (`KeyRouter`), not timing's.
 */
export function keyStream(stdin: NodeJS.ReadStream): NodeJS.ReadStream {
  const keys = new Readable({ objectMode: true, read() {} });
  const onData = (chunk: Buffer | string) => {
    for (const key of splitKeys(chunk.toString())) keys.push(key);
  };
  let listening = false;
  return Object.assign(keys, {
    isTTY: stdin.isTTY,
    setRawMode(mode: boolean) {
      stdin.setRawMode(mode);
      if (mode && !listening) {
        listening = true;
        stdin.on('data', onData);
        stdin.resume();
      } else if (!mode && listening) {
        listening = false;
        stdin.off('data', onData);
        stdin.pause();
      }
      return this;
    },
    setEncoding() {
      return this;
    },
    ref() {
      stdin.ref();
      return this;
    },
    unref() {
      stdin.unref();
      return this;
    },
  }) as unknown as NodeJS.ReadStream;
}
