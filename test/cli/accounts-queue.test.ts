import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { accountIn, leaveQueued, login, queueOf, unwatchedFilm } from '../helpers/accounts.js';

// Issue 12, item 5: the queue file may hold updates of several accounts (credentials.json lost
// or moved aside, then someone else signed in). Each update lands only on its own account.

const server = useDemoServer({ users: [{ name: 'alice', password: 'alice-pw' }, { name: 'bob', password: 'bob-pw' }] });

const picked: string[] = [];
function freshFilm() {
  const film = unwatchedFilm(server(), ['alice', 'bob'], picked);
  picked.push(film.id);
  return film;
}

/** A home whose queue holds two marks of alice's and one of bob's, with bob signed in. */
async function mixedQueue() {
  const home = await tempDir();
  // alice signed in, queued two marks, and then her credentials.json was lost
  expect((await login(server(), home, 'alice', 'alice-pw')).code).toBe(0);
  const alice = await accountIn(home);
  const [a1, a2, b1] = [freshFilm(), freshFilm(), freshFilm()];
  await leaveQueued(home, alice, [{ itemId: a1.id, kind: 'played', title: a1.name }, { itemId: a2.id, kind: 'played', title: a2.name }]);
  await rm(join(home, 'config', 'credentials.json'));
  // bob signs in and queues one of his own
  expect((await login(server(), home, 'bob', 'bob-pw')).code).toBe(0);
  const bob = await accountIn(home);
  await leaveQueued(home, bob, [{ itemId: b1.id, kind: 'played', title: b1.name }]);
  return { home, alice, bob, a1, a2, b1 };
}

describe('a queue holding updates of two accounts', () => {
  it('tells the user signing in whose updates are kept', async () => {
    const home = await tempDir();
    expect((await login(server(), home, 'alice', 'alice-pw')).code).toBe(0);
    const film = freshFilm();
    await leaveQueued(home, await accountIn(home), [{ itemId: film.id, kind: 'played', title: film.name }]);
    await rm(join(home, 'config', 'credentials.json'));
    const result = await login(server(), home, 'bob', 'bob-pw');
    expect(result).toMatchObject({
      code: 0,
      stdout: `Signed in to ${server().url} as bob.\n1 update of alice on ${server().url} is kept in the queue: it syncs when alice signs in again.\n`,
    });
  });

  it('sync delivers only the signed-in account\'s, names the others, and --pending shows whose each is', async () => {
    const { home, alice, bob, a1, a2, b1 } = await mixedQueue();

    // When bob syncs
    const sync = await runCli(['sync'], { home });
    // Then only his mark lands, on his account, and alice's are named, not failed
    expect(sync).toMatchObject({
      code: 0,
      stdout: `Synced 1 update to ${server().url}.\n2 updates for alice on ${server().url} wait for that account to sign in.\n`,
      stderr: '',
    });
    expect(server().userData('bob', b1.id)).toMatchObject({ Played: true });
    for (const film of [a1, a2]) {
      expect(server().userData('bob', film.id)).toMatchObject({ Played: false });
      expect(server().userData('alice', film.id)).toMatchObject({ Played: false });
    }
    expect((await queueOf(home)).ops.map((op) => [op.itemId, op.account?.userName])).toEqual([[a1.id, 'alice'], [a2.id, 'alice']]);

    // And --pending says whose they are (one account left: in the heading)...
    const alone = await runCli(['--pending'], { home });
    expect(alone.stdout.split('\n')[0]).toBe(`2 pending updates for alice on ${server().url}:`);
    // ...and as JSON for scripts
    const json = JSON.parse((await runCli(['--pending', '--json'], { home })).stdout);
    expect(json.pending.map((op: { itemId: string; account: unknown }) => [op.itemId, op.account])).toEqual([[a1.id, alice], [a2.id, alice]]);

    // When alice signs in again and syncs
    const back = await login(server(), home, 'alice', 'alice-pw');
    expect(back.stdout).toBe(`Signed in to ${server().url} as alice. 2 queued updates will sync now: run \`reelterm sync\` or start reelterm.\n`);
    expect(await runCli(['sync'], { home })).toMatchObject({ code: 0, stdout: `Synced 2 updates to ${server().url}.\n` });
    // Then hers land on her account, never on bob's
    for (const film of [a1, a2]) {
      expect(server().userData('alice', film.id)).toMatchObject({ Played: true });
      expect(server().userData('bob', film.id)).toMatchObject({ Played: false });
    }
    expect(bob.userId).not.toBe(alice.userId);
  });

  it('--pending lists each update\'s account when the queue holds more than one', async () => {
    const { home, alice, bob, a1, b1 } = await mixedQueue();
    const result = await runCli(['--pending'], { home });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('3 pending updates:');
    expect(lines[1]).toMatch(/^ITEM\s+KIND\s+POSITION\s+AGE\s+ATTEMPTS\s+NEXT RETRY\s+LAST ERROR\s+FOR$/);
    expect(lines.find((line) => line.startsWith(a1.name))).toMatch(new RegExp(`alice on ${server().url}$`));
    expect(lines.find((line) => line.startsWith(b1.name))).toMatch(new RegExp(`bob on ${server().url}$`));
    const json = JSON.parse((await runCli(['--pending', '--json'], { home })).stdout);
    expect(json.pending.map((op: { account: { userName: string } }) => op.account.userName)).toEqual(['alice', 'alice', 'bob']);
    expect(json.pending[2].account).toEqual(bob);
    expect(json.pending[0].account).toEqual(alice);
  });

  it('sync exits 1 while the signed-in account\'s updates cannot land, and still names the others', async () => {
    const { home } = await mixedQueue();
    await server().faults.offline();
    const result = await runCli(['sync', '--timeout', '10'], { home, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^1 update still queued \\(Cannot reach .*\\)\\.\\n2 updates for alice on ${server().url.replace(/\./g, '\\.')} wait for that account to sign in\\.\\n$`));
  }, 90_000);
});
