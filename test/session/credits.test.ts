import { describe, expect, it, vi } from 'vitest';
import { PlaybackRun } from '../../src/session/playback-run.js';
import { plexResumeState } from '../../src/servers/plex/index.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { FakePlayer } from '../helpers/tui-services.js';

// A server that counts a watch from the credits (Plex's default: the earlier of its threshold and
// the first credits marker): an episode stopped in its credits is watched, in reelterm as on the
// server, and the stop carries where the credits begin (a late delivery decides by it too).

const SECOND = 10_000_000;
const EPISODE = { id: 'ep', title: 'Amber Lighthouse S01E01', runtimeTicks: 600 * SECOND, positionTicks: 0, played: false };
// The admin's threshold is 97 %: only the credits at 9:30 make 9:35 watched.
const rules = { resumeState: (position: number, runtime: number | undefined, before?: { positionTicks: number }, credits?: number) => plexResumeState(position, runtime, before, 97, credits) };

function run(segments: Array<{ type: string; startSeconds: number; endSeconds: number }>) {
  const player = new FakePlayer({ entries: [{ url: 'http://127.0.0.1:1/ep', title: EPISODE.title, startSeconds: 0 }], httpHeaders: [] });
  const { outbox, deliver } = memoryOutbox();
  const playback = new PlaybackRun({
    rules,
    entries: [{ item: EPISODE, mediaSourceId: 'ep', playSessionId: 'sitting', startSeconds: 0 }],
    player,
    outbox,
    firstDetails: { tracks: { audio: [], subtitles: [] }, segments },
    details: async () => ({}),
    languages: { audioLanguages: [], subtitleLanguages: [] },
    segments: { mode: 'off', types: [] },
  });
  playback.start();
  return { player, playback, deliver };
}

describe('an episode stopped in its credits', () => {
  it('is watched when the server counts from the credits, and the stop says where they begin', async () => {
    const { player, playback, deliver } = run([{ type: 'Outro', startSeconds: 570, endSeconds: 600 }]);
    player.emit({ type: 'tick', positionSeconds: 575, durationSeconds: 600, paused: false });
    player.emit({ type: 'end', reason: 'stop', positionSeconds: 575 });
    const view = await playback.ended;
    expect(view.played).toBe(true);
    await vi.waitFor(() => expect(deliver.sent.find((op) => op.kind === 'stopped')?.payload.creditsTicks).toBe(570 * SECOND));
  });

  it('is not watched at 9:35 without credits markers (the 97 % threshold decides)', async () => {
    const { player, playback } = run([]);
    player.emit({ type: 'tick', positionSeconds: 575, durationSeconds: 600, paused: false });
    player.emit({ type: 'end', reason: 'stop', positionSeconds: 575 });
    expect((await playback.ended).played).toBe(false);
  });
});
