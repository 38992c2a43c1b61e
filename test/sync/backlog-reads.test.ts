import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { outboxAt } from '../attack17/sync-helpers.js';

// A backlog of updates queued hours ago (the laptop was offline all evening): each is a replay,
// which reads its item's state before writing (was it changed by someone else since?). Read one
// by one, that is two requests an update; read together (issue 19: "≤ 1.2 requests per update"),
// a few more than one. Counted at the server, with every update landing as it should.

const SECOND = 10_000_000;
const COUNT = 250;
const TWO_HOURS_AGO = () => new Date(Date.now() - 2 * 3600_000);

describe('a backlog of updates two hours old', () => {
  const jellyfin = useDemoServer({ library: { movies: COUNT + 10, series: 0 } });

  it('reaches Jellyfin with at most 1.2 requests an update, each item where the user left it', async () => {
    const demo = jellyfin();
    const client = await signedInClient(demo);
    const films = demo.library.all().filter((item) => item.type === 'Movie').slice(0, COUNT);
    const outbox = await demoOutbox(client);
    // Queued while the server could not be reached
    await demo.faults.offline();
    for (const [index, film] of films.entries()) {
      await outbox.enqueue({ itemId: film.id, kind: 'stopped', at: TWO_HOURS_AGO(), payload: { positionTicks: (100 + index) * SECOND, runtimeTicks: 600 * SECOND } });
    }
    await demo.faults.clear();
    const before = demo.journal.length;
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 60_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    const requests = demo.journal.length - before;
    expect(requests / COUNT).toBeLessThanOrEqual(1.2);
    for (const [index, film] of films.entries()) expect(demo.userData('demo', film.id).PlaybackPositionTicks).toBe((100 + index) * SECOND);
  }, 120_000);
});

describe('a backlog of Plex updates two hours old', () => {
  const plex = usePlexDemo({ library: { films: COUNT + 10, shows: 0 }, journalLimit: 100_000 });

  it('reaches Plex with at most 1.2 requests an update, each item where the user left it', async () => {
    const demo = plex();
    const films = [...demo.library.all()].filter((item) => item.type === 'movie').slice(0, COUNT);
    const { proxy, url } = await FaultProxy.start(demo.url);
    onTestFinished(() => proxy.close());
    const { outbox } = await outboxAt(demo, url);
    // Queued while the server could not be reached
    await proxy.down();
    for (const [index, film] of films.entries()) {
      await outbox.enqueue({ itemId: film.ratingKey, kind: 'stopped', at: TWO_HOURS_AGO(), payload: { positionTicks: (100 + index) * SECOND, runtimeTicks: 600 * SECOND } });
    }
    await proxy.up();
    demo.clearJournal();
    outbox.retryNow();
    expect((await outbox.settle({ timeoutMs: 60_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    expect(demo.journal.length / COUNT).toBeLessThanOrEqual(1.2);
    for (const [index, film] of films.entries()) expect(demo.state.watch(film.ratingKey).viewOffset).toBe((100 + index) * 1000);
    expect(demo.state.sessions()).toEqual([]);
  }, 120_000);
});
