import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { op, outboxAt, plexAt, SECOND } from './sync-helpers.js';

// DEFECT: a playback report the user puts back (`reelterm sync --retry-failed`, the sync
// screen's retry: `anyAge`) a day after it was made is sent as a live `playing` report: the
// server opens a "Now Playing" session for a playback that ended long ago (the owner's
// dashboard, /status/sessions) and nothing ever closes it. Suspected cause:
// src/servers/plex/deliver.ts:33 `live = … || op.anyAge === true` treats a put-back op as live,
// so :45-49 send `state=playing` without offline=1 (and a put-back `started` is sent at :40).
// PLEX.md §0.8 and §5.4: "never replay a queued `playing` report late"; a late position goes as
// one `stopped` with offline=1.

const demo = usePlexDemo();

describe('a progress report that failed, put back by the user a day later', () => {
  it('leaves no open "Now Playing" session on the server', async () => {
    const film = demo().library.first('movie');
    const { outbox, clock } = await outboxAt(demo());
    // The server refuses the live report once (its own 400 page): the update becomes a failed one
    demo().faults.status(400, { times: 1 });
    const handle = await outbox.enqueue({ itemId: film.ratingKey, kind: 'progress', title: film.title, payload: { positionTicks: 300 * SECOND, runtimeTicks: 600 * SECOND, playSessionId: 'sitting-1', urgent: true } });
    expect(await handle.outcome).toBe('dead-lettered');
    expect(demo().state.sessions()).toEqual([]);
    // A day later the user retries the failed updates
    clock.shift = 24 * 3600_000;
    expect(await outbox.retryDeadLetters()).toBe(1);
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    await eventually(() => expect(demo().journal.filter((entry) => entry.path === '/:/timeline' && entry.status === 200)).toHaveLength(1));
    expect(demo().state.sessions()).toEqual([]);
  });

  it('a put-back start report opens no session either', async () => {
    const film = demo().library.first('movie');
    const { server } = plexAt(demo());
    const aDayAgo = new Date(Date.now() - 24 * 3600_000).toISOString();
    const late = op({ itemId: film.ratingKey, kind: 'started', createdAt: aDayAgo, anyAge: true, payload: { positionTicks: 0, runtimeTicks: 600 * SECOND, playSessionId: 'sitting-2' } });
    await server.deliver.send(late, { signal: new AbortController().signal, now: Date.now() });
    expect(demo().state.sessions().filter((session) => session.sessionIdentifier === 'sitting-2')).toEqual([]);
  });
});
