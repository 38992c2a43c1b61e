import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { openFirstFilm, renderApp, until, untilGone } from '../helpers/render-app.js';
import { eventually } from '../helpers/wait.js';

const SECOND = 10_000_000;
const HOSTILE = 'Evil\x1b]0;pwned\x07 Film\x1b[2J';
let renamed = false;
const server = useDemoServer({
  titles: (item) => {
    if (item.type !== 'Movie' || renamed) return undefined;
    renamed = true;
    return { name: HOSTILE };
  },
});

const ENTER = '\r';

async function app(options: { syncWaitMs?: number } = {}) {
  return renderApp(server(), options);
}

/** A film no test has touched yet, by position in the Movies library (sorted by name). */
function untouchedFilm(index: number) {
  const films = server().library.all().filter((item) => item.type === 'Movie').sort((a, b) => a.sortName.localeCompare(b.sortName));
  return films[index]!;
}

describe('the app', () => {
  it('opens on home with the libraries, and says it is synced', async () => {
    const { lastFrame, unmount } = await app();
    const screen = await until(lastFrame, 'Libraries');
    expect(screen).toContain('reelterm · Home');
    expect(screen).toContain('demo on the test server');
    expect(screen).toMatch(/› +Movies\n +Shows/);
    expect(screen).toContain('✓ Synced');
    unmount();
  });

  it('walks series → seasons → episodes and back with esc', async () => {
    const { lastFrame, stdin, type, unmount } = await app();
    await until(lastFrame, 'Libraries');
    // (typed faster than a redraw: enter opens the row j moved to)
    stdin.write('j');
    stdin.write(ENTER);
    await until(lastFrame, /Shows · 1\/\d+/);
    await type(ENTER);
    const seasons = await until(lastFrame, 'Season 1');
    const series = server().library.all().filter((item) => item.type === 'Series').sort((a, b) => a.sortName.localeCompare(b.sortName))[0]!;
    expect(seasons).toContain(`Home › Shows › ${series.name}`);
    await type(ENTER);
    const episodes = await until(lastFrame, 'S01E01');
    expect(episodes).toContain(`Home › Shows › ${series.name} › Season 1`);
    await type('\x1b');
    await frame(100);
    expect(plain(lastFrame())).toMatch(new RegExp(`Home › Shows › ${series.name} +demo`));
    unmount();
  });

  it('toggles watched with w: the list shows it at once and the server gets it', async () => {
    const { lastFrame, type, select, unmount } = await app();
    const film = untouchedFilm(3);
    await until(lastFrame, 'Libraries');
    await select(/› +Movies/);
    await type(ENTER);
    await until(lastFrame, /Movies · 1\/\d+/);
    await select(new RegExp(`› +  ${film.name}`));
    await type('w');
    await until(lastFrame, new RegExp(`› +✓ ${film.name}`));
    await eventually(() => expect(server().userData('demo', film.id)).toMatchObject({ Played: true }));
    await type('w');
    await until(lastFrame, new RegExp(`› +  ${film.name}`));
    await eventually(() => expect(server().userData('demo', film.id)).toMatchObject({ Played: false }));
    unmount();
  });

  it('asks to resume from the saved position, plays, and saves where the user stopped', async () => {
    // Given a film stopped at 5:00 on another device
    const film = untouchedFilm(5);
    server().setUserData('demo', film.id, { playbackPositionTicks: 300 * SECOND, lastPlayedDate: new Date() });
    const { lastFrame, type, players, unmount } = await app();
    // When the user opens it from Continue watching and presses enter
    await until(lastFrame, 'Continue watching');
    await type(ENTER);
    expect(await until(lastFrame, '◐ Stopped at 5:00')).toContain(film.name);
    await type(ENTER);
    const prompt = await until(lastFrame, 'Start over');
    expect(prompt).toMatch(/› Resume from 5:00\n +Start over/);
    // The question names what it plays (issue 14, cosmetic: the resume question shows the title)
    expect(prompt).toContain(`Play ${film.name}`);
    await type(ENTER);
    // Then mpv starts at 5:00 on reelterm's private loopback address, which fetches from the
    // server with the token: mpv has no token at all, in a header or in the URL
    await until(lastFrame, 'Now playing');
    const player = players[0]!;
    expect(player.launched.entries[0]!.startSeconds).toBe(300);
    expect(player.launched.entries[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/Videos\//);
    expect(player.launched.entries[0]!.url).not.toMatch(/token|api_key/i);
    expect(player.launched.httpHeaders).toEqual([]);
    const viaProxy = await fetch(player.launched.entries[0]!.url, { headers: { range: 'bytes=0-15' } });
    expect(viaProxy.status).toBe(206);
    expect((await viaProxy.arrayBuffer()).byteLength).toBe(16);
    // And the screen follows playback
    player.emit({ type: 'tick', positionSeconds: 312, durationSeconds: 600, paused: false });
    expect(await until(lastFrame, '5:12 / 10:00')).toContain('▶ Playing');
    await type(' ', '\x1b[C');
    expect(player.controls).toEqual(['pause', 'seek relative 10']);
    player.emit({ type: 'pause', positionSeconds: 322 });
    await until(lastFrame, '❚❚ Paused');
    // When the user stops
    await type('s');
    // Then the app waits for the server, comes back to the details, and the server has 5:22
    await until(lastFrame, '✓ Saved to the server');
    expect(plain(lastFrame())).toContain('◐ Stopped at 5:22');
    expect(server().userData('demo', film.id)).toMatchObject({ PlaybackPositionTicks: 322 * SECOND, Played: false });
    unmount();
  });

  it('keeps a stop made while the server is offline, shows it pending, and syncs on r', async () => {
    const film = untouchedFilm(7);
    const { lastFrame, type, select, players, unmount } = await app({ syncWaitMs: 300 });
    await until(lastFrame, 'Libraries');
    await select(/› +Movies/);
    await type(ENTER);
    await until(lastFrame, /Movies · 1\/\d+/);
    await select(new RegExp(`› +  ${film.name}`));
    await type(ENTER);
    await until(lastFrame, 'enter play');
    await type(ENTER);
    await until(lastFrame, 'Now playing');
    // (mpv plays: the start reaches the server)
    players[0]!.emit({ type: 'tick', positionSeconds: 0, durationSeconds: 600, paused: false });
    await eventually(() => expect(server().journal.some((entry) => entry.path === '/Sessions/Playing' && entry.status === 204)).toBe(true));
    // When the server goes away mid-film and the user stops at 4:00
    await server().faults.offline();
    players[0]!.emit({ type: 'tick', positionSeconds: 240, durationSeconds: 600, paused: false });
    await type('s');
    // Then the stop is kept and the footer says so
    const after = await until(lastFrame, '1 update saved and queued');
    expect(after).toContain('◐ Stopped at 4:00');
    await until(lastFrame, /⚠ Offline · 1 pending · next try in \d+ s · r to retry/);
    // When the server is back and the user presses r
    await server().faults.clear();
    await type('r');
    // Then it lands and the footer says synced
    await until(lastFrame, '✓ Synced');
    expect(server().userData('demo', film.id)).toMatchObject({ PlaybackPositionTicks: 240 * SECOND });
    unmount();
  });

  it('searches as the user types, and never draws control sequences from the server', async () => {
    const { lastFrame, type, unmount } = await app();
    await until(lastFrame, 'Libraries');
    await type('/', 'E', 'v', 'i', 'l');
    const screen = await until(lastFrame, /Results for "Evil"\n› +  Evil ?Film/);
    expect(screen).toBeTruthy();
    expect(lastFrame()).not.toMatch(/\x1b\]|\x07|\x1b\[2J/);
    unmount();
  });

  it('shows every key on ?, and closes the help on any key', async () => {
    const { lastFrame, type, unmount } = await app();
    await until(lastFrame, 'Libraries');
    await type('?');
    const help = await until(lastFrame, 'Keys · any key closes this');
    expect(help).toMatch(/space\s+pause \/ resume/);
    expect(help).toMatch(/S\s+sync screen/);
    await type('x');
    await until(lastFrame, 'Libraries');
    unmount();
  });

  it('opens the sync screen on S', async () => {
    const { lastFrame, type, unmount } = await app();
    await until(lastFrame, 'Libraries');
    await type('S');
    expect(await until(lastFrame, 'Sync ·')).toContain('Home › Sync');
    unmount();
  });

  it('on q with an update the server does not answer, leaves the screens at once, shows the bounded wait, and keeps what is left', async () => {
    // Given a film's details, and a server that takes requests without answering
    const view = await app({ syncWaitMs: 1500 });
    await openFirstFilm(view);
    server().faults.stall();
    try {
      // When the film is marked watched and the user quits
      await view.type('w');
      await view.type('q');
      // Then the screens are gone at once (nothing is drawn again for them while the quit waits)
      const leaving = await untilGone(view.lastFrame, 'enter play', 1000);
      const lines = leaving.split('\n');
      expect(lines.slice(1, -1).filter((line) => line.trim() !== '' && !line.includes('Syncing…'))).toEqual([]);
      // and the wait shows, with its bound, once it lasts
      await until(view.lastFrame, 'Syncing… (up to 2 s)');
      // and when the bound passes, the app exits with the update still queued
      await eventually(() => expect(view.onExit).toHaveBeenCalledWith(expect.objectContaining({ settled: false, pending: 1 })), 5000);
      expect(view.outbox.status().pending).toBe(1);
    } finally {
      await server().faults.clear();
      view.unmount();
    }
  });

  it('quits on q once sync has settled', async () => {
    const { lastFrame, type, onExit, unmount } = await app();
    await until(lastFrame, 'Libraries');
    await type('q');
    await eventually(() => expect(onExit).toHaveBeenCalledWith({ settled: true, pending: 0 }));
    unmount();
  });
});

describe('the app in a resized terminal', () => {
  it('redraws to the new width and height, footer still on the last line', async () => {
    const { lastFrame, stdout, unmount } = await app();
    await until(lastFrame, 'Libraries');
    // When the terminal shrinks to 50×12
    Object.defineProperty(stdout, 'columns', { value: 50, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: 12, configurable: true });
    stdout.emit('resize');
    await frame(60);
    // Then nothing is wider than the terminal, and the footer is still the last line
    const lines = plain(lastFrame()).split('\n');
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(50);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toMatch(/^✓ Synced/);
    unmount();
  });
});

describe('the app when the server signs the user out', () => {
  /** Opens the Movies library on `film`, has the server revoke the token, and marks the film watched. */
  async function markWhileSignedOut(view: Awaited<ReturnType<typeof app>>, film: { name: string }) {
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Movies/);
    await view.type(ENTER);
    await until(view.lastFrame, /Movies · 1\/\d+/);
    await view.select(new RegExp(`› +  ${film.name}`));
    server().faults.expireTokens();
    await view.type('w');
  }

  it('keeps the update, says so in the footer, and syncs it after L and the password', async () => {
    const view = await app();
    const { lastFrame, stdin, type, unmount } = view;
    const film = untouchedFilm(9);
    // Given the server revokes the token, when the user marks the film watched
    await markWhileSignedOut(view, film);
    // Then the list shows it watched, and the footer says it waits for a sign-in
    await until(lastFrame, new RegExp(`› +✓ ${film.name}`));
    const footer = await until(lastFrame, /⚠ Signed out · sign in to sync 1 pending +L sign in/);
    expect(footer).toBeTruthy();
    // When the user presses L and types the password
    await type('L');
    await until(lastFrame, /› Password/);
    // (typed in one burst, enter included, as a paste or a fast typist would)
    for (const char of 'demo\r') stdin.write(char);
    // Then the queued update lands
    await until(lastFrame, '✓ Synced');
    expect(server().userData('demo', film.id)).toMatchObject({ Played: true });
    unmount();
  });

  it('signs in again with Quick Connect when there is no password to type', async () => {
    const view = await app();
    const { lastFrame, type, unmount } = view;
    const film = untouchedFilm(11);
    // Given the token was revoked and a mark waits
    await markWhileSignedOut(view, film);
    await until(lastFrame, /⚠ Signed out · sign in to sync 1 pending/);
    // When the user picks Quick Connect on the sign-in form and approves the code elsewhere
    await type('L');
    await until(lastFrame, /› Password/);
    await type('\t', ENTER);
    const shown = await until(lastFrame, /Quick Connect code: \d{6}/, 6000);
    const code = /Quick Connect code: (\d{6})/.exec(shown)![1]!;
    expect(server().approveQuickConnect(code, 'demo')).toBe(true);
    // Then the queued mark lands
    await until(lastFrame, '✓ Synced', 8000);
    expect(server().userData('demo', film.id)).toMatchObject({ Played: true });
    unmount();
  });
});
