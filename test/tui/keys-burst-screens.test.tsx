import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { App } from '../../src/tui/App.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { until } from '../helpers/render-app.js';
import { memorySettings } from '../helpers/memory-settings.js';
import { demoServices } from '../helpers/tui-services.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer();
const ENTER = '\r';
const ESC = '\x1b';
const RIGHT = '\x1b[C';
const BACKSPACE = '\x7f';

const memoryStore = () => memorySettings({ progressIntervalSeconds: 10 });

/** The whole app on the demo server (fake players), with settings kept in memory, open on home. */
async function homeScreen() {
  const stack = await demoServices(server());
  const settings = memoryStore();
  Object.assign(stack.services, { settings: settings.store });
  const view = render(<App services={stack.services} onExit={vi.fn()} />);
  const type = async (...keys: string[]) => {
    for (const key of keys) {
      view.stdin.write(key);
      await frame();
    }
  };
  await until(view.lastFrame, 'Libraries');
  return { ...view, ...settings, players: stack.players, type };
}

/** The line of the frame with the cursor on it. */
function selectedLine(screen: string): string {
  return screen.split('\n').find((line) => line.startsWith('›')) ?? '';
}

/** Opens the first episode of the first series and plays it from the start; resolves with its player. */
async function nowPlaying(view: Awaited<ReturnType<typeof homeScreen>>) {
  const { lastFrame, type } = view;
  for (let i = 0; i < 40 && !/› +Shows/.test(plain(lastFrame())); i++) await type('j');
  await type(ENTER);
  await until(lastFrame, /Shows · 1\/\d+/);
  await type(ENTER);
  await until(lastFrame, 'Season 1');
  await type(ENTER);
  await until(lastFrame, 'S01E01');
  await type(ENTER);
  await until(lastFrame, 'enter play');
  await type(ENTER);
  // (an earlier test may have left a resume point: start over)
  if (plain(lastFrame()).includes('Start over')) await type('j', ENTER);
  await until(lastFrame, 'space pause');
  return view.players[view.players.length - 1]!;
}

describe('keys typed in one write into the settings screen', () => {
  it('opens settings on o and gives it the rest of the write: down, edit, a new value with j and k in it, save', async () => {
    const view = await homeScreen();
    // When `o`, a move down, enter, the old value erased and a new one typed come in one write
    view.stdin.write(`oj${ENTER}${BACKSPACE.repeat(12)}jpn, kor${ENTER}`);
    // Then the settings screen took every key: the j and k were typed into the value, not moves
    const screen = await until(view.lastFrame, 'Saved audioLanguages');
    expect(view.values.audioLanguages).toEqual(['jpn', 'kor']);
    expect(view.saved).toEqual([['audioLanguages', ['jpn', 'kor']]]);
    expect(selectedLine(screen)).toMatch(/Preferred audio languages +jpn, kor/);
    view.unmount();
  });

  it('cancels an edit on esc and stays; a second esc in the same write goes back, and the key after it moves home', async () => {
    const view = await homeScreen();
    const home = plain(view.lastFrame());
    // When `o`, five moves down, enter (edit the interval), a digit, esc, esc and j come in one write
    view.stdin.write(`ojjjjj${ENTER}5${ESC}${ESC}j`);
    // Then the edit was cancelled (nothing saved), the screen left, and j reached home as it showed again
    const back = await eventually(() => {
      const screen = plain(view.lastFrame());
      expect(screen).not.toContain('Settings ·');
      expect(selectedLine(screen)).not.toBe(selectedLine(home));
      return screen;
    });
    expect(view.saved).toEqual([]);
    expect(view.values.progressIntervalSeconds).toBe(10);
    expect(back).toContain('Libraries');
    view.unmount();
  });

  it('closes the help on the first key of a write and gives the settings screen the rest', async () => {
    const view = await homeScreen();
    await view.type('o');
    await until(view.lastFrame, 'Settings ·');
    await view.type('?');
    await until(view.lastFrame, 'any key closes this');
    // When x (closes the help), j and enter come in one write
    view.stdin.write(`xj${ENTER}`);
    // Then j moved to the second setting while the help went away, and enter edits it
    const screen = await until(view.lastFrame, 'type the new value');
    expect(selectedLine(screen)).toMatch(/^› +Preferred audio languages +.*▏/);
    expect(view.values.continuousPlay).toBe(DEFAULT_SETTINGS.continuousPlay);
    view.unmount();
  });
});

describe('keys typed in one write into the now-playing screen', () => {
  it('sends space, → and → to mpv in order', async () => {
    const view = await homeScreen();
    const player = await nowPlaying(view);
    view.stdin.write(` ${RIGHT}${RIGHT}`);
    await until(view.lastFrame, 'space pause');
    await frame(100);
    expect(player.controls).toEqual(['pause', 'seek relative 10', 'seek relative 10']);
    view.unmount();
  });

  it('stops on s and sends nothing more to the stopped player: → right after s is not a seek', async () => {
    const view = await homeScreen();
    const player = await nowPlaying(view);
    view.stdin.write(`s${RIGHT} `);
    // Then mpv was told to stop once, and the details are back
    await until(view.lastFrame, 'enter play');
    expect(player.controls).toEqual(['stop']);
    view.unmount();
  });

  it('closes the help on the first key and pauses on the space after it, once', async () => {
    const view = await homeScreen();
    const player = await nowPlaying(view);
    await view.type('?');
    await until(view.lastFrame, 'any key closes this');
    view.stdin.write('x ');
    await until(view.lastFrame, 'space pause');
    await frame(100);
    expect(player.controls).toEqual(['pause']);
    view.unmount();
  });

  it('opens settings on o over the player, and the keys after it go to the settings, not to mpv', async () => {
    const view = await homeScreen();
    const player = await nowPlaying(view);
    // When o, j and enter come in one write while playing
    view.stdin.write(`oj${ENTER}`);
    // Then the settings edit the second row, and mpv was sent nothing (enter is not "skip the intro")
    const screen = await until(view.lastFrame, 'type the new value');
    expect(selectedLine(screen)).toMatch(/^› +Preferred audio languages/);
    expect(player.controls).toEqual([]);
    view.unmount();
  });
});
