import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { accountIn, leaveQueued, login, queueFileOf, queueOf, unwatchedFilm } from '../helpers/accounts.js';

// Issue 12, item 7 and the command-line retry of item 6: updates that expired or failed for good
// are reported by `reelterm sync` (what, where they are kept, how to retry), and
// `reelterm sync --retry-failed` puts them back.

const server = useDemoServer({ users: [{ name: 'ann', password: 'ann-pw' }] });
const DAY_MS = 24 * 60 * 60 * 1000;

describe('failed and expired updates', () => {
  it('are reported by sync, with where they are kept and how to retry, and --retry-failed delivers what can land', async () => {
    // Given a mark made 40 days ago (never replayed blindly) and a mark of an item the server does not have
    const home = await tempDir();
    expect((await login(server(), home, 'ann', 'ann-pw')).code).toBe(0);
    const film = unwatchedFilm(server(), ['ann']);
    const gone = randomBytes(16).toString('hex');
    await leaveQueued(home, await accountIn(home), [
      { itemId: film.id, kind: 'played', title: film.name, at: new Date(Date.now() - 40 * DAY_MS) },
      { itemId: gone, kind: 'played', title: 'Deleted Film' },
    ]);

    // When the user syncs
    const first = await runCli(['sync'], { home });
    // Then both end as dead letters, and sync says so, where they are, and how to retry them
    expect(first.code).toBe(1);
    expect(first.stdout).toBe('');
    const report = [
      `1 update failed and 1 expired (older than 30 days: not replayed blindly); they are kept in ${queueFileOf(home)}:`,
      `  ${film.name} · played · expired: Not sent: older than 30 days (by the server's clock); retry it to send it anyway`,
      `  Deleted Film · played · ${server().url}: the item no longer exists on the server (404)`,
      'Retry them with `reelterm sync --retry-failed` (`reelterm --pending` lists them).',
    ].join('\n');
    expect(first.stderr).toBe(`${report}\n`);
    expect(server().userData('ann', film.id)).toMatchObject({ Played: false });

    // When the user syncs again, with nothing else queued
    const again = await runCli(['sync'], { home });
    // Then it does not say "Nothing pending.": it says the same, and exits 1 while they remain
    expect(again).toMatchObject({ code: 1, stdout: '', stderr: `${report}\n` });

    // When the user retries them
    const retried = await runCli(['sync', '--retry-failed'], { home });
    // Then the expired mark is delivered whatever its age, and the one the server refuses is kept and reported again
    expect(retried.code).toBe(1);
    expect(retried.stdout).toBe('');
    expect(retried.stderr).toBe([
      'Put 2 failed updates back in the queue.',
      `Synced 1 update to ${server().url}.`,
      `1 update failed; it is kept in ${queueFileOf(home)}:`,
      `  Deleted Film · played · ${server().url}: the item no longer exists on the server (404)`,
      'Retry it with `reelterm sync --retry-failed` (`reelterm --pending` lists it).',
      '',
    ].join('\n'));
    expect(server().userData('ann', film.id)).toMatchObject({ Played: true });
    const queue = await queueOf(home);
    expect(queue.ops).toEqual([]);
    expect(queue.deadLetters.map((d) => [d.op.itemId, d.reason])).toEqual([[gone, 'permanent']]);
  });

  it('--retry-failed delivers every dead letter and exits 0 once they all land', async () => {
    const home = await tempDir();
    expect((await login(server(), home, 'ann', 'ann-pw')).code).toBe(0);
    const film = unwatchedFilm(server(), ['ann']);
    await leaveQueued(home, await accountIn(home), [{ itemId: film.id, kind: 'played', title: film.name, at: new Date(Date.now() - 31 * DAY_MS) }]);
    expect((await runCli(['sync'], { home })).stderr).toContain('1 update expired (older than 30 days: not replayed blindly); it is kept in');
    const result = await runCli(['sync', '--retry-failed'], { home });
    expect(result).toMatchObject({ code: 0, stdout: `Put 1 failed update back in the queue.\nSynced 1 update to ${server().url}.\n`, stderr: '' });
    expect(server().userData('ann', film.id)).toMatchObject({ Played: true });
    expect((await runCli(['sync'], { home }))).toMatchObject({ code: 0, stdout: 'Nothing pending.\n' });
  });

  it('--help names --retry-failed', async () => {
    const home = await tempDir();
    const help = await runCli(['sync', '--help'], { home });
    expect(help.stdout).toMatch(/--retry-failed\s+send failed and expired updates again too/);
    const logoutHelp = await runCli(['logout', '--help'], { home });
    expect(logoutHelp.stdout).toMatch(/--forget\s+forget the token even if it cannot be revoked/);
  });
});
