import { describe, expect, it } from 'vitest';
import type { DemoVersion } from '../../src/servers/jellyfin/demo/playstate.js';
import { comeBack, offline, payload, playLive, scene, watchState } from '../helpers/server-scene.js';

/**
 * A user whose policy has "Allow user preference access" off: UserData routes answer 403, marks
 * work. Replays of progress and stops go as late stop reports.
 */
describe.each<DemoVersion>(['10.11.11', '12.0.0'])('an account that may not write UserData (%s)', (version) => {
  const kid = { users: [{ name: 'kid', password: 'kid', enableUserPreferenceAccess: false }], user: 'kid' };

  /*
   * DEFECT: offline, the kid stops the film at 5:00 and marks it watched. Back online two minutes
   * later: the stop is replayed as a late stop report, after which the deliverer forgets what it
   * saw of the item (`seenByItem.delete`). The mark is then judged against its on-disk basis (the
   * last live report, 1:40, playing): 5:00 is further than two minutes of the server's automatic
   * progress can explain, so reelterm's own stop is taken for another device and the user's mark
   * is kept aside as "changed elsewhere"; the film stays unwatched on the server.
   */
  it('a stop and a mark made offline both land', async () => {
    const s = await scene(version, kid);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await offline(s, outbox, async () => {
      await outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, 300) });
      await outbox.enqueue({ itemId: s.itemId, kind: 'played' });
    });
    const engine = await comeBack(s, outbox, false);
    expect(engine.deadLetters().map((d) => d.reason)).toEqual([]);
    expect(watchState(s, 'kid')).toEqual({ position: 0, played: true });
    expect(engine.status().notice).toMatch(/may not write watch data directly/);
  });

  /* DEFECT (same cause): stopped at 96 % (watched) and then marked unwatched, offline: the unmark is kept aside. */
  it('watched to the end and then unmarked, offline: the unmark lands', async () => {
    const s = await scene(version, kid);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await offline(s, outbox, async () => {
      await outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, 580, { played: true }) });
      await outbox.enqueue({ itemId: s.itemId, kind: 'unplayed' });
    });
    const engine = await comeBack(s, outbox, false);
    expect(engine.deadLetters().map((d) => d.reason)).toEqual([]);
    expect(watchState(s, 'kid')).toEqual({ position: 0, played: false });
  });

  /* Guard: a replayed stop at 96 % through the late stop report marks it watched. */
  it('a stop at 96 % replayed through a late stop report leaves it watched', async () => {
    const s = await scene(version, kid);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await offline(s, outbox, () => outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, 580, { played: true }) }));
    const engine = await comeBack(s, outbox, true);
    expect(engine.deadLetters()).toEqual([]);
    expect(watchState(s, 'kid')).toEqual({ position: 0, played: true });
  });

  /* Guard: the same two updates for an account that may write UserData land. */
  it('(an ordinary account: the stop and the mark land)', async () => {
    const s = await scene(version);
    const outbox = await s.open();
    await playLive(s, outbox, 100);
    await offline(s, outbox, async () => {
      await outbox.enqueue({ itemId: s.itemId, kind: 'stopped', payload: payload(s, 300) });
      await outbox.enqueue({ itemId: s.itemId, kind: 'played' });
    });
    const engine = await comeBack(s, outbox, false);
    expect(engine.deadLetters()).toEqual([]);
    expect(watchState(s)).toEqual({ position: 0, played: true });
  });
});
