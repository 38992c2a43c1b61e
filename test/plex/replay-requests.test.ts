import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openOutbox } from '../../src/sync/index.js';
import { QUEUE_VERSION, type Op } from '../../src/sync/op.js';
import { tempDir } from '../helpers/temp-home.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { op, plexAt, SECOND } from '../attack17/sync-helpers.js';

// Issue 19: a backlog queued while the server could not be reached (the replay path) goes out in
// about one request per update, counted at the demo Plex server: the items' states are read many
// to a request, and a scrobble Plex Media Server itself answered (its X-Plex-Protocol header) is
// not read back. A real outbox opens a queue file an earlier run left, as `reelterm sync` does.

const demo = usePlexDemo({ library: { films: 80 } });
const TWO_HOURS = 2 * 3600_000;
const RUNTIME = 600 * SECOND;

describe('a backlog of updates queued two hours ago', () => {
  it('reaches the server in at most 1.2 requests per update, each mark counted once', async () => {
    const films = [...demo().library.all()].filter((item) => item.type === 'movie').slice(0, 60);
    const account = { kind: 'plex' as const, server: demo().url, userId: String(demo().owner.id), userName: demo().owner.username };
    const createdAt = new Date(Date.now() - TWO_HOURS).toISOString();
    // Half marks, half stops at 3:20 of 10:00 (the bench's backlog)
    const ops: Op[] = films.map((film, i) =>
      op({
        itemId: film.ratingKey,
        kind: i % 2 === 0 ? 'played' : 'stopped',
        payload: i % 2 === 0 ? { playsBefore: 0 } : { positionTicks: 200 * SECOND, runtimeTicks: RUNTIME },
        createdAt,
        seq: i + 1,
        title: film.title,
        account,
      }),
    );
    const dir = await tempDir();
    await writeFile(join(dir, 'queue.json'), JSON.stringify({ version: QUEUE_VERSION, seq: ops.length, ops, deadLetters: [] }));
    const { server } = plexAt(demo());
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: server.deliver, account, backoff: { baseMs: 50, capMs: 200 } });
    onTestFinished(() => outbox.close());
    expect((await outbox.settle({ timeoutMs: 30_000 })).settled).toBe(true);
    expect(outbox.deadLetters()).toEqual([]);
    films.forEach((film, i) => {
      if (i % 2 === 0) expect(demo().state.watch(film.ratingKey)).toMatchObject({ viewCount: 1 });
      else expect(demo().state.watch(film.ratingKey).viewOffset).toBe(200_000);
    });
    const requests = demo().journal.filter((entry) => entry.half === 'pms');
    expect(requests.length).toBeLessThanOrEqual(films.length * 1.2);
    // (one scrobble per mark, one report per stop)
    expect(requests.filter((entry) => entry.path === '/:/scrobble')).toHaveLength(films.length / 2);
    expect(requests.filter((entry) => entry.path === '/:/timeline')).toHaveLength(films.length / 2);
  });
});
