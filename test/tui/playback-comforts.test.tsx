import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { PlaybackSettings } from '../../src/commands/services.js';
import { App } from '../../src/tui/App.js';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { SettingsScreen } from '../../src/tui/components/SettingsScreen.js';
import { KEY_HELP } from '../../src/tui/keys.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { memorySettings } from '../helpers/memory-settings.js';
import { frame, plain } from '../helpers/ink.js';
import { demoServices } from '../helpers/tui-services.js';
import { eventually } from '../helpers/wait.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';
const PLAYBACK: PlaybackSettings = { continuousPlay: true, audioLanguages: ['fr'], subtitleLanguages: [], skipSegments: 'ask', skipSegmentTypes: ['Intro', 'Recap', 'Outro'] };

async function app(playback: PlaybackSettings = PLAYBACK) {
  return renderApp(server(), { playback });
}

/** Opens the first episode of the first series from the home screen and plays it from the start. */
async function playFirstEpisode(view: Awaited<ReturnType<typeof app>>) {
  const { lastFrame, type } = view;
  await until(lastFrame, 'Libraries');
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
  await until(lastFrame, 'Now playing');
  return view.players[0]!;
}

describe('now playing with continuous play, tracks and segments', () => {
  it('queues the episodes that follow, shows where it is, and n/p move between them', async () => {
    const view = await app();
    const player = await playFirstEpisode(view);
    // Then mpv was given the whole rest of the series, the chosen one first
    const series = server().library.first('Series');
    expect(player.launched.entries).toHaveLength(server().library.episodesOf(series.id).length);
    player.emit({ type: 'tick', positionSeconds: 40, durationSeconds: 600, paused: false });
    expect(await until(view.lastFrame, /1 of \d+/)).toContain('S01E01');
    // When the viewer presses n
    await view.type('n');
    // Then the second episode is shown, and the first was saved where it was left
    player.emit({ type: 'tick', positionSeconds: 1, durationSeconds: 600, paused: false });
    expect(await until(view.lastFrame, /2 of \d+/)).toContain('S01E02');
    const [first] = server().library.episodesOf(series.id);
    await eventually(() => expect(server().userData('demo', first!.id)).toMatchObject({ PlaybackPositionTicks: 40 * 10_000_000, Played: false }));
    // and p goes back; at the first one it says so
    await view.type('p');
    await until(view.lastFrame, /1 of \d+/);
    await view.type('p');
    await until(view.lastFrame, 'This is the first item');
    view.unmount();
  });

  it('picks the preferred audio language, and a and c ask mpv for the next tracks', async () => {
    // (an episode never played: nothing remembered on the server, so the language settings decide)
    const [first] = server().library.episodesOf(server().library.first('Series').id);
    server().setUserData('demo', first!.id, { playCount: 0, playbackPositionTicks: 0, played: false, lastPlayedDate: undefined });
    const view = await app();
    const player = await playFirstEpisode(view);
    // The French track is chosen, and the German subtitle file is handed to mpv
    await eventually(() => expect(player.configured.get(0)).toMatchObject({ audio: { embedded: 1 }, subtitle: { embedded: 0 } }));
    expect((player.configured.get(0) as { subtitleFiles: Array<{ url: string; lang: string }> }).subtitleFiles).toEqual([
      expect.objectContaining({ lang: 'ger', url: expect.stringMatching(/\/Subtitles\/0\/0\/Stream\.srt$/) }),
    ]);
    // mpv reports what it plays; the screen names it
    player.emit({ type: 'tracks', audio: { embedded: 1 }, subtitle: { embedded: 0 } });
    await until(view.lastFrame, 'Audio: French  ·  Subtitles: English (default)');
    await view.type('a', 'c');
    expect(player.controls).toEqual(['audio {"embedded":0}', 'subtitle {"embedded":1}']);
    view.unmount();
  });

  it('offers to skip the intro while it plays, and enter seeks past it', async () => {
    const view = await app();
    const player = await playFirstEpisode(view);
    player.emit({ type: 'tick', positionSeconds: 6, durationSeconds: 600, paused: false });
    await until(view.lastFrame, 'Playing the intro · enter to skip');
    await view.type(ENTER);
    expect(player.controls).toContain('seek absolute 35');
    player.emit({ type: 'seek', positionSeconds: 35 });
    await eventually(() => expect(plain(view.lastFrame())).not.toContain('Playing the intro'));
    view.unmount();
  });

  it('takes the now-playing screen away when playback ends under another screen, and q still saves mpv\'s position', async () => {
    const view = await app();
    const player = await playFirstEpisode(view);
    player.emit({ type: 'tick', positionSeconds: 50, durationSeconds: 600, paused: false });
    // When the viewer opens the sync screen over it, and quits from there
    await view.type('S');
    await until(view.lastFrame, 'Now playing › Sync');
    await view.type('q');
    // Then mpv was stopped first, and its last position reached the server before the exit
    await eventually(() => expect(view.onExit).toHaveBeenCalledWith({ settled: true, pending: 0 }));
    expect(player.controls).toContain('stop');
    const [first] = server().library.episodesOf(server().library.first('Series').id);
    expect(server().userData('demo', first!.id)).toMatchObject({ PlaybackPositionTicks: 50 * 10_000_000 });
    view.unmount();
  });

  it('ignores a second enter while mpv is starting: one player only', async () => {
    const view = await app();
    await playFirstEpisode(view);
    // Back on the details while mpv plays on, enter twice in one write: one more player, not two
    await view.type('\x1b');
    await until(view.lastFrame, 'enter play');
    const before = view.players.length;
    view.stdin.write('\r\r');
    await eventually(() => expect(view.players).toHaveLength(before + 1));
    await frame(300);
    expect(view.players).toHaveLength(before + 1);
    view.unmount();
  });
});

describe('the settings screen', () => {
  function store() {
    const { store: settings, values, saved } = memorySettings();
    return { settings, values, saved };
  }

  it('toggles, cycles, edits and resets settings, saving each at once and naming a bad value', async () => {
    const { settings, values, saved } = store();
    const { lastFrame, stdin, unmount } = render(<SettingsScreen store={settings} height={20} />);
    await frame();
    await vi.waitFor(() => expect(plain(lastFrame())).toMatch(/› Continuous play \(queue the next episodes\) +on/));
    // enter turns continuous play off
    stdin.write(ENTER);
    await frame();
    expect(values.continuousPlay).toBe(false);
    expect(plain(lastFrame())).toContain('Saved continuousPlay (applies from the next play).');
    // the audio languages are typed as a list
    stdin.write('j');
    await frame();
    stdin.write(ENTER);
    await frame();
    for (const char of 'fr, eng') stdin.write(char);
    stdin.write(ENTER);
    await frame();
    expect(values.audioLanguages).toEqual(['fr', 'eng']);
    expect(plain(lastFrame())).toMatch(/Preferred audio languages +fr, eng/);
    // segment skipping cycles ask → auto
    stdin.write('j');
    stdin.write('j');
    await frame();
    stdin.write(ENTER);
    await frame();
    expect(values.skipSegments).toBe('auto');
    // a bad interval is refused with the key named, and nothing is saved
    for (let i = 0; i < 2; i++) stdin.write('j');
    await frame();
    stdin.write(ENTER);
    await frame();
    stdin.write('\x7f');
    stdin.write('\x7f');
    for (const char of '0') stdin.write(char);
    stdin.write(ENTER);
    await frame();
    await vi.waitFor(() => expect(plain(lastFrame())).toContain('progressIntervalSeconds must be a number of seconds between 1 and 600'));
    expect(values.progressIntervalSeconds).toBe(10);
    // esc cancels the edit; d puts the default back
    stdin.write('\x1b');
    await frame(80);
    expect(plain(lastFrame())).toMatch(/Progress report interval +10 s/);
    expect(saved.map(([key]) => key)).toEqual(['continuousPlay', 'audioLanguages', 'skipSegments']);
    unmount();
  });

  it('opens with o from anywhere, and esc while editing does not leave it', async () => {
    const view = await app();
    await until(view.lastFrame, 'Libraries');
    await view.type('o');
    await until(view.lastFrame, 'Home › Settings');
    await view.type('j', 'j', 'j', 'j', 'j', ENTER, '\x1b');
    await frame(80);
    expect(plain(view.lastFrame())).toContain('Home › Settings');
    view.unmount();
  });
});

describe('start-up notices', () => {
  it('shows an invalid setting, named by key, on the first screen', async () => {
    const { services } = await demoServices(server(), { notices: ['/home/ann/.config/reelterm/config.json: "skipSegments" must be "ask", "auto" or "off"; using "ask".'] });
    const view = render(<App services={services} onExit={() => undefined} />);
    expect(await until(view.lastFrame, 'Libraries')).toContain('"skipSegments" must be "ask", "auto" or "off"; using "ask".');
    view.unmount();
  });
});

describe('the help overlay', () => {
  it('shows every key on an 80×24 terminal', async () => {
    const { lastFrame, unmount } = render(<HelpOverlay height={21} width={80} />);
    await frame();
    const shown = plain(lastFrame());
    for (const section of KEY_HELP) for (const [, what] of section.keys) expect(shown).toContain(what);
    unmount();
  });

  it('shows every key and, in demo mode, the demo server\'s whole addresses on an 80×24 terminal', async () => {
    const extra = [
      'Demo server: http://127.0.0.1:45678 (user "demo", password "demo")',
      'Fault switches: http://127.0.0.1:45678/__demo/faults',
      'Another device: http://127.0.0.1:45678/__demo/device',
    ];
    const { lastFrame, unmount } = render(<HelpOverlay height={21} width={80} extra={extra} />);
    await frame();
    const shown = plain(lastFrame());
    for (const section of KEY_HELP) for (const [, what] of section.keys) expect(shown).toContain(what);
    for (const line of extra) expect(shown).toContain(line);
    unmount();
  });
});
