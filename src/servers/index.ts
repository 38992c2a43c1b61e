import { openJellyfin, JELLYFIN } from './jellyfin/index.js';
import { checkServer } from './jellyfin/server-address.js';
import type { MediaServer } from './types.js';

// The one place that picks a server kind: the rest of reelterm knows "a media server" through
// `MediaServer` (./types.ts) and names no kind. A new kind adds its folder beside ./jellyfin and
// its entry in KINDS; the queue and the saved sign-in record the kind's name.

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
  /** A saved sign-in. */
  token?: string;
  userId?: string;
}

/** What answered at an address: a server of a kind reelterm speaks, or what is wrong, worded for a person. */
export type AddressCheck = { ok: true; kind: string; url: string } | { ok: false; error: string };

/** A kind of server reelterm speaks. */
interface ServerKind {
  open(options: ConnectOptions): MediaServer;
  /** Whether a server of this kind answers at the address (asked before any name or password goes there). */
  check(options: ConnectOptions): Promise<AddressCheck>;
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

/** Which kind of server answers at an address (today: whether Jellyfin does), or what answered instead. */
export function checkAddress(options: ConnectOptions): Promise<AddressCheck> {
  return kindOf(DEFAULT_KIND).check(options);
}

/** The embedded demo server: a Jellyfin of its own on loopback, with fault switches. */
export { startDemoServer, type DemoServer, type DemoServerOptions } from './jellyfin/demo/index.js';
