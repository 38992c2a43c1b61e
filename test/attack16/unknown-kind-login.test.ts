import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn } from '../../src/commands/login.js';
import { loadContext } from '../../src/commands/context.js';
import type { AppPaths } from '../../src/config/paths.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }] });

/** A home whose credentials.json a newer reelterm wrote: a "gopher" sign-in on `url` (the token kept, or forgotten by its logout). */
async function gopherHome(url: string, token: boolean): Promise<string> {
  const home = await tempDir();
  await mkdir(join(home, 'config'), { recursive: true });
  const file = join(home, 'config', 'credentials.json');
  await writeFile(file, JSON.stringify({ kind: 'gopher', server: url, userName: 'ann', ...(token ? { userId: 'u1', token: 'old-token' } : {}) }));
  await chmod(file, 0o600);
  return home;
}

function pathsIn(home: string): AppPaths {
  return {
    configDir: join(home, 'config'),
    dataDir: join(home, 'data'),
    stateDir: join(home, 'state'),
    runtimeDir: join(home, 'run'),
    queueFile: join(home, 'data', 'queue.json'),
    lockFile: join(home, 'data', 'queue.lock'),
    logFile: join(home, 'state', 'reelterm.log'),
  };
}

describe('a saved sign-in of a kind this reelterm does not speak, at an address where Jellyfin answers', () => {
  // DEFECT: `reelterm login --server <same address>` answers "The saved sign-in is for a "gopher"
  // server ...; sign in again with `reelterm login`" and exits 1, so the very command the message
  // names can never get the user out (a loop), although Jellyfin answers at that address; because
  // checkServerAddress's same-server shortcut (src/commands/login.ts:122-123) opens the saved kind with
  // makeServer, and openServer/kindOf (src/servers/index.ts:52-54) throws for an unknown kind instead of
  // checking the address; the error message (src/servers/index.ts:54) and issue 16 promise that signing
  // in again with `reelterm login` is the way out.
  it('reelterm login signs in as the message says to', async () => {
    const home = await gopherHome(server().url, true);
    const result = await runCli(['login', '--server', server().url, '--user', 'ann'], { home, env: { REELTERM_PASSWORD: 'correct horse' } });
    expect(result.stderr).not.toContain('does not speak to');
    expect(result.code).toBe(0);
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ kind: 'jellyfin', server: server().url, userName: 'ann' });
  });

  // DEFECT: the TUI's first-run sign-in form (shown by `reelterm` when the token is gone) never
  // answers for that address: signIn() rejects instead of resolving with a failure or success, and
  // use-sign-in.ts:95 (`void onSubmit(values).then(...)`) has no rejection handler, so the form
  // the process dies of an unhandled rejection (Node's default; nothing in src handles one); same cause as above
  // (src/commands/login.ts:123, src/servers/index.ts:54); the README says the form "checks the same
  // way and names what is wrong on the row it is about".
  it('the sign-in form is answered (signed in, or a failure it can show), never a rejection', async () => {
    const home = await gopherHome(server().url, false);
    const context = await loadContext(pathsIn(home));
    const outcome = await signIn(context, { server: server().url, user: 'ann', password: 'correct horse' }).then(
      (value) => ({ resolved: value }),
      (error: unknown) => ({ rejected: (error as Error).message }),
    );
    expect(outcome).not.toHaveProperty('rejected');
  });
});

describe('switching away from a sign-in of a kind this reelterm does not speak, with its updates queued', () => {
  // DEFECT: with a "gopher" sign-in saved (a newer reelterm's) and some of its updates queued,
  // `reelterm login` to a Jellyfin server elsewhere fails with "sign in again with `reelterm login`"
  // (exit 1): the user can sign in nowhere until the queue file is deleted by hand; because
  // accountSwitchGate (src/commands/login.ts:57) builds the previous account's deliverer with
  // makeServer outside the `.catch`, and openServer throws for an unknown kind (src/servers/index.ts:54);
  // the README (login row) promises the previous user's updates that cannot land "are kept for that
  // user ... never sent to the new account" and the switch goes ahead.
  it('signs in to the other server and keeps the other kind\'s updates', async () => {
    const { leaveQueued, queueOf } = await import('../helpers/accounts.js');
    const home = await gopherHome('http://127.0.0.1:9', true);
    const gopher = { kind: 'gopher', server: 'http://127.0.0.1:9', userId: 'u1', userName: 'ann' };
    await leaveQueued(home, gopher, [{ itemId: 'g-item', kind: 'played', title: 'A gopher film' }]);
    const result = await runCli(['login', '--server', server().url, '--user', 'ann'], { home, env: { REELTERM_PASSWORD: 'correct horse' }, timeoutMs: 60_000 });
    expect(result.stderr).not.toContain('does not speak to');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kept in the queue');
    expect(JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'))).toMatchObject({ kind: 'jellyfin', server: server().url });
    expect((await queueOf(home)).ops.map((op) => op.account)).toEqual([gopher]);
  });
});
