import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until, sortedFilms } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

const films = () => sortedFilms(server());

/** A word that starts a film's name, for a search that finds it. */
function searchWord(index: number): string {
  return films()[index]!.name.split(' ')[0]!;
}

/**
 * Keeps one core busy (a build, a browser, another test worker) from the moment it resolves
 * until the returned stop is called or the test ends. Started only around the keys, so other
 * test files running meanwhile share the machine for as short a time as it can be.
 */
async function burnCpu(): Promise<() => void> {
  const burner = spawn(process.execPath, ['-e', "process.stdout.write('go'); for(;;){}"], { stdio: ['ignore', 'pipe', 'ignore'] });
  const stop = () => {
    burner.kill('SIGKILL');
  };
  onTestFinished(stop);
  await new Promise((resolve) => burner.stdout.once('data', resolve));
  return stop;
}

/**
 * Sends each key in its own write, back to back: on a busy machine the terminal's chunks queue
 * up and Node reads them one after another in one pass, before React has run a frame's effects.
 */
function keysOneByOne(stdin: { write: (s: string) => void }, keys: string[]): void {
  for (const key of keys) stdin.write(key);
}

/** The app open on the Movies list, loaded. */
async function onMovies() {
  const view = await renderApp(server());
  await until(view.lastFrame, 'Libraries');
  await view.select(/› +Movies/);
  await view.type(ENTER);
  await until(view.lastFrame, /Movies · 1\/\d+\n/);
  return view;
}

describe('keys typed faster than the screen changes', () => {
  it('gives every key of a search typed in one write to the search screen, the first letter included', async () => {
    const { lastFrame, stdin, unmount } = await renderApp(server());
    await until(lastFrame, 'Libraries');
    const word = searchWord(2);
    // When `/` and the word arrive in one write (a paste, a fast typist over ssh)
    stdin.write(`/${word}`);
    // Then the search screen has all of it
    const screen = await until(lastFrame, `Results for "${word}"`);
    expect(screen).toContain(`Search: ${word}`);
    expect(screen).toContain('Home › Search');
    unmount();
  });

  it('plays on enter enter sent in one write: the second enter reaches the details it opened', async () => {
    const view = await onMovies();
    const film = films()[0]!;
    // When enter, enter arrive together on the list
    view.stdin.write(`${ENTER}${ENTER}`);
    // Then the film plays, from details, once: no second details screen
    const screen = await until(view.lastFrame, 'Home › Movies › Details › Now playing');
    expect(screen).not.toContain('Details › Details');
    expect(view.players).toHaveLength(1);
    expect(view.players[0]!.launched.entries[0]!.title).toContain(film.name);
    view.unmount();
  });

  it('takes a whole walk typed in one write in order: down the list, open, back, search', async () => {
    const view = await onMovies();
    const word = searchWord(5);
    // When j j j, enter, esc, `/` and a word come in one write
    view.stdin.write(`jjj${ENTER}\x1b/${word}`);
    // Then the details of the fourth film opened and closed, and the search has every letter
    await until(view.lastFrame, `Results for "${word}"`);
    const screen = plain(view.lastFrame());
    expect(screen).toContain('Home › Movies › Search');
    expect(screen).toContain(`Search: ${word}`);
    view.unmount();
  });

  it('loses no key and sends none to the screen being left while the machine is busy', async () => {
    const view = await onMovies();
    const film = films()[3]!;
    // When, with a core busy, the user types j j j enter enter, each key in its own write
    const stop = await burnCpu();
    keysOneByOne(view.stdin, ['j', 'j', 'j', ENTER, ENTER]);
    // Then the fourth film plays, once, from its details
    const screen = await until(view.lastFrame, 'Home › Movies › Details › Now playing');
    stop();
    expect(screen).not.toContain('Details › Details');
    expect(view.players).toHaveLength(1);
    expect(view.players[0]!.launched.entries[0]!.title).toContain(film.name);
    view.unmount();
  });

  it('gives a search typed key by key on a busy machine every letter, in order', async () => {
    const { lastFrame, stdin, unmount } = await renderApp(server());
    await until(lastFrame, 'Libraries');
    const word = searchWord(7);
    // When, with a core busy, `/` and the word come one key at a time
    const stop = await burnCpu();
    keysOneByOne(stdin, [...`/${word}`]);
    // Then the search has the whole word, the first letter included
    expect(await until(lastFrame, `Results for "${word}"`)).toContain(`Search: ${word}`);
    // And when esc, `/` and another word come in one write, that is a new search, whole
    const next = searchWord(9);
    stdin.write(`\x1b/${next}`);
    expect(await until(lastFrame, `Results for "${next}"`)).toContain(`Search: ${next}\n`);
    stop();
    unmount();
  });
});
