import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { PlaybackRun } from '../../src/session/playback-run.js';
import type { MediaTracks } from '../../src/session/track-choice.js';
import { NowPlayingScreen } from '../../src/tui/components/NowPlayingScreen.js';
import { controlsOf } from '../../src/commands/services.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { demoServices, FakePlayer } from '../helpers/tui-services.js';
import { eventually, untilShown } from '../helpers/wait.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

const server = useDemoServer({ library: { movies: 2 } });
const FILM = { id: 'film', title: 'Silent Film (1927)', runtimeTicks: 600 * 10_000_000, positionTicks: 0, played: false };

/** The screen over a real run of one film, on a stand-in for mpv. */
function screenFor(tracks: MediaTracks) {
  const player = new FakePlayer({ entries: [{ url: 'http://127.0.0.1:1/film', title: FILM.title, startSeconds: 0 }], httpHeaders: [] });
  const run = new PlaybackRun({ rules: JELLYFIN_RESUME,
    entries: [{ item: FILM, mediaSourceId: 'film', startSeconds: 0 }],
    player,
    outbox: memoryOutbox().outbox,
    firstDetails: { tracks },
    details: async () => ({}),
    languages: { audioLanguages: [], subtitleLanguages: [] },
    segments: { mode: 'off', types: [] },
  });
  run.start();
  const controls = controlsOf(run);
  const view = render(<NowPlayingScreen playback={controls} width={100} height={10} />);
  return { player, ...view, screen: () => plain(view.lastFrame()) };
}

describe('the now-playing screen', () => {
  it('shows the audio line for a film without sound, and a and c say there is nothing to pick', async () => {
    // Given a film with no audio track and no subtitles, playing
    const { player, stdin, screen, unmount } = screenFor({ audio: [], subtitles: [] });
    player.emit({ type: 'tracks', audio: null, subtitle: null });
    player.emit({ type: 'tick', positionSeconds: 12, durationSeconds: 600, paused: false });
    await untilShown(screen, 'Audio: none  ·  Subtitles: Off');

    // When the viewer presses a, then c
    stdin.write('a');
    await untilShown(screen, 'This has no audio track');
    stdin.write('c');

    // Then each says so
    await untilShown(screen, 'This has no subtitles');
    unmount();
  });

  it('offers only esc once playback has stopped, not the player keys that do nothing now', async () => {
    const { player, screen, unmount } = screenFor({ audio: [], subtitles: [] });
    player.emit({ type: 'tick', positionSeconds: 30, durationSeconds: 600, paused: false });
    await untilShown(screen, 'space pause');
    // When mpv ends (the viewer pressed s, or closed its window)
    player.emit({ type: 'end', reason: 'stop', positionSeconds: 30 });
    // Then the screen says so and offers going back only
    const stopped = await untilShown(screen, 'Stopped');
    expect(stopped).toContain('esc back');
    expect(stopped).not.toContain('space pause');
    unmount();
  });

  it('says once, under the tracks, that mpv has no window here', async () => {
    const { player, screen, unmount } = screenFor({ audio: [{ index: 1, embedded: 0, label: 'English (default)', language: 'eng', isDefault: true }], subtitles: [] });
    player.emit({ type: 'tracks', audio: { embedded: 0 }, subtitle: null });
    player.emit({ type: 'tick', positionSeconds: 1, durationSeconds: 600, paused: false });
    player.emit({ type: 'outputs', window: false, sound: true });
    const shown = await untilShown(screen, 'sound only');
    expect(shown.split('\n').slice(3, 5)).toEqual(['Audio: English (default)  ·  Subtitles: Off', 'mpv has no window here (no display); sound only']);
    await frame();
    expect(screen().match(/no window/g)).toHaveLength(1);
    unmount();
  });

  it('answers a with why nothing changes when mpv has no sound device', async () => {
    const { player, screen, stdin, unmount } = screenFor({
      audio: [
        { index: 1, embedded: 0, label: 'English (default)', language: 'eng', isDefault: true },
        { index: 2, embedded: 1, label: 'French', language: 'fre', isDefault: false },
      ],
      subtitles: [],
    });
    player.emit({ type: 'tracks', audio: null, subtitle: null });
    player.emit({ type: 'tick', positionSeconds: 1, durationSeconds: 600, paused: false });
    player.emit({ type: 'outputs', window: true, sound: false });
    await untilShown(screen, 'no sound device');
    stdin.write('a');
    expect(await untilShown(screen, 'none to switch to')).toContain('no audio track plays');
    unmount();
  });

  it('names the server\'s tracks by language and flags, without codecs', async () => {
    // Given the demo film (English and French audio; English, Spanish and an external German subtitle), played with French audio and German subtitles
    const demo = server();
    const { services, client, players } = await demoServices(demo, {
      playback: { continuousPlay: false, audioLanguages: ['fr'], subtitleLanguages: ['de'], skipSegments: 'off', skipSegmentTypes: [] },
    });
    const film = demo.library.all().find((item) => item.type === 'Movie')!;
    const playback = await services.play(await client.item(film.id), 0);
    const view = render(<NowPlayingScreen playback={playback} width={100} height={10} />);
    const screen = () => plain(view.lastFrame());
    players[0]!.emit({ type: 'tracks', audio: { embedded: 1 }, subtitle: { url: (players[0]!.configured.get(0) as { subtitleFiles: Array<{ url: string }> }).subtitleFiles[0]!.url } });

    // Then the screen reads like a person would say it
    await untilShown(screen, 'Audio: French  ·  Subtitles: German · external');
    // and c moves on from the external file, the last of the round, to off
    view.stdin.write('c');
    await eventually(() => expect(players[0]!.controls.at(-1)).toBe('subtitle null'));
    players[0]!.emit({ type: 'tracks', audio: { embedded: 1 }, subtitle: null });
    await untilShown(screen, 'Subtitles: Off');
    // and from off to the file's own English subtitle, the default
    view.stdin.write('c');
    await eventually(() => expect(players[0]!.controls.at(-1)).toBe('subtitle {"embedded":0}'));
    players[0]!.emit({ type: 'tracks', audio: { embedded: 1 }, subtitle: { embedded: 0 } });
    await untilShown(screen, 'Subtitles: English (default)');
    view.unmount();
    await services.stopPlayback();
  });
});
