import { describe, expect, it } from 'vitest';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { op, plexAt, SECOND } from './sync-helpers.js';

// DEFECT: the server's admin stops the user's stream from the Plex dashboard ("Admin terminated
// playback with reason: …"); reelterm's next timeline reply carries terminationCode/Text, which
// it ignores: it keeps reporting `playing`, so the session reappears on the admin's dashboard
// (a zombie session) and the user never sees the admin's message. Suspected cause:
// src/servers/plex/client.ts:109-131 `timeline()` sends with expect 'empty' and never reads the
// reply (src/servers/plex/transport.ts:171-179 only checks it is a MediaContainer);
// src/servers/plex/deliver.ts has no notion of a terminated session. PLEX.md §5.1: "On a
// termination code stop sending playing/paused (it re-creates a zombie session) and send one
// final stopped".

const demo = usePlexDemo();

describe('a playback the server\'s admin terminated', () => {
  it('is not re-opened by the reports that follow', async () => {
    const film = demo().library.first('movie');
    const { server } = plexAt(demo());
    const context = () => ({ signal: new AbortController().signal, now: Date.now() });
    const report = (seconds: number) => op({ itemId: film.ratingKey, kind: 'progress', payload: { positionTicks: seconds * SECOND, runtimeTicks: 600 * SECOND, playSessionId: 'kicked' } });
    expect(await server.deliver.send(op({ itemId: film.ratingKey, kind: 'started', payload: { positionTicks: 90 * SECOND, runtimeTicks: 600 * SECOND, playSessionId: 'kicked' } }), context())).toBe('delivered');
    await server.deliver.send(report(100), context());
    expect(demo().state.sessions()).toHaveLength(1);
    expect(demo().state.terminate({ code: 2006, text: 'Admin terminated playback with reason: maintenance tonight' })).toBe(1);
    // The next report learns of it (the reply carries terminationCode); playback reports keep coming
    await server.deliver.send(report(110), context());
    await server.deliver.send(report(120), context());
    await server.deliver.send(report(130), context());
    expect(demo().state.sessions()).toEqual([]);
  });
});
