// What the user sees: `reelterm --pending` (the table) says "2 pending updates: … for demo on
// http://127.0.0.1:32400" and, when the queue holds a Plex account's and a Jellyfin account's
// updates, a FOR column of "demo on http://…" for both: nothing says which updates are Plex's and
// which Jellyfin's (two servers on one host, one user name, read the same).
// Expected (issue 18): "`--pending` names the server kind and account of each update", in the
// table as in `--json` (which does carry `kind`).
// Suspected: src/commands/format.ts `accountLabel()` ("<user> on <server>") and
// src/commands/pending.ts `accountCell()` / the `for …` heading never use `account.kind`.
import { describe, expect, it } from 'vitest';
import { pendingCommand } from '../../src/commands/pending.js';
import { leaveQueued, queueFileOf } from '../helpers/accounts.js';
import { tempDir } from '../helpers/temp-home.js';

describe('reelterm --pending (table) with Plex updates', () => {
  it('names the kind of server of each update', async () => {
    const home = await tempDir();
    const plex = { kind: 'plex', serverId: 'machine-1', server: 'http://127.0.0.1:32400', userId: '1001', userName: 'demo' };
    const jellyfin = { kind: 'jellyfin', serverId: 'jf-1', server: 'http://127.0.0.1:8096', userId: 'u-1', userName: 'demo' };
    await leaveQueued(home, plex, [{ itemId: '101', kind: 'played', title: 'Alien (1979)' }]);
    const onlyPlex = await pendingCommand({ queueFile: queueFileOf(home), json: false, width: 200 });
    expect(onlyPlex.stdout).toMatch(/plex/i);
    await leaveQueued(home, jellyfin, [{ itemId: 'f-1', kind: 'played', title: 'Heat (1995)' }]);
    const both = await pendingCommand({ queueFile: queueFileOf(home), json: false, width: 200 });
    const row = (title: string) => both.stdout.split('\n').find((line) => line.includes(title)) ?? '';
    expect(row('Alien (1979)')).toMatch(/plex/i);
    expect(row('Heat (1995)')).toMatch(/jellyfin/i);
  });
});
