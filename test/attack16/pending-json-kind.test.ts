import { describe, expect, it } from 'vitest';
import { leaveQueued, queueFileOf } from '../helpers/accounts.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

describe('reelterm --pending --json: whose each update is', () => {
  // DEFECT: `reelterm --pending --json` gives each update's account as { server, userId, userName }
  // only: no `kind`, no `serverId`, so a script cannot tell a Jellyfin account's updates from another
  // kind's, or a moved server's; because jsonAccount (src/commands/pending.ts:31-33) still builds the
  // pre-issue-16 shape; the README (--pending --json row) promises "each update has its `account`
  // (`{ kind, serverId, server, userId, userName }`: the kind of server, "jellyfin", and the server's own id".
  it('names the kind of server and its id', async () => {
    const home = await tempDir();
    await leaveQueued(home, { kind: 'jellyfin', serverId: 'srv-1', server: 'http://127.0.0.1:9', userId: 'u1', userName: 'ann' }, [{ itemId: 'item-1', kind: 'played', title: 'A film' }]);
    const result = await runCli(['--pending', '--json'], { home });
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { file: string; pending: Array<{ account: unknown }> };
    expect(body.file).toBe(queueFileOf(home));
    expect(body.pending).toHaveLength(1);
    expect(body.pending[0]!.account).toEqual({ kind: 'jellyfin', serverId: 'srv-1', server: 'http://127.0.0.1:9', userId: 'u1', userName: 'ann' });
  });
});
