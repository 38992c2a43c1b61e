import { describe, expect, it } from 'vitest';
import type { DemoVersion } from '../../src/servers/jellyfin/demo/playstate.js';
import { comeBack, MINUTE, offline, payload, playLive, S, scene, watchState } from '../helpers/server-scene.js';

/**
 * reelterm's own writes whose answers were lost (the server acted, the reply never came, or a
 * proxy swapped it for a 503): the retry must not take reelterm's own write for another device's.
 * No other device touches the item in any of these tests.
 */
describe.each<DemoVersion>(['10.11.11', '12.0.0'])('a replay whose own write was acted on but not answered (%s)', (version) => {
  /*
   * DEFECT: the replay of a queued stop writes UserData (position 150, LastPlayedDate = the stop's
   * time). The server does it, but the answer is lost. The op is retried; the retry reads the item
   * again, finds the LastPlayedDate reelterm itself just wrote (not the one it last saw, the
   * start's stamp) and calls it "changed elsewhere": a false `superseded` dead letter, although no
   * other device exists. The retry path of a replay never marks the item's state as doubtful
   * (`doubt()` is only called for live sends), and `op.unsure` is not consulted before
   * `changedByAnother`.
   */
  it('a replayed stop whose UserData answer is lost is not "changed elsewhere" on the retry', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await offline(s, outbox, () => outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, 150) }));
    s.lossy.loseAnswer('POST', /^\/UserItems\/[^/]+\/UserData$/);
    const engine = await comeBack(s, outbox, false);
    expect(watchState(s)).toEqual({ position: 150, played: false });
    expect(engine.deadLetters()).toEqual([]);
    expect(engine.status().superseded).toBe(0);
  });

  it('the same, answered by a proxy\'s 503 after the server wrote it', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await offline(s, outbox, () => outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, 150) }));
    s.lossy.loseAnswer('POST', /^\/UserItems\/[^/]+\/UserData$/, 1, '503');
    const engine = await comeBack(s, outbox, false);
    expect(engine.deadLetters()).toEqual([]);
    expect(watchState(s)).toEqual({ position: 150, played: false });
  });

  /*
   * DEFECT: a "mark watched" made offline is replayed as POST /UserPlayedItems?datePlayed=…
   * (PlayCount+1, LastPlayedDate = the mark's time). Its answer is lost; the retry reads a play
   * count one higher than reelterm last saw and keeps reelterm's own mark aside as "changed
   * elsewhere". (Sending it anyway from the sync screen would count a second play.)
   */
  it('a replayed "mark watched" whose answer is lost is not "changed elsewhere" on the retry', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await s.client.reportPlaybackStopped({ itemId: s.itemId, positionTicks: 100 * S, playSessionId: 'reelterm-play' });
    await offline(s, outbox, () => outbox.enqueue({ itemId: s.itemId, kind: 'played' }));
    s.lossy.loseAnswer('POST', /^\/UserPlayedItems\//);
    const engine = await comeBack(s, outbox, true);
    expect(watchState(s)).toEqual({ position: 0, played: true });
    expect(engine.deadLetters()).toEqual([]);
  });
  /*
   * DEFECT (found by the soak under load): a "mark watched" sent live (POST /UserPlayedItems,
   * PlayCount+1, LastPlayedDate = the mark's time) whose answer is lost was taken as doubt
   * without the date it wrote or the play it counted. The retry (a replay by then) read a play
   * count one higher and reelterm's own date, called it another device's change, and kept the
   * mark, and the stop after it, aside as "changed elsewhere".
   */
  it('a "mark watched" sent live whose answer is lost is not "changed elsewhere" on its retry, a replay by then', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await s.client.reportPlaybackStopped({ itemId: s.itemId, positionTicks: 100 * S, playSessionId: 'reelterm-play' });
    // The mark goes at once, online; the server marks it, and its answer is lost. By the retry,
    // two minutes have passed (a laptop asleep, a long outage): the retry is a replay, which
    // reads the item first.
    s.lossy.loseAnswer('POST', /^\/UserPlayedItems\//, 1, 'lose', () => {
      s.clock.shift += 2 * MINUTE;
    });
    const marked = await outbox.enqueue({ itemId: s.itemId, kind: 'played' });
    expect(await marked.outcome).toBe('delivered');
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.status().superseded).toBe(0);
    expect(watchState(s).played).toBe(true);
    expect(s.lossy.seen.filter((request) => request.startsWith('POST /UserPlayedItems/'))).toHaveLength(2);
  });
});
