import type { IncomingHttpHeaders } from 'node:http';
import type { Accounts, AuthorizationInfo, DemoUser, DeviceSession } from './auth.js';
import type { DemoClip } from './clip.js';
import type { DemoLibrary } from './library.js';
import type { DemoVersion } from './playstate.js';
import type { QuickConnect } from './quick-connect.js';
import type { QueryParams } from './request.js';
import type { ClientSessions } from './sessions.js';
import type { UserDataStore } from './user-data.js';

/** The server's state, shared by every handler. */
export interface DemoState {
  version: DemoVersion;
  serverId: string;
  serverName: string;
  /** Legacy auth headers accepted: true on 10.11 (`EnableLegacyAuthorization` default), false on 12.0. */
  legacyAuthorization: boolean;
  library: DemoLibrary;
  accounts: Accounts;
  userData: UserDataStore;
  clip: DemoClip;
  /** Whether the emulated server has `/MediaSegments` (Jellyfin 10.10 and later). */
  mediaSegments: boolean;
  quickConnect: QuickConnect;
  /** Client sessions: what each device plays, automatic progress and the idle stop. */
  sessions: ClientSessions;
  /** The server's base URL, for `LocalAddress`. */
  url(): string;
  /** The server's clock (it may be set apart from the machine's, see `DemoFaults.clock`). */
  now(): Date;
}

/** One request as a handler sees it. */
export interface DemoRequest {
  method: string;
  path: string;
  /** Route parameters (`{itemId}` …), URL-decoded. */
  params: Record<string, string>;
  query: QueryParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, when one was sent. */
  body: unknown;
  auth: AuthorizationInfo;
  /** Set on routes that require a token (the server answers 401 before the handler otherwise). */
  user?: DemoUser;
  session?: DeviceSession;
}

/** The signed-in user of an `[Authorize]` route (the router guarantees one). */
export function currentUser(request: DemoRequest): DemoUser {
  if (!request.user) throw new Error(`${request.path} needs a signed-in user`);
  return request.user;
}

/** The signed-in device of an `[Authorize]` route: the token's user, client and DeviceId. */
export function currentDevice(request: DemoRequest): DeviceSession {
  if (!request.session) throw new Error(`${request.path} needs a signed-in device`);
  return request.session;
}
