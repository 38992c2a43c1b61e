import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserItemDataDto } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { writeReply } from '../../demo-kit/reply.js';
import { applyFaultPlan } from '../../demo-kit/faults.js';
import { adminHandlers, startAdminServer, type AdminHandler } from './admin.js';
import { Accounts, readAuthorization, type DemoUser, type DemoUserOptions } from './auth.js';
import { clipAt, locateClip } from './clip.js';
import type { DemoRequest, DemoState } from './context.js';
import { signInDevice, type DemoDevice, type DemoDeviceOptions } from './device.js';
import { FaultInjector, type DemoFaults, type FaultPlan, type MalformedKind } from './faults.js';
import { Journal, redactBody, redactQuery, type JournalEntry } from './journal.js';
import { DemoLibrary, type LibraryShape, type TitleHook } from './library.js';
import type { DemoVersion } from './playstate.js';
import { QuickConnect } from './quick-connect.js';
import { empty, failure, problem, type Reply } from './reply.js';
import { BadRequest, parseJsonBody, QueryParams, readBody } from './request.js';
import { Router } from './router.js';
import { ROUTES } from './routes/index.js';
import { ClientSessions, type IdleStop, type NowPlaying, type SessionTimings } from './sessions.js';
import { Forbidden } from './routes/params.js';
import { approveQuickConnect } from './routes/quick-connect.js';
import type { StoredUserData } from './user-data.js';
import { userItemDataDto, UserDataStore } from './user-data.js';
import { guidFrom, toJson } from './wire.js';

/** Options for `startDemoServer`. */
export interface DemoServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /**
   * Address to listen on (default 127.0.0.1). The admin endpoint is always on loopback: on a
   * loopback address the server's own port serves `/__demo/…` too; on any other, only the admin
   * listener does.
   */
  host?: string;
  /** Which Jellyfin to emulate (default 10.11.11): 12.0 keeps Played on Start and rejects legacy auth. */
  version?: DemoVersion;
  library?: LibraryShape;
  /** Accounts (default one user, demo/demo), optionally without preference access or remembered tracks. */
  users?: DemoUserOptions[];
  /** Renames generated items, e.g. to give one a hostile title in a test. */
  titles?: TitleHook;
  /** Port for the admin listener (default: a free one); `false` for no admin endpoint at all (not on the server's own port either). */
  adminPort?: number | false;
  /** Requests kept in the journal (default 10,000, oldest dropped first). */
  journalLimit?: number;
  /**
   * Whether the server has media segments (`GET /MediaSegments/{itemId}`, Jellyfin 10.10+;
   * default true). False emulates an older server: that path answers 404 like any unknown
   * route, and media sources carry no `HasSegments`.
   */
  mediaSegments?: boolean;
  /** Whether Quick Connect is enabled (`QuickConnectAvailable`, default true). */
  quickConnect?: boolean;
  /** How long a Quick Connect request or approval lives (default 10 minutes, as `QuickConnectManager.Timeout`). */
  quickConnectExpiryMs?: number;
  /** When a silent player is stopped (default: a check-in over 5 minutes old, looked for every 5 minutes). */
  sessions?: SessionTimings;
  /**
   * The media file every video streams (default `assets/demo/clip.mp4`): one of the same shape,
   * e.g. the bench's 24 frames/s film (`CLIP_RATE=24 CLIP_DIR=… sh assets/demo/make-clip.sh`),
   * with the subtitle files make-clip.sh writes beside it (the server reads them there).
   */
  clip?: string;
}

/** A running demo server. */
export interface DemoServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /**
   * The loopback-only admin endpoint, when enabled: `POST {adminUrl}/__demo/faults` switches
   * faults, `POST {adminUrl}/__demo/quick-connect/approve` with `{"code":"123456"}` approves a
   * Quick Connect code as the demo user, `POST {adminUrl}/__demo/device` acts as another device
   * and `POST {adminUrl}/__demo/sessions` changes or runs the idle sweep (see `admin.ts`).
   */
  readonly adminUrl: string | undefined;
  /**
   * Where a person sends the `/__demo/…` commands: the server's own address when it listens on
   * loopback (one address for everything), else `adminUrl`; undefined without an admin endpoint.
   * While `offline`, only `adminUrl` answers.
   */
  readonly switchesUrl: string | undefined;
  readonly version: DemoVersion;
  /** The generated library, to find item ids by name or type. */
  readonly library: DemoLibrary;
  readonly users: readonly DemoUser[];
  /** The `UserItemDataDto` the server would send for this user and item. */
  userData(userName: string, itemId: string): UserItemDataDto;
  /** Overwrites part of a user's stored watch state (e.g. "another device played this later"). */
  setUserData(userName: string, itemId: string, data: Partial<StoredUserData>): void;
  /** Every request received, oldest first; tokens and passwords redacted. */
  readonly journal: readonly JournalEntry[];
  clearJournal(): void;
  readonly faults: DemoFaults;
  /**
   * Approves the waiting Quick Connect request with this code as a demo user (default: the
   * first), as `POST /QuickConnect/Authorize` would; false when no request waits under it.
   */
  approveQuickConnect(code: string, userName?: string): boolean;
  /**
   * Signs this demo user in on another device over HTTP (default: client "Jellyfin Android",
   * device "Phone", DeviceId "demo-phone"), whose reports and marks go through the same rules.
   */
  device(userName: string, options?: DemoDeviceOptions): Promise<DemoDevice>;
  /** What the user's client sessions play now, with positions as the server would report them. */
  nowPlaying(userName: string): NowPlaying[];
  /** Runs one idle sweep now (on the server's clock) and returns the playbacks it stopped. */
  sweepIdleSessions(): IdleStop[];
  /** Every playback the idle sweep has stopped so far (timer or test), oldest first; the last 1,000. */
  readonly idleStops: readonly IdleStop[];
  /** Changes when a silent player is stopped; returns the timings in force. */
  configureSessions(timings: SessionTimings): Required<SessionTimings>;
  close(): Promise<void>;
}

/** The paths of the admin commands; Jellyfin has no route under them. */
const ADMIN_PATH = /^\/__demo(\/|$)/i;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

const STARTING_PAGE = 'Jellyfin Server is loading. Please try again shortly.';

function malformedReply(kind: MalformedKind): Reply {
  if (kind === 'html') {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html><html><body><h1>Sign in to the network</h1></body></html>' };
  }
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"Items":[{"Name":"The Amber Har' };
}

function statusReply(status: NonNullable<FaultPlan['status']>): Reply {
  const headers: Record<string, string | number> = status.retryAfter === undefined ? {} : { 'retry-after': status.retryAfter };
  if (status.code === 503) return { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: STARTING_PAGE };
  if (status.code === 401 || status.code === 204) return { status: status.code, headers };
  return { ...failure(status.code), headers: { ...failure(status.code).headers, ...headers } };
}

function errorReply(error: unknown): Reply {
  if (error instanceof BadRequest) return error.status === 415 ? problem(415) : problem(400, error.message);
  if (error instanceof Forbidden) return failure(403);
  return failure(500);
}

/** Starts a Jellyfin-compatible server on loopback with a generated library and fault switches. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const version = options.version ?? '10.11.11';
  const accounts = new Accounts(options.users ?? [{ name: 'demo', password: 'demo' }], (revoked) => state.sessions.end(revoked.deviceId));
  const library = new DemoLibrary(options.library, options.titles);
  const journal = new Journal(options.journalLimit);
  const userData = new UserDataStore();
  let port = options.port ?? 0;
  const state: DemoState = {
    version,
    serverId: guidFrom(`reelterm-demo-server-${version}`),
    serverName: 'reelterm demo',
    legacyAuthorization: version !== '12.0.0',
    library,
    accounts,
    userData,
    clip: options.clip === undefined ? locateClip() : clipAt(options.clip),
    mediaSegments: options.mediaSegments ?? true,
    quickConnect: new QuickConnect({ enabled: options.quickConnect ?? true, expiryMs: options.quickConnectExpiryMs ?? 10 * 60_000 }),
    sessions: new ClientSessions({ version, now: () => faults.now(), userData, timings: options.sessions }),
    url: () => `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    now: () => faults.now(),
  };
  const router = new Router(ROUTES.filter((route) => route.available?.(state) ?? true));

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const faults = new FaultInjector({ listen, stopListening }, accounts);

  /** The `/__demo/…` commands on this port (loopback servers only), set once the server is built. */
  let ownAdmin: AdminHandler | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    // Ahead of the journal and the faults: the switches must work while a fault is in force.
    if (ownAdmin && ADMIN_PATH.test(url.pathname)) return ownAdmin(request, response);
    const query = new QueryParams(url.searchParams);
    const method = request.method ?? 'GET';
    const entry = journal.record({ method, path: url.pathname, query: redactQuery(query.entries()), time: new Date() });
    response.on('finish', () => {
      entry.status = response.statusCode;
    });
    let reply: Reply;
    try {
      const text = await readBody(request);
      const auth = readAuthorization(request.headers, query, state.legacyAuthorization);
      entry.client = { client: auth.client, device: auth.device, deviceId: auth.deviceId, version: auth.version, hasToken: auth.token !== undefined };
      const plan = faults.plan(/^\/system\/ping\/?$/i.test(url.pathname));
      const faulted = await applyFaultPlan(plan, { request, response, entry }, { partialJson: '{"Items":[', status: statusReply, malformed: malformedReply });
      if (faulted === 'answered') return;
      reply = faulted ?? (await route(method, url.pathname, query, request, text, auth, entry));
    } catch (error) {
      reply = errorReply(error);
    }
    // Kestrel stamps every answer with its own clock, as clients may read.
    if (!response.destroyed) writeReply(request, response, { ...reply, headers: { date: faults.now().toUTCString(), ...reply.headers } });
  }

  async function route(
    method: string,
    path: string,
    query: QueryParams,
    request: IncomingMessage,
    text: string,
    auth: DemoRequest['auth'],
    entry: JournalEntry,
  ): Promise<Reply> {
    const match = router.match(method, path);
    if (match === undefined) return empty(404);
    if (match === 'method-not-allowed') return empty(405);
    entry.route = match.route.path;
    const body = parseJsonBody(text, request.headers['content-type']);
    entry.body = redactBody(body);
    const demoRequest: DemoRequest = { method, path, params: match.params, query, headers: request.headers, body, auth };
    if (auth.token !== undefined) {
      const session = accounts.session(auth.token);
      const user = session && accounts.userById(session.userId);
      if (session && user) {
        session.lastActivity = new Date();
        demoRequest.session = session;
        demoRequest.user = user;
        entry.user = user.name;
      }
    }
    // A missing or unknown token on an [Authorize] route: the default challenge, 401 with no body.
    if (!match.route.anonymous && !demoRequest.user) return empty(401);
    return match.route.handle(demoRequest, state);
  }

  const userNamed = (name: string): DemoUser => {
    const user = accounts.userByName(name);
    if (!user) throw new Error(`The demo server has no user named ${JSON.stringify(name)}`);
    return user;
  };
  const approve = (code: string, userName?: string): boolean => {
    const user = userName === undefined ? accounts.users[0] : userNamed(userName);
    return state.quickConnect.enabled && user !== undefined && approveQuickConnect(state, code, user) === 'authorized';
  };

  await listen();
  let admin: { url: string; close(): Promise<void> } | undefined;
  const demo: DemoServer = {
    get url() {
      return state.url();
    },
    get port() {
      return port;
    },
    get adminUrl() {
      return admin?.url;
    },
    get switchesUrl() {
      return ownAdmin ? state.url() : admin?.url;
    },
    version,
    library,
    users: accounts.users,
    userData: (userName, itemId) => {
      const item = library.get(itemId);
      if (!item) throw new Error(`The demo library has no item ${itemId}`);
      return JSON.parse(toJson(userItemDataDto(library, state.userData, userNamed(userName).id, item))) as UserItemDataDto;
    },
    setUserData: (userName, itemId, data) => {
      const user = userNamed(userName);
      state.userData.save(user.id, itemId, { ...state.userData.get(user.id, itemId), ...data });
    },
    journal: journal.entries,
    clearJournal: () => journal.clear(),
    faults,
    approveQuickConnect: approve,
    device: async (userName, deviceOptions) => signInDevice(state.url(), userNamed(userName), deviceOptions),
    nowPlaying: (userName) => state.sessions.nowPlaying(userNamed(userName).id),
    sweepIdleSessions: () => state.sessions.sweep(),
    get idleStops() {
      return state.sessions.idleStops;
    },
    configureSessions: (timings) => state.sessions.configure(timings),
    close: async () => {
      faults.dispose();
      state.sessions.close();
      await admin?.close();
      if (server.listening) await stopListening();
    },
  };
  if (options.adminPort !== false) {
    const handlers = adminHandlers(faults, { enabled: state.quickConnect.enabled, approve }, demo, () => admin?.url);
    try {
      admin = await startAdminServer(handlers.admin, options.adminPort ?? 0);
    } catch (error) {
      await demo.close();
      throw error;
    }
    if (isLoopback(host)) ownAdmin = handlers.ownPort;
  }
  return demo;
}
