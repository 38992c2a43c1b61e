import { describe, expect, it } from 'vitest';
import { parseKey } from '../../src/tui/keypress.js';

describe('parseKey', () => {
  it.each([
    ['j', { input: 'j' }, {}],
    ['G', { input: 'G' }, { shift: true }],
    ['\r', { input: '' }, { return: true }],
    ['\t', { input: '' }, { tab: true }],
    ['\x1b[Z', { input: '' }, { tab: true, shift: true }],
    ['\x7f', { input: '' }, { backspace: true }],
    ['\b', { input: '' }, { backspace: true }],
    ['\x1b[3~', { input: '' }, { delete: true }],
    ['\x1b', { input: '' }, { escape: true }],
    ['\x1b[A', { input: '' }, { upArrow: true }],
    ['\x1bOB', { input: '' }, { downArrow: true }],
    ['\x1b[1;5C', { input: '' }, { rightArrow: true }],
    ['\x1b[5~', { input: '' }, { pageUp: true }],
    ['\x1b[6~', { input: '' }, { pageDown: true }],
    ['\x1b[H', { input: '' }, { home: true }],
    ['\x1b[4~', { input: '' }, { end: true }],
    ['\x03', { input: 'c' }, { ctrl: true }],
    ['\x04', { input: 'd' }, { ctrl: true }],
    ['é', { input: 'é' }, {}],
  ])('reads %j as Ink would hand it to a handler', (raw, { input }, flags) => {
    const parsed = parseKey(raw);
    expect(parsed.input).toBe(input);
    const set = Object.entries(parsed.key).filter(([, on]) => on === true).map(([name]) => name).filter((name) => name !== 'meta');
    expect(set.sort()).toEqual(Object.keys(flags).sort());
  });
});
