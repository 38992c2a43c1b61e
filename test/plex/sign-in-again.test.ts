import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createServices } from '../../src/commands/services.js';
import type { SignedInUser } from '../../src/servers/types.js';
import { openPlex } from '../../src/servers/plex/index.js';
import { openOutbox } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// `L` on a Plex server whose token was revoked: the app's services sign in again with a code
// for plex.tv/link, for this same server, and carry on with its new token (queued updates
// included). The demo Plex server's two halves stand in for the server and plex.tv.

const demo = usePlexDemo();

describe('signing in again to a Plex server from the app', () => {
  it('takes a code for plex.tv/link, keeps the server’s new token, and sends what waited', async () => {
    const { server } = openPlex({ baseUrl: demo().url, plexTvUrl: demo().plexTvUrl, identity: { clientIdentifier: 'test-install', version: '0.1.0', deviceName: 'test' }, token: demo().owner.serverToken, timeoutMs: 5000 });
    const dir = await tempDir();
    const account = { kind: server.kind, server: server.url, userId: String(demo().owner.id), userName: demo().owner.username };
    const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: server.deliver, account, backoff: { baseMs: 50, capMs: 200 } });
    onTestFinished(() => outbox.close());
    const saved: SignedInUser[] = [];
    const services = createServices({ server, outbox, launch: () => Promise.reject(new Error('no playing here')), syncWaitMs: 1000, who: 'test', account, onSignedIn: (user) => saved.push(user) });
    expect(services.signIn.codeLink).toBeDefined();

    // Given the token was revoked (the account signed out everywhere), and a mark waits in the queue
    const films = (await services.library.userViews()).find((view) => view.collectionType === 'movies')!;
    demo().faults.revokeTokens();
    await expect(services.library.items({ parentId: films.id, startIndex: 0, limit: 5 })).rejects.toMatchObject({ kind: 'auth' });
    expect(services.signIn.state().signedOut).toBe(true);
    const film = demo().library.first('movie');
    await services.setWatched({ id: film.ratingKey, name: film.title, type: 'Movie', isFolder: false, userData: { positionTicks: 0, played: false, playCount: 0 } }, true);
    await eventually(() => expect(outbox.status().state).toBe('auth'), 10_000);

    // When the user signs in again with a code entered at plex.tv/link
    const error = await services.signIn.codeLink!((code) => void setTimeout(() => demo().linkPin(code), 200), new AbortController().signal);
    // Then the server's new token is kept (to be saved), browsing works, and the mark lands
    expect(error).toBeUndefined();
    expect(saved).toEqual([expect.objectContaining({ token: demo().owner.serverToken, userId: String(demo().owner.id) })]);
    expect((await services.library.items({ parentId: films.id, startIndex: 0, limit: 5 })).items).toHaveLength(5);
    expect((await outbox.settle({ timeoutMs: 10_000 })).settled).toBe(true);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  }, 60_000);
});
