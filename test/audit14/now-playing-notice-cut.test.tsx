// User sees, at 80 columns over ssh without sound, "mpv has no window here (no display) and no sound device: it plays unseen and un…" (and `a` with unknown tracks: "…mpv plays its own ch…") with no way to read the rest (`m` does nothing, the log has only {"window":false,"sound":false}); expected: the now-playing screen wraps (or offers `m` for) its notice/message rows, as README "A long one … wraps to three rows" and issue 14 items 4/12 ask; suspected code: src/tui/components/NowPlayingScreen.tsx (`wrap="truncate-end"` on notice/message/error rows).
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { PlaybackRun } from '../../src/session/playback-run.js';
import { NowPlayingScreen } from '../../src/tui/components/NowPlayingScreen.js';
import { controlsOf } from '../../src/commands/services.js';
import { plain } from '../helpers/ink.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { FakePlayer } from '../helpers/tui-services.js';
import { untilShown } from '../helpers/wait.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

const FILM = { id: 'film', title: 'The Amber Compass (1989)', runtimeTicks: 600 * 10_000_000, positionTicks: 0, played: false };

function screenAt80(known: boolean) {
  const player = new FakePlayer({ entries: [{ url: 'http://127.0.0.1:1/film', title: FILM.title, startSeconds: 0 }], httpHeaders: [] });
  const run = new PlaybackRun({
    rules: JELLYFIN_RESUME,
    entries: [{ item: FILM, mediaSourceId: 'film', startSeconds: 0 }],
    player,
    outbox: memoryOutbox().outbox,
    ...(known ? { firstDetails: { tracks: { audio: [], subtitles: [] } } } : {}),
    details: async () => {
      throw new Error('offline');
    },
    languages: { audioLanguages: [], subtitleLanguages: [] },
    segments: { mode: 'off', types: [] },
  });
  run.start();
  // As App lays it out in an 80-column terminal (its root Box has width={columns})
  const view = render(<Box width={80} flexDirection="column"><NowPlayingScreen playback={controlsOf(run)} width={80} height={12} /></Box>);
  return { player, ...view, screen: () => plain(view.lastFrame()) };
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('now-playing notices at 80 columns (issue 14, items 4 and 12)', () => {
  it('shows the whole "no window and no sound" notice, not "…unseen and un…"', async () => {
    const { player, screen, unmount } = screenAt80(true);
    player.emit({ type: 'tick', positionSeconds: 1, durationSeconds: 600, paused: false });
    player.emit({ type: 'outputs', window: false, sound: false });
    const shown = await untilShown(screen, 'no sound device');
    expect(shown).not.toMatch(/un…/);
    expect(flat(shown)).toContain('it plays unseen and unheard');
    unmount();
  });

  it('shows the whole answer to `a` when the tracks are not known', async () => {
    const { player, stdin, screen, unmount } = screenAt80(false);
    player.emit({ type: 'tick', positionSeconds: 1, durationSeconds: 600, paused: false });
    stdin.write('a');
    const shown = await untilShown(screen, 'The tracks are not known');
    expect(flat(shown)).toContain('mpv plays its own choice');
    unmount();
  });
});
