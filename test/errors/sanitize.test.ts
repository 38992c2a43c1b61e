import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../src/text/sanitize.js';

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

  const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

  it.each([
    ['right-to-left override (U+202E)', 'Movie\u202Eexe.4pm', 'Movieexe.4pm'],
    ['left-to-right override (U+202D)', 'a\u202Db', 'ab'],
    ['left-to-right embedding (U+202A)', 'a\u202Ab', 'ab'],
    ['right-to-left embedding (U+202B)', 'a\u202Bb', 'ab'],
    ['pop directional formatting (U+202C)', 'a\u202Cb', 'ab'],
    ['left-to-right isolate (U+2066)', 'a\u2066b', 'ab'],
    ['right-to-left isolate (U+2067)', 'a\u2067b', 'ab'],
    ['first strong isolate (U+2068)', 'a\u2068b', 'ab'],
    ['pop directional isolate (U+2069)', 'a\u2069b', 'ab'],
    ['left-to-right mark (U+200E)', 'a\u200Eb', 'ab'],
    ['right-to-left mark (U+200F)', 'a\u200Fb', 'ab'],
    ['arabic letter mark (U+061C)', 'a\u061Cb', 'ab'],
    ['an isolate pair around a title', 'Episode \u2067S01E02\u2069 ends', 'Episode S01E02 ends'],
    ['Hebrew and Arabic letters themselves are kept', 'שלום مرحبا', 'שלום مرحبا'],
  ])('strips the bidi control: %s', (_name, input, expected) => {
    for (const multiline of [false, true]) {
      const out = sanitizeText(input, { multiline });
      expect(out).toBe(expected);
      expect(out).not.toMatch(BIDI);
    }
  });
});
