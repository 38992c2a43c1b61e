import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';
import type { Deliver } from '../../src/sync/deliver.js';
import type { OpAccount, OpInput, QueueData } from '../../src/sync/op.js';
import { runCli } from './run-cli.js';

/** `reelterm login` as `user` on the demo server, the password through REELTERM_PASSWORD. */
export function login(server: DemoServer | string, home: string, user: string, password: string, extra: string[] = []) {
  const url = typeof server === 'string' ? server : server.url;
  return runCli(['login', '--server', url, '--user', user, ...extra], { home, env: { REELTERM_PASSWORD: password }, timeoutMs: 60_000 });
}

/** What `credentials.json` holds ({} when there is none). */
export async function savedCredentials(home: string): Promise<{ server?: string; userId?: string; userName?: string; token?: string }> {
  return JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8').catch(() => '{}'));
}

/** The account of the sign-in saved in `home`, as the queue records it. */
export async function accountIn(home: string): Promise<OpAccount> {
  const saved = await savedCredentials(home);
  if (saved.server === undefined || saved.userId === undefined || saved.userName === undefined) throw new Error(`nobody is signed in in ${home}`);
  return { server: saved.server, userId: saved.userId, userName: saved.userName };
}

export const queueFileOf = (home: string) => join(home, 'data', 'queue.json');

const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));

/**
 * Queues updates as a reelterm signed in as `account` that could not reach the server would
 * have left them (or, with `deliver`, as one whose server answered that way).
 */
export async function leaveQueued(home: string, account: OpAccount | undefined, updates: OpInput[], deliver: Deliver = { send: refused, probe: refused }) {
  await mkdir(join(home, 'data'), { recursive: true });
  const { outbox } = await openOutbox({ queueFile: queueFileOf(home), lockFile: join(home, 'data', 'queue.lock'), deliver, ...(account ? { account } : {}) });
  for (const update of updates) await outbox.enqueue(update);
  // Let the engine try each once (a refusal keeps it queued; a `deliver` may dead-letter it).
  await new Promise((resolve) => setTimeout(resolve, 100));
  await outbox.close();
}

/** The queue file as written. */
export async function queueOf(home: string): Promise<QueueData> {
  return JSON.parse(await readFile(queueFileOf(home), 'utf8')) as QueueData;
}

/** Merges `patch` into `config.json` (the sign-in wrote its deviceId there). */
export async function setSettings(home: string, patch: Record<string, unknown>): Promise<void> {
  const file = join(home, 'config', 'config.json');
  const current = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  await mkdir(join(home, 'config'), { recursive: true });
  await writeFile(file, JSON.stringify({ ...current, ...patch }));
}

/** A film nobody has watched yet on the server (per user), `skip` ones already picked. */
export function unwatchedFilm(server: DemoServer, users: string[], skip: string[] = []) {
  return server.library.first('Movie', (m) => !skip.includes(m.id) && users.every((u) => server.userData(u, m.id).Played !== true));
}
