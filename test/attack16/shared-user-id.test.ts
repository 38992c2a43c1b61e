import { describe, expect, it } from 'vitest';
import { leaveQueued, login, queueOf, savedCredentials } from '../helpers/accounts.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'pw' }] });

/**
 * ann signed in to the demo server, with an update of another account queued first for the same
 * item: an account with the same user id on another server (`other`), which sameAccount says is not hers.
 */
async function homeWithAnother(other: (mine: { server: string; userId: string; serverId?: string }) => { kind: string; server: string; serverId?: string; userId: string; userName: string }) {
  const home = await tempDir();
  expect((await login(server(), home, 'ann', 'pw')).code).toBe(0);
  const saved = (await savedCredentials(home)) as { server: string; userId: string; serverId?: string };
  const film = server().library.first('Movie');
  const theirs = other(saved);
  const mine = { kind: 'jellyfin', server: saved.server, userId: saved.userId, userName: 'ann', ...(saved.serverId ? { serverId: saved.serverId } : {}) };
  await leaveQueued(home, theirs, [{ itemId: film.id, kind: 'played', title: 'Theirs' }]);
  await leaveQueued(home, mine, [{ itemId: film.id, kind: 'played', title: 'Mine' }]);
  return { home, film, theirs };
}

describe('one queue, two accounts that share a user id', () => {
  // DEFECT: `reelterm sync` (and the app's footer) leaves the signed-in user's update of an item
  // "still queued (the server did not answer in time)" for ever, sending nothing although the server
  // is up, whenever the queue holds an older update of the same item for another account that has the
  // same user id (another kind whose account ids hold on every server, like Plex's, or the same
  // Jellyfin user on another server id); because the write-first rule keys items by user id alone
  // (itemKey in src/sync/queue-writer.ts:27-28) and safeToSend (queue-writer.ts:141) waits for the other
  // account's op, which never leaves; docs/ARCHITECTURE.md promises "two kinds and two accounts share
  // one queue file, each delivered only to its own (sameAccount)", and the README that another
  // account's updates are kept and never hold up the signed-in one's.
  it.each([
    ['another kind of server', (mine: { userId: string }) => ({ kind: 'gopher', server: 'gopher://media.example', userId: mine.userId, userName: 'ann' })],
    ['another Jellyfin server id', (mine: { userId: string }) => ({ kind: 'jellyfin', serverId: 'another-server-id', server: 'http://old-box:8096', userId: mine.userId, userName: 'ann' })],
  ])('the signed-in account\'s update syncs, and %s\'s stays queued', async (_what, other) => {
    const { home, film, theirs } = await homeWithAnother(other);
    const result = await runCli(['sync', '--timeout', '10'], { home, timeoutMs: 60_000 });
    expect(result.stdout + result.stderr).toContain('Synced 1 update');
    expect(result.code).toBe(0);
    expect(server().userData('ann', film.id).Played).toBe(true);
    expect((await queueOf(home)).ops.map((op) => op.account)).toEqual([theirs]);
  });
});
