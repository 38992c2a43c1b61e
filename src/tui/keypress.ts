import type { Key } from 'ink';

const NAMED: Record<string, keyof Key> = {
  '[A': 'upArrow',
  '[B': 'downArrow',
  '[C': 'rightArrow',
  '[D': 'leftArrow',
  OA: 'upArrow',
  OB: 'downArrow',
  OC: 'rightArrow',
  OD: 'leftArrow',
  '[H': 'home',
  '[F': 'end',
  OH: 'home',
  OF: 'end',
  '[1~': 'home',
  '[7~': 'home',
  '[4~': 'end',
  '[8~': 'end',
  '[5~': 'pageUp',
  '[6~': 'pageDown',
  '[3~': 'delete',
  '[Z': 'tab',
};

function noKey(): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
  };
}

/**
 * One key (as `splitKeys` cuts them) in the shape Ink's `useInput` hands its handlers, so a
 * handler reads the same `input` and `key` whichever path delivered it. Unlike Ink, `\x7f`
 * (what the Backspace key sends on most terminals) is backspace, and `\x1b[3~` is delete.
 */
export function parseKey(raw: string): { input: string; key: Key } {
  const key = noKey();
  // `\n`: enter typed before the terminal was in raw mode (while reelterm starts). reelterm binds no Ctrl+J.
  if (raw === '\r' || raw === '\n') return { input: '', key: { ...key, return: true } };
  if (raw === '\t') return { input: '', key: { ...key, tab: true } };
  if (raw === '\x7f' || raw === '\b') return { input: '', key: { ...key, backspace: true } };
  if (raw === '\x1b') return { input: '', key: { ...key, escape: true, meta: true } };
  if (raw.startsWith('\x1b')) {
    // Modifiers (`\x1b[1;5A`) are dropped: reelterm binds none of them.
    const body = raw.slice(1).replace(/^\[1;\d+([A-Z])$/, '[$1').replace(/^\[(\d+);\d+~$/, '[$1~');
    const name = NAMED[body];
    if (name === undefined) return { input: '', key };
    return { input: '', key: { ...key, [name]: true, ...(body === '[Z' ? { shift: true } : {}) } };
  }
  if (raw.length === 1 && raw < ' ') {
    return { input: String.fromCharCode(raw.charCodeAt(0) + 96), key: { ...key, ctrl: true } };
  }
  return { input: raw, key: { ...key, shift: /^[A-Z]$/.test(raw) } };
}
