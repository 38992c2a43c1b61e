import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoDevice } from './device.js';
import { applyFaultCommand, optionalNumber } from '../../demo-kit/fault-commands.js';
import type { DemoFaults } from './faults.js';
import type { DemoItem, DemoLibrary } from './library.js';
import { readBody } from './request.js';
import type { DemoServer } from './server.js';
import { parseDateInput, parseGuid } from './wire.js';

export { applyFaultCommand, type FaultCommand } from '../../demo-kit/fault-commands.js';

/** What `POST /__demo/device` and `/__demo/sessions` act on: the running demo server. */
export type SessionDesk = Pick<DemoServer, 'users' | 'library' | 'device' | 'userData' | 'nowPlaying' | 'sweepIdleSessions' | 'configureSessions'>;

const DEVICE_ACTIONS = ['start', 'progress', 'stop', 'markPlayed', 'markUnplayed'] as const;

/**
 * A command for `POST /__demo/device`: act as another device of a demo user (default: the
 * first), e.g. `{"user":"demo","action":"progress","item":"The Amber Harbor","positionSeconds":300}`.
 * `item` is an item id or an exact item name; `positionSeconds` is required by start and progress,
 * optional for stop (without it the server takes the item as watched).
 */
export interface DeviceCommand {
  user?: string;
  action: (typeof DEVICE_ACTIONS)[number];
  item: string;
  positionSeconds?: number;
  paused?: boolean;
  failed?: boolean;
  /** With markPlayed: an ISO 8601 date, kept as LastPlayedDate. */
  datePlayed?: string;
}

/** A command for `POST /__demo/sessions`: `{"idleTimeoutMs":60000,"idleSweepMs":10000}` and/or `{"sweep":true}`. */
export interface SessionsCommand {
  idleTimeoutMs?: number;
  idleSweepMs?: number;
  sweep?: boolean;
}

/** A bad command: the admin endpoint answers 400 with its message. */
class CommandError extends Error {}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new CommandError(`${name} must be true or false`);
  return value;
}

function checkedNumber(value: unknown, name: string): number | undefined {
  try {
    return optionalNumber(value, name);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}

/** An item by id, or by exact name when exactly one item has it. */
function findItem(library: DemoLibrary, idOrName: string): DemoItem {
  const id = parseGuid(idOrName);
  const byId = id === undefined ? undefined : library.get(id);
  if (byId) return byId;
  const named = library.all().filter((item) => item.name === idOrName);
  if (named.length === 1 && named[0]) return named[0];
  if (named.length === 0) throw new CommandError(`No item in the demo library has the id or name ${JSON.stringify(idOrName)}`);
  throw new CommandError(`${named.length} items are named ${JSON.stringify(idOrName)}; use an id instead: ${named.map((item) => item.id).join(', ')}`);
}

/** A `DeviceCommand` checked: a known user, action and item. */
interface CheckedDeviceCommand extends Omit<DeviceCommand, 'user' | 'item' | 'datePlayed'> {
  user: string;
  item: DemoItem;
  datePlayed?: Date;
}

/** Reads a `DeviceCommand`; throws a `CommandError` naming what is wrong. */
function readDeviceCommand(desk: SessionDesk, command: unknown): CheckedDeviceCommand {
  if (typeof command !== 'object' || command === null) throw new CommandError('Send a JSON object such as {"user":"demo","action":"start","item":"<id or name>","positionSeconds":60}');
  const c = command as Record<string, unknown>;
  const user = c.user ?? desk.users[0]?.name;
  if (typeof user !== 'string' || !desk.users.some((known) => known.name.toLowerCase() === user.toLowerCase())) {
    throw new CommandError(`Unknown user ${JSON.stringify(c.user)}; the demo users are ${desk.users.map((known) => known.name).join(', ')}`);
  }
  const action = DEVICE_ACTIONS.find((known) => known === c.action);
  if (action === undefined) throw new CommandError(`Unknown action ${JSON.stringify(c.action)}; use ${DEVICE_ACTIONS.join(', ')}`);
  if (typeof c.item !== 'string' || c.item === '') throw new CommandError('item must be an item id or an exact item name');
  const positionSeconds = checkedNumber(c.positionSeconds, 'positionSeconds');
  if (positionSeconds === undefined && (action === 'start' || action === 'progress')) throw new CommandError(`${action} needs positionSeconds`);
  let datePlayed: Date | undefined;
  if (c.datePlayed !== undefined) {
    datePlayed = typeof c.datePlayed === 'string' ? parseDateInput(c.datePlayed) : undefined;
    if (!datePlayed) throw new CommandError('datePlayed must be an ISO 8601 date such as 2024-05-01T20:00:00Z');
  }
  return { user, action, item: findItem(desk.library, c.item), positionSeconds, paused: optionalBoolean(c.paused, 'paused'), failed: optionalBoolean(c.failed, 'failed'), datePlayed };
}

/**
 * Runs one `DeviceCommand` on the user's second device, signed in once and kept in `devices`
 * (dropped after a failure, so a revoked token is replaced by a fresh sign-in next time).
 * Answers what the user's watch state and sessions look like afterwards.
 */
async function applyDeviceCommand(desk: SessionDesk, devices: Map<string, Promise<DemoDevice>>, command: unknown): Promise<unknown> {
  const c = readDeviceCommand(desk, command);
  const key = c.user.toLowerCase();
  const pending = devices.get(key) ?? desk.device(c.user);
  devices.set(key, pending);
  try {
    const device = await pending;
    const id = c.item.id;
    if (c.action === 'start') await device.start(id, c.positionSeconds ?? 0, { paused: c.paused });
    else if (c.action === 'progress') await device.progress(id, c.positionSeconds ?? 0, { paused: c.paused });
    else if (c.action === 'stop') await device.stop(id, c.positionSeconds, { failed: c.failed });
    else if (c.action === 'markPlayed') await device.markPlayed(id, c.datePlayed);
    else await device.markUnplayed(id);
    return { action: c.action, user: c.user, deviceId: device.deviceId, item: { id, name: c.item.name }, userData: desk.userData(c.user, id), nowPlaying: desk.nowPlaying(c.user) };
  } catch (error) {
    devices.delete(key);
    throw error;
  }
}

/** Applies a `SessionsCommand`: new idle timings first, then a sweep when asked; answers the timings and what was stopped. */
function applySessionsCommand(desk: SessionDesk, command: unknown): unknown {
  const usage = 'Send {"idleTimeoutMs":60000,"idleSweepMs":10000} to change the idle stop, or {"sweep":true} to run it now';
  if (typeof command !== 'object' || command === null) throw new CommandError(usage);
  const c = command as Record<string, unknown>;
  const idleTimeoutMs = checkedNumber(c.idleTimeoutMs, 'idleTimeoutMs');
  const idleSweepMs = checkedNumber(c.idleSweepMs, 'idleSweepMs');
  if (idleSweepMs === 0) throw new CommandError('idleSweepMs must be more than 0');
  const sweep = optionalBoolean(c.sweep, 'sweep');
  if (idleTimeoutMs === undefined && idleSweepMs === undefined && sweep !== true) throw new CommandError(usage);
  const timings = desk.configureSessions({ idleTimeoutMs, idleSweepMs });
  return sweep === true ? { ...timings, stopped: desk.sweepIdleSessions() } : timings;
}

/** Approves Quick Connect codes for `POST /__demo/quick-connect/approve`. */
export interface QuickConnectApprover {
  /** Whether the server has Quick Connect enabled. */
  readonly enabled: boolean;
  /** Approves the pending request with this code as the named demo user (default: the first); false when no request waits under that code. */
  approve(code: string, userName?: string): boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function send(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * Where the switches are served: on the admin listener, or on the Jellyfin port itself, where
 * `offline` closes the very port the command came in on. There the reply goes out first, and
 * says how to come back (`fallbackUrl` is the admin listener, which stays up).
 */
type AdminDoor = { kind: 'admin' } | { kind: 'own-port'; fallbackUrl: () => string | undefined };

function offlineNote(forMs: number | undefined, fallbackUrl: string | undefined): string {
  if (forMs !== undefined) return `This port refuses connections for ${forMs} ms, these switches too; then it answers again by itself.`;
  const back = fallbackUrl === undefined ? '' : ` Bring it back with: curl -d '{"fault":"online"}' ${fallbackUrl}/__demo/faults (that address stays up).`;
  return `This port refuses connections now, these switches too.${back} Give "forMs" to have it come back by itself.`;
}

async function handleFaults(faults: DemoFaults, door: AdminDoor, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET') return send(response, 200, faults.snapshot());
  if (request.method !== 'POST') return send(response, 405, { error: 'GET or POST' });
  try {
    const command = JSON.parse(await readBody(request)) as unknown;
    if (door.kind === 'own-port' && (command as { fault?: unknown } | null)?.fault === 'offline') {
      const forMs = optionalNumber((command as { forMs?: unknown }).forMs, 'forMs');
      send(response, 200, { ...faults.snapshot(), offline: true, note: offlineNote(forMs, door.fallbackUrl()) });
      // Closing the port ends every connection on it, this one too: only once the reply is out.
      response.once('finish', () => void faults.offline(forMs));
      return;
    }
    await applyFaultCommand(faults, command);
    send(response, 200, faults.snapshot());
  } catch (error) {
    send(response, 400, { error: (error as Error).message });
  }
}

async function handleApproval(quickConnect: QuickConnectApprover, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') return send(response, 405, { error: 'POST {"code":"123456"}' });
  let code: unknown;
  let user: unknown;
  try {
    ({ code, user } = JSON.parse(await readBody(request)) as { code?: unknown; user?: unknown });
  } catch {
    return send(response, 400, { error: 'Send a JSON object such as {"code":"123456"}' });
  }
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return send(response, 400, { error: 'code must be the six digits the client shows, as a string' });
  if (user !== undefined && typeof user !== 'string') return send(response, 400, { error: 'user must be a demo user name' });
  if (!quickConnect.enabled) return send(response, 409, { error: 'Quick Connect is disabled on this demo server' });
  try {
    if (!quickConnect.approve(code, user)) return send(response, 404, { error: `No Quick Connect request is waiting with code ${code} (it may have expired or been approved already)` });
  } catch (error) {
    return send(response, 400, { error: (error as Error).message });
  }
  send(response, 200, { approved: true, code });
}

/** Runs a JSON command; a bad command is a 400, a device request the server refused a 502. */
async function handleCommand(request: IncomingMessage, response: ServerResponse, apply: (command: unknown) => unknown): Promise<void> {
  if (request.method !== 'POST') return send(response, 405, { error: 'POST a JSON command' });
  let command: unknown;
  try {
    command = JSON.parse(await readBody(request)) as unknown;
  } catch {
    return send(response, 400, { error: 'The body must be a JSON object' });
  }
  try {
    send(response, 200, await apply(command));
  } catch (error) {
    send(response, error instanceof CommandError ? 400 : 502, { error: (error as Error).message });
  }
}

function sessionsOverview(desk: SessionDesk): unknown {
  return { ...desk.configureSessions({}), nowPlaying: Object.fromEntries(desk.users.map((user) => [user.name, desk.nowPlaying(user.name)])) };
}

/** Answers one `/__demo/…` request. */
export type AdminHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * The `/__demo/…` commands (see `startAdminServer`), loopback callers only: `admin` for the
 * admin listener, `ownPort` for the demo server's own port (where `offline` closes the port it
 * came in on; `fallbackUrl` is the admin listener's address). Both act as the same second device.
 */
export function adminHandlers(faults: DemoFaults, quickConnect: QuickConnectApprover, desk: SessionDesk, fallbackUrl: () => string | undefined): { admin: AdminHandler; ownPort: AdminHandler } {
  const devices = new Map<string, Promise<DemoDevice>>();
  const at =
    (door: AdminDoor): AdminHandler =>
    async (request, response) => {
      if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return send(response, 403, { error: 'The demo admin endpoint answers loopback only' });
      const path = new URL(request.url ?? '/', 'http://admin.invalid').pathname.toLowerCase();
      if (path === '/__demo/faults') return handleFaults(faults, door, request, response);
      if (path === '/__demo/quick-connect/approve') return handleApproval(quickConnect, request, response);
      if (path === '/__demo/device') return handleCommand(request, response, (command) => applyDeviceCommand(desk, devices, command));
      if (path === '/__demo/sessions' && request.method === 'GET') return send(response, 200, sessionsOverview(desk));
      if (path === '/__demo/sessions') return handleCommand(request, response, (command) => applySessionsCommand(desk, command));
      send(response, 404, { error: 'Use /__demo/faults, /__demo/quick-connect/approve, /__demo/device or /__demo/sessions' });
    };
  return { admin: at({ kind: 'admin' }), ownPort: at({ kind: 'own-port', fallbackUrl }) };
}

/**
 * The admin endpoint on its own loopback listener: it stays reachable while the Jellyfin side is
 * "offline", and is the only way in when the server listens beyond loopback. (On loopback the
 * demo server's own port serves the same paths too: see `startDemoServer`.)
 * `GET|POST /__demo/faults` reads or switches faults (see `FaultCommand`);
 * `POST /__demo/quick-connect/approve` with `{"code":"123456"}` (optionally `"user":"demo"`)
 * approves a waiting Quick Connect request as that demo user: 200 `{"approved":true,"code":…}`,
 * 404 when no request waits under the code, 409 when Quick Connect is disabled.
 * `POST /__demo/device` with a `DeviceCommand`, e.g.
 * `{"user":"demo","action":"start","item":"<item id or exact name>","positionSeconds":120,"paused":false}`,
 * acts as a second device of that user ("Jellyfin Android" on "Phone", DeviceId `demo-phone`)
 * through real requests to the Jellyfin side (actions: start, progress, stop with optional
 * `positionSeconds` and `failed`, markPlayed with optional `datePlayed`, markUnplayed); it answers
 * 200 with the item's UserData and the user's now-playing sessions, 400 for an unknown user, item
 * or action, 502 when the server refused the device's request.
 * `GET /__demo/sessions` shows the idle timings and what every user's sessions play;
 * `POST /__demo/sessions` with `{"idleTimeoutMs":…,"idleSweepMs":…}` changes when a silent player
 * is stopped, `{"sweep":true}` runs the idle sweep now and lists what it stopped.
 */
export async function startAdminServer(handler: AdminHandler, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    void handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
