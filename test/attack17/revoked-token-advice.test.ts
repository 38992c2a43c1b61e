import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NoopPlexDeliver } from './noop-deliver.js';
import { openOutbox } from '../../src/sync/index.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// DEFECT: a Plex user whose token was revoked (signed out of all devices on plex.tv) runs
// `reelterm sync` and is told "sign-in refused; run `reelterm login`" (and, for the kept updates,
// "`reelterm login`, then `reelterm sync --retry-failed`"). `reelterm login` without `--plex` is
// the Jellyfin sign-in: it asks for a user name and password that Plex does not have, and never
// signs the Plex account back in. Suspected cause: src/commands/sync.ts:123 and :164 (also
// src/commands/app.ts:153, src/commands/services.ts:259, src/commands/run-sync.ts:22) word the
// advice for Jellyfin only, whatever `credentials.kind`. The issue: Plex signs in with
// `reelterm login --plex` (src/cli.ts:124).

const demo = usePlexDemo();

describe('reelterm sync after the Plex token was revoked', () => {
  it('tells the user to sign in again with `reelterm login --plex`', async () => {
    const home = await tempDir();
    const signedIn = await runCli(['login', '--plex', '--server', demo().url, '--token'], { home, env: { REELTERM_PLEX_TOKEN: demo().owner.serverToken } });
    expect(signedIn, signedIn.stderr).toMatchObject({ code: 0 });
    const saved = JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8')) as { server: string; serverId: string; userId: string; userName: string };
    // An update waits in the queue, as a played mark made in the app would
    const film = demo().library.first('movie');
    const { outbox } = await openOutbox({
      queueFile: join(home, 'data', 'queue.json'),
      lockFile: join(home, 'data', 'queue.lock'),
      deliver: new NoopPlexDeliver(),
      account: { kind: 'plex', server: saved.server, serverId: saved.serverId, userId: saved.userId, userName: saved.userName },
    });
    const handle = await outbox.enqueue({ itemId: film.ratingKey, kind: 'played', title: film.title });
    await handle.persisted;
    await outbox.close();
    // Then plex.tv revokes every token
    demo().faults.revokeTokens();
    const sync = await runCli(['sync', '--timeout', '5'], { home });
    expect(sync.code).not.toBe(0);
    const said = sync.stdout + sync.stderr;
    expect(said).toMatch(/reelterm login/);
    expect(said).not.toMatch(/`reelterm login`/);
    expect(said).toContain('reelterm login --plex');
  }, 60_000);
});
