import { Readable } from 'node:stream';

/** Keys that can switch screens: enter, esc, backspace, `/`, `?`, `S`, `o`, `L`, `q`. */
const SCREEN_KEYS = new Set(['\r', '\n', '\x1b', '\x7f', '\b', '/', '?', 'S', 'o', 'L', 'q']);
/** Longer than one frame at Ink's 30 frames a second. */
const SCREEN_CHANGE_MS = 40;

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
 * Wraps the terminal's stdin so Ink reads one key per `read()`, one key per event-loop turn.
 * It listens only while Ink has raw mode on, so it never holds the process open on its own.
 */
export function keyStream(stdin: NodeJS.ReadStream): NodeJS.ReadStream {
  const keys = new Readable({ objectMode: true, read() {} });
  const waiting: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  // One key per turn of the event loop. A key that may open or leave a screen (`/`, enter,
  // esc …) gets a frame's time before the next one: the keys after it belong to the new
  // screen, whose input handler Ink attaches only after it has drawn it (measured: keys
  // 12–20 ms after `/` were lost, 30 ms after were not).
  const drain = () => {
    timer = undefined;
    const key = waiting.shift();
    if (key !== undefined) keys.push(key);
    if (waiting.length > 0) timer = setTimeout(drain, key !== undefined && SCREEN_KEYS.has(key) ? SCREEN_CHANGE_MS : 1);
  };
  const onData = (chunk: Buffer | string) => {
    waiting.push(...splitKeys(chunk.toString()));
    if (timer === undefined) drain();
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
        clearTimeout(timer);
        timer = undefined;
        waiting.length = 0;
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
