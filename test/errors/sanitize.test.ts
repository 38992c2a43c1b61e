import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../src/jellyfin/sanitize.js';

describe('sanitizeText', () => {
  it.each([
    ['window title', 'Alien\x1b]0;pwned\x07 (1979)', 'Alien (1979)'],
    ['clipboard write', 'A\x1b]52;c;ZXZpbA==\x07B', 'AB'],
    ['OSC ended by ST', 'A\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\B', 'AlinkB'],
    ['clear screen', '\x1b[2JHello', 'Hello'],
    ['colour', '\x1b[31mRed\x1b[0m', 'Red'],
    ['carriage return', 'over\rwrite', 'over write'],
    ['C1 CSI', 'a\x9b2Jb', 'ab'],
    ['C1 OSC', 'a\x9d0;t\x07b', 'ab'],
    ['NUL and BEL', 'a\x00b\x07c', 'abc'],
    ['newlines in a title', 'one\ntwo', 'one two'],
    ['plain text and unicode', 'Amélie — 日本', 'Amélie — 日本'],
  ])('strips %s', (_name, input, expected) => {
    const out = sanitizeText(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('keeps line breaks in multi-line text such as an overview', () => {
    expect(sanitizeText('line one\r\nline\x1b[2J two', { multiline: true })).toBe('line one\nline two');
  });
});
