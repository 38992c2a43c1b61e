import { describe, expect, it } from 'vitest';
import { PlaybackRun, type EntryDetails } from '../../src/session/playback-run.js';
import type { MediaTracks } from '../../src/session/track-choice.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { FakePlayer } from '../helpers/tui-services.js';
import { eventually } from '../helpers/wait.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

const FILM = { id: 'film', title: 'Film (1979)', runtimeTicks: 600 * 10_000_000, positionTicks: 0, played: false };
const ENGLISH = { index: 1, embedded: 0, language: 'eng', label: 'English (default)', isDefault: true };
const FRENCH = { index: 2, embedded: 1, language: 'fre', label: 'French', isDefault: false };

/** A run of one film on a stand-in for mpv, with the server's list of its tracks. */
function run(tracks: MediaTracks | undefined) {
  const { outbox } = memoryOutbox();
  const player = new FakePlayer({ entries: [{ url: 'http://127.0.0.1:1/film', title: FILM.title, startSeconds: 0 }], httpHeaders: [] });
  const firstDetails: EntryDetails | undefined = tracks !== undefined ? { tracks } : undefined;
  const playback = new PlaybackRun({ rules: JELLYFIN_RESUME,
    entries: [{ item: FILM, mediaSourceId: 'film', startSeconds: 0 }],
    player,
    outbox,
    ...(firstDetails !== undefined ? { firstDetails } : {}),
    details: async () => {
      throw new Error('offline');
    },
    languages: { audioLanguages: [], subtitleLanguages: [] },
    segments: { mode: 'off', types: [] },
  });
  playback.start();
  return { playback, player };
}

describe('what the viewer is told during a playback', () => {
  it('nothing at all when they stop before mpv has played', async () => {
    const { playback, player } = run({ audio: [ENGLISH], subtitles: [] });
    await player.stop();
    const view = await playback.ended;
    expect(view.error).toBeUndefined();
    expect(playback.view).toMatchObject({ ended: true, playedAny: false });
  });

  it('mpv\'s sentence as it is when it could not play, and a plain one when it died first', async () => {
    const refused = run({ audio: [ENGLISH], subtitles: [] });
    refused.player.emit({ type: 'end', reason: 'error', positionSeconds: 0, error: 'Could not reach the server to play this: it refused the connection (is it running?)' });
    expect((await refused.playback.ended).error).toBe('Could not reach the server to play this: it refused the connection (is it running?)');
    const crashed = run({ audio: [ENGLISH], subtitles: [] });
    crashed.player.emit({ type: 'end', reason: 'crash', positionSeconds: 0 });
    expect((await crashed.playback.ended).error).toBe('mpv stopped unexpectedly before it played anything (the log says more)');
  });

  it('once, when playback starts, that mpv has no window or no sound device; and the end is still an end', async () => {
    const { playback, player } = run({ audio: [ENGLISH], subtitles: [] });
    player.emit({ type: 'tick', positionSeconds: 0, durationSeconds: 600, paused: false });
    player.emit({ type: 'outputs', window: false, sound: true });
    expect(playback.view.notice).toBe('mpv has no window here (no display); sound only');
    player.emit({ type: 'end', reason: 'eof', positionSeconds: 599, durationSeconds: 600 });
    const view = await playback.ended;
    expect(view).toMatchObject({ played: true, ended: true });
    expect(view.error).toBeUndefined();
  });

  it.each([
    [{ window: true, sound: false }, 'mpv has no sound device here: picture only'],
    [{ window: false, sound: false }, 'mpv has no window here (no display) and no sound device: it plays unseen and unheard'],
  ])('names what is missing: %o', (outputs, notice) => {
    const { playback, player } = run({ audio: [ENGLISH], subtitles: [] });
    player.emit({ type: 'outputs', ...outputs });
    expect(playback.view.notice).toBe(notice);
  });

  it('a and c on a file without audio or subtitles say so, and the audio reads "none"', () => {
    const { playback } = run({ audio: [], subtitles: [] });
    expect(playback.view.audio).toBe('none');
    playback.cycleTrack('audio');
    expect(playback.view.message).toBe('This has no audio track');
    playback.cycleTrack('subtitle');
    expect(playback.view.message).toBe('This has no subtitles');
  });

  it('a with one audio track names it; with two it asks mpv for the other', () => {
    const alone = run({ audio: [ENGLISH], subtitles: [] });
    alone.playback.cycleTrack('audio');
    expect(alone.playback.view.message).toBe('English (default) is the only audio track');
    const both = run({ audio: [ENGLISH, FRENCH], subtitles: [] });
    both.player.emit({ type: 'tracks', audio: { embedded: 0 }, subtitle: null });
    both.playback.cycleTrack('audio');
    expect(both.player.controls).toContain('audio {"embedded":1}');
  });

  it('without the server\'s list (offline), a and c do not claim there are no tracks, and the audio is mpv\'s own', async () => {
    const { playback, player } = run(undefined);
    player.emit({ type: 'tracks', audio: { embedded: 0 }, subtitle: null });
    await eventually(() => expect(playback.view.audio).toBe('track 1'));
    playback.cycleTrack('subtitle');
    expect(playback.view.message).toBe('The tracks are not known (the server could not be asked): mpv plays its own choice');
  });
});
