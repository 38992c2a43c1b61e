import { openJellyfin, JELLYFIN } from './jellyfin/index.js';
import { checkServer } from './jellyfin/server-address.js';
import { openPlex, PLEX } from './plex/index.js';
import type { PlexClientIdentity } from './plex/transport.js';
import type { MediaServer } from './types.js';

// The one place that picks a server kind: the rest of reelterm knows "a media server" through
// `MediaServer` (./types.ts) and names no kind. A new kind adds its folder beside ./jellyfin and
// its entry in KINDS; the queue and the saved sign-in record the kind's name. Its demo server,
// if it has one, is started through ./demos.ts, so no command that opens a real server loads it.

export type { LibraryQuery, LibrarySource, MediaItem, MediaServer, QuickConnectOptions, SignedInUser, WatchState } from './types.js';
export { parseServerAddress, SERVER_ADDRESS_EXAMPLE } from './address.js';

/** How to reach a server and who this installation is. */
export interface ConnectOptions {
  /** The server's base address. */
  serverUrl: string;
  /** Stable per installation (a server keeps one token per user and device). */
  deviceId: string;
  deviceName: string;
  clientVersion: string;
  timeoutMs: number;
  /** Accept a TLS certificate that is not trusted (`--insecure`). */
  insecure: boolean;
  /** Where a kind's account service is, when not its public one (plex.tv; tests and the demo point it elsewhere). */
  accountServiceUrl?: string;
  /** A saved sign-in. */
  token?: string;
  userId?: string;
}

/** What answered at an address: a server of a kind reelterm speaks, or what is wrong, worded for a person. */
export type AddressCheck = { ok: true; kind: string; url: string } | { ok: false; error: string; why: 'unreachable' | 'unavailable' | 'other' };

/** A kind of server reelterm speaks. */
interface ServerKind {
  open(options: ConnectOptions): MediaServer;
  /** Whether a server of this kind answers at the address (asked before any name or password goes there). */
  check(options: ConnectOptions): Promise<AddressCheck>;
}

/** This installation as Plex knows it: its device id is Plex's client identifier (PLEX.md §2.1). */
function plexIdentity(options: Pick<ConnectOptions, 'deviceId' | 'deviceName' | 'clientVersion'>): PlexClientIdentity {
  return { clientIdentifier: options.deviceId, version: options.clientVersion, deviceName: options.deviceName };
}

function plexOptions(options: ConnectOptions) {
  return {
    baseUrl: options.serverUrl,
    identity: plexIdentity(options),
    timeoutMs: options.timeoutMs,
    insecure: options.insecure,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.accountServiceUrl !== undefined ? { plexTvUrl: options.accountServiceUrl } : {}),
  };
}

const KINDS: Record<string, ServerKind> = {
  [JELLYFIN]: {
    open: (options) => openJellyfin(options).server,
    async check(options) {
      const { client } = openJellyfin(options);
      const checked = await checkServer(client);
      return checked.ok ? { ok: true, kind: JELLYFIN, url: client.serverUrl } : checked;
    },
  },
  [PLEX]: {
    open: (options) => openPlex(plexOptions(options)).server,
    async check(options) {
      const { client } = openPlex(plexOptions(options));
      try {
        await client.identity();
        return { ok: true, kind: PLEX, url: client.baseUrl };
      } catch (error) {
        const status = (error as { status?: number }).status;
        const why = status === undefined ? 'unreachable' : status >= 500 ? 'unavailable' : 'other';
        const said = status !== undefined ? `${client.baseUrl} is not a Plex Media Server (it answered ${status})` : (error as Error).message;
        return { ok: false, why, error: `${said}; Plex listens on port 32400 unless it was changed.` };
      }
    },
  },
};

/** The kind assumed where none was recorded (sign-ins and queues from before kinds were). */
export const DEFAULT_KIND = JELLYFIN;

function kindOf(name: string | undefined): ServerKind {
  const kind = KINDS[name ?? DEFAULT_KIND];
  if (kind === undefined) throw new Error(`The saved sign-in is for a "${name}" server, which this version of reelterm does not speak to (a newer one may); sign in again with \`reelterm login\`.`);
  return kind;
}

/** The server a saved sign-in (or an address about to be signed in to) is on. */
export function openServer(kind: string | undefined, options: ConnectOptions): MediaServer {
  return kindOf(kind).open(options);
}

/** Whether a server of `kind` (default: Jellyfin) answers at an address, or what answered instead. */
export function checkAddress(options: ConnectOptions, kind: string = DEFAULT_KIND): Promise<AddressCheck> {
  return kindOf(kind).check(options);
}

/** The command that signs in again to a server of `kind` (a Plex sign-in is not Jellyfin's form). */
export function loginCommandFor(kind: string | undefined): string {
  return kind === PLEX ? 'reelterm login --plex' : 'reelterm login';
}

/** The kinds a user can name (`reelterm login --plex`): the flag's word and the kind's name. */
export const NAMED_KINDS = { plex: PLEX } as const;

export { signInWithPlexTv, signInWithToken, type PlexServerChoice, type PlexSignedIn } from './plex/sign-in.js';

/** Plex's sign-ins as the commands run them: this installation's identity from what a command knows. */
export { plexIdentity };
