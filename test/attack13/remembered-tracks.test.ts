import { describe, expect, it } from 'vitest';
import type { DemoVersion } from '../../src/servers/jellyfin/demo/playstate.js';
import { PlaybackSession } from '../../src/session/playback-session.js';
import { eventually } from '../helpers/wait.js';
import { comeBack, S, scene, type Scene } from '../helpers/server-scene.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

/** What the server would pick for the user next time (its remembered choice when there is one). */
async function serverPick(s: Scene): Promise<{ audio?: number; subtitle?: number }> {
  const info = await s.client.playbackInfo(s.itemId);
  return { audio: info.defaultAudioIndex, subtitle: info.defaultSubtitleIndex };
}

describe.each<DemoVersion>(['10.11.11', '12.0.0'])('the last track change before a stop (%s)', (version) => {
  /*
   * DEFECT: the user turns subtitles off and quits at once, while an earlier report is still on
   * its way (a slow server: here the start). The track change is queued as an urgent progress;
   * the stop, queued a moment later, replaces queued progress ("a stop replaces queued
   * progress"), and a stop report carries no stream indexes (Jellyfin only remembers them from
   * Start/Progress). The change is never sent: next time the server still picks the subtitles the
   * user turned off.
   */
  it('subtitles turned off just before quitting are remembered by the server', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    const before = await serverPick(s);
    expect(before.subtitle).not.toBe(-1);
    const session = new PlaybackSession({ rules: JELLYFIN_RESUME,
      item: { id: s.itemId, title: 'Film', runtimeTicks: s.runtimeTicks, positionTicks: 0, played: false },
      outbox,
      playSessionId: 'reelterm-play',
      mediaSourceId: s.itemId,
    });
    session.selectStreams({ audio: before.audio, subtitle: before.subtitle });
    s.server.faults.latency(300);
    session.start(0);
    session.handle({ type: 'tick', positionSeconds: 1, paused: false });
    // The start is on its way; the user presses c (subtitles off), then q.
    session.selectStreams({ audio: before.audio, subtitle: -1 });
    session.handle({ type: 'end', reason: 'quit', positionSeconds: 2 });
    await session.ended;
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    s.server.faults.latency(0);
    expect((await serverPick(s)).subtitle).toBe(-1);
  });

  /*
   * DEFECT: the same offline. The viewer changes the audio track while reelterm cannot reach the
   * server and then stops: the queued progress carrying the new track is replaced by the stop,
   * and a replay writes UserData only (which has no stream fields). The choice is lost for good.
   */
  it('an audio track chosen while offline is remembered once the stop is replayed', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    const before = await serverPick(s);
    const info = await s.client.playbackInfo(s.itemId);
    const other = info.streams.find((stream) => stream.type === 'Audio' && stream.index !== before.audio)!;
    expect(other).toBeDefined();
    const session = new PlaybackSession({ rules: JELLYFIN_RESUME,
      item: { id: s.itemId, title: 'Film', runtimeTicks: s.runtimeTicks, positionTicks: 0, played: false },
      outbox,
      playSessionId: 'reelterm-play',
      mediaSourceId: s.itemId,
    });
    session.selectStreams({ audio: before.audio, subtitle: before.subtitle });
    session.start(0);
    session.handle({ type: 'tick', positionSeconds: 100, paused: false });
    await eventually(() => expect(outbox.status().pending).toBe(0));
    await s.proxy.down();
    session.selectStreams({ audio: other.index, subtitle: before.subtitle });
    session.handle({ type: 'end', reason: 'quit', positionSeconds: 150 });
    await session.ended;
    await eventually(() => expect(outbox.status().state).toBe('offline'));
    await comeBack(s, outbox, false);
    expect(Math.round((s.server.userData('demo', s.itemId).PlaybackPositionTicks ?? 0) / S)).toBe(150);
    expect((await serverPick(s)).audio).toBe(other.index);
  });
});

