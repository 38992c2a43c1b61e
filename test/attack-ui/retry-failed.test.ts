import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { accountIn, leaveQueued, login, queueOf, unwatchedFilm } from '../helpers/accounts.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }, { name: 'bob', password: 'hunter2' }] });

/** A server that refused the update for good at the time (Jellyfin's own 404, the library being rescanned). */
const gone = {
  send: () => Promise.reject(new ApiError('the item no longer exists on the server (404)', { kind: 'permanent', status: 404 })),
  probe: () => Promise.resolve(),
};

describe('sync --retry-failed with failed updates of two accounts', () => {
  /**
   * bob's mark failed for good on a shared machine; ann signs in afterwards. Each `sync
   * --retry-failed` ann runs puts back only her own, then lists bob's and ends with "Retry it with
   * `reelterm sync --retry-failed`", advice that can never work for ann: the next run says "No
   * failed updates to retry." and gives the same advice again. Nothing says that only bob can
   * retry it (by signing in), so bob's mark stays failed, for ever, while ann follows the loop.
   */
  it('does not advise a retry that cannot retry the update it lists', async () => {
    const home = await tempDir();
    const demo = server();
    const ann = unwatchedFilm(demo, ['ann', 'bob']);
    const bobs = unwatchedFilm(demo, ['ann', 'bob'], [ann.id]);
    expect((await login(demo, home, 'bob', 'hunter2')).code).toBe(0);
    await leaveQueued(home, await accountIn(home), [{ itemId: bobs.id, kind: 'played', title: 'Bob Film' }], gone);
    expect((await login(demo, home, 'ann', 'correct horse')).code).toBe(0);
    await leaveQueued(home, await accountIn(home), [{ itemId: ann.id, kind: 'played', title: 'Ann Film' }], gone);
    expect((await queueOf(home)).deadLetters).toHaveLength(2);

    await runCli(["sync", "--retry-failed"], { home, timeoutMs: 60_000 });
    const second = await runCli(['sync', '--retry-failed'], { home, timeoutMs: 60_000 });

    expect(demo.userData('ann', ann.id)).toMatchObject({ Played: true });
    // The second run has nothing of ann's to retry, yet repeats the advice for bob's update.
    const again = second.stdout + second.stderr;
    expect(again).toContain('No failed updates to retry.');
    expect(again).toContain('for bob on');
    expect(again).not.toContain('Retry it with `reelterm sync --retry-failed`');
  });
});
