/**
 * plex.tv, where a Plex user signs in and finds their servers (PLEX.md §2): the PIN flow (a
 * 4-character code the user enters at plex.tv/link), the account, and the account's servers
 * with their connections and each server's own token. reelterm then talks to the server alone.
 */
import { log } from '../../log.js';
import { ApiError } from '../http/errors.js';
import { sleep } from '../http/sleep.js';
import { PlexClient } from './client.js';
import { PlexTransport, type PlexClientIdentity } from './transport.js';
import { bool, isObject, num, PlexShapeError, text, type Json } from './wire.js';

/** plex.tv's address; tests and the demo point it elsewhere. */
export const PLEX_TV = 'https://plex.tv';

/** A code to enter at plex.tv/link. */
export interface PlexPin {
  id: string;
  code: string;
  /** Epoch ms when plex.tv forgets it (15 minutes after it was made). */
  expiresAt: number;
}

/** The signed-in plex.tv account. */
export interface PlexAccount {
  id: string;
  userName: string;
}

/** A connection plex.tv lists for a server. */
export interface PlexConnection {
  uri: string;
  protocol: string;
  address: string;
  port: number;
  local: boolean;
  relay: boolean;
}

/** One of the account's servers. */
export interface PlexResource {
  name: string;
  /** The server's own id (its `machineIdentifier`). */
  clientIdentifier: string;
  owned: boolean;
  /** The token for this server (PLEX.md §2.4: not necessarily the account's). */
  accessToken: string;
  connections: PlexConnection[];
}

function toPin(reply: unknown): PlexPin {
  if (!isObject(reply)) throw new PlexShapeError('no pin');
  const id = text(reply.id);
  const code = text(reply.code);
  if (id === undefined || code === undefined) throw new PlexShapeError('no pin id or code');
  // plex.tv's `expiresAt` is on its clock; `expiresIn` counts from now on any clock (this machine's may be far off).
  const expiresIn = num(reply.expiresIn);
  const expiresAt = text(reply.expiresAt);
  const at = expiresIn !== undefined ? Date.now() + expiresIn * 1000 : expiresAt !== undefined && Number.isFinite(Date.parse(expiresAt)) ? Date.parse(expiresAt) : Date.now() + 900_000;
  return { id, code, expiresAt: at };
}

function toConnection(raw: Json): PlexConnection | undefined {
  const uri = text(raw.uri);
  const address = text(raw.address);
  const port = num(raw.port);
  if (uri === undefined || !URL.canParse(uri) || address === undefined || port === undefined) return undefined;
  return { uri: uri.replace(/\/+$/, ''), protocol: text(raw.protocol) ?? new URL(uri).protocol.replace(':', ''), address, port, local: bool(raw.local) === true, relay: bool(raw.relay) === true };
}

function toResources(reply: unknown): PlexResource[] {
  if (!Array.isArray(reply)) throw new PlexShapeError('resources are not a list');
  return reply.filter(isObject).flatMap((raw) => {
    const provides = text(raw.provides) ?? '';
    const name = text(raw.name);
    const clientIdentifier = text(raw.clientIdentifier);
    const accessToken = typeof raw.accessToken === 'string' ? raw.accessToken : undefined;
    if (!provides.split(',').includes('server') || name === undefined || clientIdentifier === undefined || accessToken === undefined) return [];
    const connections = (Array.isArray(raw.connections) ? raw.connections.filter(isObject) : []).flatMap((c) => toConnection(c) ?? []);
    return [{ name, clientIdentifier, owned: bool(raw.owned) === true, accessToken, connections }];
  });
}

/** plex.tv for this installation. */
export class PlexTv extends PlexTransport {
  constructor(options: { baseUrl?: string; identity: PlexClientIdentity; token?: string; timeoutMs?: number; insecure?: boolean }) {
    super({ ...options, baseUrl: options.baseUrl ?? PLEX_TV });
  }

  /** A new 4-character code (not the "strong" one: that is only for a browser link, PLEX.md §2.2). */
  async createPin(options: { signal?: AbortSignal } = {}): Promise<PlexPin> {
    return toPin(await this.request('POST', 'api/v2/pins', options));
  }

  /** The account token once the code was entered at plex.tv/link; undefined while it waits; `expired` once plex.tv forgot it. */
  async checkPin(pin: PlexPin, options: { signal?: AbortSignal } = {}): Promise<string | 'expired' | undefined> {
    try {
      const reply = await this.request('GET', `api/v2/pins/${encodeURIComponent(pin.id)}`, options);
      const token = isObject(reply) && typeof reply.authToken === 'string' && reply.authToken !== '' ? reply.authToken : undefined;
      return token;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return 'expired';
      throw error;
    }
  }

  /** The account the token is for; a 401 means the token is no good (PLEX.md §2.2 step 4). */
  account(options: { signal?: AbortSignal } = {}): Promise<PlexAccount> {
    return this.read('api/v2/user', options, (reply) => {
      if (!isObject(reply)) throw new PlexShapeError('no user');
      const id = text(reply.id) ?? text(reply.uuid);
      const userName = text(reply.username) ?? text(reply.title) ?? text(reply.email);
      if (id === undefined || userName === undefined) throw new PlexShapeError('no user id or name');
      return { id, userName };
    });
  }

  /** The account's servers, each with its own token and connections. */
  servers(options: { signal?: AbortSignal } = {}): Promise<PlexResource[]> {
    return this.read('api/v2/resources', { ...options, searchParams: { includeHttps: 1, includeRelay: 1 } }, toResources);
  }
}

/** Connections in the order to prefer (PLEX.md §2.4): local, remote, relay; https first; no local one of a server the user does not own. */
export function preferredConnections(resource: PlexResource): string[] {
  const rank = (c: PlexConnection) => (c.relay ? 2 : c.local ? 0 : 1) * 2 + (c.protocol === 'https' ? 0 : 1);
  const usable = resource.connections.filter((c) => resource.owned || !c.local || c.relay).sort((a, b) => rank(a) - rank(b));
  const uris: string[] = [];
  for (const c of usable) {
    uris.push(c.uri);
    // A router that blocks *.plex.direct names for private addresses (DNS rebinding protection) leaves the plain address.
    if (/\.plex\.direct(:\d+)?$/i.test(new URL(c.uri).host) && c.local) uris.push(`http://${c.address.includes(':') ? `[${c.address}]` : c.address}:${c.port}`);
  }
  return [...new Set(uris)];
}

/**
 * The first of a server's connections, in preference order, where that very server answers
 * (`/identity` names it) and takes the token: all are tried at once, and a preferred one that
 * answers later still wins over a worse one that answered first.
 */
export async function pickConnection(resource: PlexResource, identity: PlexClientIdentity, options: { timeoutMs?: number; insecure?: boolean } = {}): Promise<{ url: string } | { error: string }> {
  const candidates = preferredConnections(resource);
  if (candidates.length === 0) return { error: `plex.tv lists no connection for ${resource.name}` };
  // Once one is chosen, the worse ones still asking are stopped (they would keep the process waiting).
  const done = new AbortController();
  const tries = candidates.map(async (uri) => {
    const client = new PlexClient({ baseUrl: uri, identity, token: resource.accessToken, timeoutMs: options.timeoutMs ?? 5000, ...(options.insecure ? { insecure: true } : {}) });
    const answered = await client.identity({ signal: done.signal });
    if (answered.machineIdentifier !== resource.clientIdentifier) throw new Error(`${uri} is another server`);
    // An authenticated call too: a connection may answer /identity and refuse the token (PLEX.md §2.4).
    await client.sections({ signal: done.signal });
    return uri;
  });
  for (const attempt of tries) attempt.catch(() => undefined);
  // In preference order: the first that answers wins once every better one has failed; worse ones are not waited for.
  let first: string | undefined;
  for (const [at, attempt] of tries.entries()) {
    try {
      const url = await attempt;
      done.abort();
      return { url };
    } catch (error) {
      log.info('plex connection not usable', { uri: candidates[at], error: (error as Error).message });
      first ??= (error as Error).message;
    }
  }
  return { error: `None of ${resource.name}'s connections answered (${candidates.length} tried; first: ${first ?? 'no answer'})` };
}

/**
 * Waits for the user to enter a code at plex.tv/link: shows it (`onCode`), asks plex.tv about
 * once a second (`pollMs`), and shows a new code when one expires, until the account token
 * comes, the time runs out, or `signal` aborts. Resolves with the token or what went wrong.
 */
export async function linkAccount(plexTv: PlexTv, options: { onCode(code: string, url: string): void; signal?: AbortSignal; timeoutMs?: number; pollMs?: number }): Promise<{ token: string } | { error: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  const signal = options.signal ? { signal: options.signal } : {};
  const cancelled = { error: 'Plex sign-in cancelled; nothing was stored.' };
  try {
    let pin = await plexTv.createPin(signal);
    options.onCode(pin.code, `https://plex.tv/link/?pin=${encodeURIComponent(pin.code)}`);
    while (Date.now() < deadline) {
      if (options.signal?.aborted) return cancelled;
      await sleep(options.pollMs ?? 1000, options.signal);
      if (options.signal?.aborted) return cancelled;
      let answer: string | 'expired' | undefined;
      try {
        answer = await plexTv.checkPin(pin, signal);
      } catch (error) {
        // A hiccup while waiting is asked again; the user is still typing the code. plex.tv's
        // own wait (429 or 503 with Retry-After) is kept before the next ask.
        if (error instanceof ApiError && error.kind === 'retryable') {
          if (error.retryAfterMs !== undefined) await sleep(Math.min(error.retryAfterMs, Math.max(0, deadline - Date.now())), options.signal);
          continue;
        }
        throw error;
      }
      if (answer === 'expired' || (answer === undefined && Date.now() >= pin.expiresAt)) {
        pin = await plexTv.createPin(signal);
        options.onCode(pin.code, `https://plex.tv/link/?pin=${encodeURIComponent(pin.code)}`);
        continue;
      }
      if (answer !== undefined) return { token: answer };
    }
    return { error: 'No code was entered at plex.tv/link in time; nothing was stored. Run it again when you are ready.' };
  } catch (error) {
    if (options.signal?.aborted) return cancelled;
    return { error: `Plex sign-in failed: ${(error as Error).message}` };
  }
}
