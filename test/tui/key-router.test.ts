import { describe, expect, it } from 'vitest';
import { KeyRouter } from '../../src/tui/key-router.js';
import { LEAVING, LIST_KEYS_WHILE_TYPING, LOADING } from '../../src/tui/hooks/use-key-hold.js';

const ENTER = '\r';
const ESC = '\x1b';

/** A router with two screens, `list` and `next`; records which screen took each key, by name. */
function router() {
  let current = 'list';
  const taken: string[] = [];
  const fallback: string[] = [];
  const owner = new KeyRouter({
    current: () => current,
    intercept: () => false,
    fallback: (input, key) => fallback.push(key.escape ? 'esc' : input),
  });
  for (const scope of ['list', 'next']) {
    owner.register(scope, { handler: () => (input, key) => (key.escape ? false : (taken.push(`${scope}:${key.return ? 'enter' : input}`), true)), active: () => true });
  }
  owner.setReady('list', true);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { owner, taken, fallback, settle, show: (id: string) => (current = id) };
}

describe('the key owner holds keys for a screen that is loading or leaving', () => {
  it('keeps keys typed while a list loads, in order, for the list once it has loaded', async () => {
    const { owner, taken, settle } = router();
    // Given the list is loading
    const release = owner.hold('list', LOADING);
    // When j j enter arrive
    owner.receive(`jj${ENTER}`);
    await settle();
    // Then nothing has acted on the empty list
    expect(taken).toEqual([]);
    // and once it has loaded, each key acts on it in order
    release();
    await settle();
    expect(taken).toEqual(['list:j', 'list:j', 'list:enter']);
  });

  it('lets esc through at once, dropping the keys that waited for the list being left', async () => {
    const { owner, taken, fallback, settle } = router();
    owner.hold('list', LOADING);
    // When j j esc k arrive while the list loads (the server stalls)
    owner.receive(`jj${ESC}k`);
    await settle();
    // Then esc acts now (going back), and j j, meant for the list being left, are gone
    expect(fallback).toEqual(['esc']);
    expect(taken).toEqual([]);
  });

  it('drops the keys that waited when the list fails to load, and takes the keys typed after', async () => {
    const { owner, taken, settle } = router();
    const release = owner.hold('list', LOADING);
    owner.receive(`jj${ENTER}`);
    await settle();
    // When the load fails
    release(true);
    await settle();
    // Then the keys meant for the list never act on the error screen
    expect(taken).toEqual([]);
    // and a key typed now does
    owner.receive(ENTER);
    await settle();
    expect(taken).toEqual(['list:enter']);
  });

  it('gives keys held by a screen on its way out to the screen that replaces it', async () => {
    const { owner, taken, settle, show } = router();
    // Given the player after `s`: leaving, keys wait
    owner.hold('list', LEAVING);
    owner.receive('w');
    await settle();
    expect(taken).toEqual([]);
    // When it goes and the next screen is drawn
    show('next');
    owner.drop('list');
    owner.setReady('next', true);
    await settle();
    // Then w reaches the next screen
    expect(taken).toEqual(['next:w']);
  });

  it('lets text through while typing, and holds only the keys that act on the results', async () => {
    const { owner, taken, settle } = router();
    const release = owner.hold('list', LIST_KEYS_WHILE_TYPING);
    // When `Am⏎` arrives while results are pending
    owner.receive(`Am${ENTER}`);
    await settle();
    // Then the letters are typed, and enter waits for the results
    expect(taken).toEqual(['list:A', 'list:m']);
    release();
    await settle();
    expect(taken).toEqual(['list:A', 'list:m', 'list:enter']);
  });

  it('keeps a key waiting while a second hold of the same kind is on (the search box done, its results loading)', async () => {
    const { owner, taken, settle } = router();
    const box = owner.hold('list', LIST_KEYS_WHILE_TYPING);
    const results = owner.hold('list', LIST_KEYS_WHILE_TYPING);
    owner.receive(ENTER);
    box();
    await settle();
    expect(taken).toEqual([]);
    results();
    await settle();
    expect(taken).toEqual(['list:enter']);
  });

  it('takes Ctrl+C at once, whatever waits before it', async () => {
    let current = 'list';
    const seen: string[] = [];
    const owner = new KeyRouter({ current: () => current, intercept: (input, key) => (key.ctrl && input === 'c' ? (seen.push('ctrl+c'), true) : false), fallback: () => undefined });
    owner.setReady('list', true);
    owner.hold('list', LEAVING);
    owner.receive('jj\x03');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['ctrl+c']);
    current = 'none';
  });

  it('joins an escape sequence cut between two reads, and lets a lone esc go on after a moment', async () => {
    const seen: string[] = [];
    const owner = new KeyRouter({ current: () => 'list', intercept: () => false, fallback: (input, key) => seen.push(key.upArrow ? 'up' : key.escape ? 'esc' : input) });
    owner.setReady('list', true);
    // When ↑ arrives as `esc [` and then `A` (a slow ssh link)
    owner.receive('\x1b');
    owner.receive('[');
    await new Promise((resolve) => setTimeout(resolve, 5));
    owner.receive('A');
    // Then it is one ↑, not esc, [ and A
    expect(seen).toEqual(['up']);
    // and a lone esc is esc, once its moment has passed
    owner.receive('\x1b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['up', 'esc']);
  });
});

