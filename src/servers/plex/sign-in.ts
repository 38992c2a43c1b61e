/**
 * Signing in to a Plex server (PLEX.md §2): with a code entered at plex.tv/link, then one of
 * the account's servers, reached through the best of its connections and with its own token;
 * or straight to a server's address with a token the user has (scripts, headless machines).
 */
import { createHash } from 'node:crypto';
import { log } from '../../log.js';
import type { SignedInUser } from '../types.js';
import { PlexClient } from './client.js';
import { linkAccount, pickConnection, PlexTv, type PlexResource } from './plex-tv.js';
import type { PlexClientIdentity } from './transport.js';

/** A Plex sign-in, ready to store: the server's address and the server's own token. */
export interface PlexSignedIn extends SignedInUser {
  serverUrl: string;
  serverName: string;
}

/** One of the account's servers, as the user chooses among them. */
export interface PlexServerChoice {
  name: string;
  owned: boolean;
  /** The connection that answered as this server and took its token, or why none did. */
  reached: { url: string } | { error: string };
}

export interface PlexSignInOptions {
  identity: PlexClientIdentity;
  /** plex.tv's address (tests and the demo point it at a server of their own). */
  plexTvUrl?: string;
  timeoutMs?: number;
  insecure?: boolean;
  /** Shows the code and where to enter it. */
  onCode(code: string, url: string): void;
  /** Picks the server among the account's (`--server NAME` or a question); undefined stops. */
  chooseServer(servers: readonly PlexServerChoice[]): Promise<number | undefined>;
  /** Says which connection answered, or why none did. */
  say?(line: string): void;
  signal?: AbortSignal;
  /** How long to wait for the code to be entered (default 15 minutes). */
  linkTimeoutMs?: number;
  pollMs?: number;
}

/** Signs in with a code entered at plex.tv/link, then to one of the account's servers. */
export async function signInWithPlexTv(options: PlexSignInOptions): Promise<PlexSignedIn | { error: string }> {
  const plexTv = new PlexTv({ identity: options.identity, ...(options.plexTvUrl ? { baseUrl: options.plexTvUrl } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  const linked = await linkAccount(plexTv, {
    onCode: options.onCode,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.linkTimeoutMs !== undefined ? { timeoutMs: options.linkTimeoutMs } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  });
  if ('error' in linked) return linked;
  plexTv.setToken(linked.token);
  let account;
  let servers: PlexResource[];
  try {
    [account, servers] = await Promise.all([plexTv.account(), plexTv.servers()]);
  } catch (error) {
    return { error: `Signed in to plex.tv, but could not list your servers: ${(error as Error).message}` };
  }
  if (servers.length === 0) return { error: `The Plex account ${account.userName} has no server it can reach. Sign in to a Plex Media Server with it first, or ask its owner to share one.` };
  // Every server's connections are tried at once, so the list says which one answers for each.
  const reached = await Promise.all(servers.map((server) => pickConnection(server, options.identity, { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.insecure ? { insecure: true } : {}) })));
  const index = await options.chooseServer(servers.map((server, at) => ({ name: server.name, owned: server.owned, reached: reached[at]! })));
  const resource = index === undefined ? undefined : servers[index];
  if (resource === undefined) return { error: 'No server chosen; nothing was stored.' };
  const picked = reached[index!]!;
  if ('error' in picked) return picked;
  options.say?.(`${resource.name} answers at ${picked.url}`);
  log.info('plex server chosen', { server: resource.name, url: picked.url });
  return { serverUrl: picked.url, serverName: resource.name, serverId: resource.clientIdentifier, token: resource.accessToken, userId: account.id, userName: account.userName };
}

/**
 * Signs in to a server's address with a token the user already has: the server must be Plex
 * and take the token. The account is plex.tv's, when the token is an account's; a server's
 * own token (a shared server's) names no account there, so its user is the token's own.
 */
export async function signInWithToken(options: { serverUrl: string; token: string; identity: PlexClientIdentity; plexTvUrl?: string; timeoutMs?: number; insecure?: boolean }): Promise<PlexSignedIn | { error: string }> {
  const client = new PlexClient({ baseUrl: options.serverUrl, identity: options.identity, token: options.token, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.insecure ? { insecure: true } : {}) });
  let identity;
  try {
    identity = await client.identity();
  } catch (error) {
    // What answered, not what it means for an item: the address may be another program's.
    const status = (error as { status?: number }).status;
    if (status === undefined) return { error: `${(error as Error).message} (Plex listens on port 32400 unless it was changed).` };
    return { error: `${client.baseUrl} is not a Plex Media Server (it answered ${status}); Plex listens on port 32400 unless it was changed.` };
  }
  try {
    await client.sections();
  } catch (error) {
    const refused = (error as { kind?: unknown }).kind === 'auth';
    return { error: refused ? `${client.baseUrl} does not take that token (401): check it, or sign in with \`reelterm login --plex\` and a code.` : `Sign-in failed: ${(error as Error).message}` };
  }
  const plexTv = new PlexTv({ identity: options.identity, token: options.token, ...(options.plexTvUrl ? { baseUrl: options.plexTvUrl } : {}), timeoutMs: options.timeoutMs ?? 5000 });
  const account = await plexTv.account().catch(() => undefined);
  const own = `token-${createHash('sha256').update(options.token).digest('hex').slice(0, 16)}`;
  return {
    serverUrl: client.baseUrl,
    serverName: client.baseUrl,
    serverId: identity.machineIdentifier,
    token: options.token,
    userId: account?.id ?? own,
    userName: account?.userName ?? 'Plex user',
  };
}
