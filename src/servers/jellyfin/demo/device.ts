import { randomUUID } from 'node:crypto';
import type { UserItemDataDto } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { TICKS_PER_SECOND } from './wire.js';

/** How a second device names itself in its `Authorization` header (`DemoServer.device`). */
export interface DemoDeviceOptions {
  /** Default `demo-phone`. Signing in again with the same DeviceId revokes the device's earlier token. */
  deviceId?: string;
  /** Default `Jellyfin Android`. */
  client?: string;
  /** Default `Phone`. */
  deviceName?: string;
}

/**
 * Another client of a demo user (a phone, a TV) that talks to the server over HTTP as a real one
 * would: every call is a request that lands in the journal under the device's own identity and
 * goes through the same rules (user data, client sessions, idle stop) as reelterm's own.
 * Each call rejects with a readable error when the server does not answer as Jellyfin would on success.
 */
export interface DemoDevice {
  readonly userName: string;
  readonly deviceId: string;
  readonly client: string;
  readonly deviceName: string;
  /** `POST /Sessions/Playing`: starts playing at this position (a new PlaySessionId). */
  start(itemId: string, positionSeconds: number, options?: { paused?: boolean }): Promise<void>;
  /** `POST /Sessions/Playing/Progress`: a check-in at this position. */
  progress(itemId: string, positionSeconds: number, options?: { paused?: boolean }): Promise<void>;
  /** `POST /Sessions/Playing/Stopped`; without a position the server takes the item as watched. */
  stop(itemId: string, positionSeconds?: number, options?: { failed?: boolean }): Promise<void>;
  /** `POST /UserPlayedItems/{itemId}`, with `datePlayed` when given. */
  markPlayed(itemId: string, datePlayed?: Date): Promise<UserItemDataDto>;
  /** `DELETE /UserPlayedItems/{itemId}`. */
  markUnplayed(itemId: string): Promise<UserItemDataDto>;
}

const TIMEOUT_MS = 10_000;
const CLIENT_VERSION = '2.6.3';

function quoted(value: string): string {
  return `"${encodeURIComponent(value)}"`;
}

function ticks(seconds: number): number {
  return Math.round(seconds * TICKS_PER_SECOND);
}

/** Signs a demo user in on a second device at `serverUrl` (`POST /Users/AuthenticateByName`) and returns the device. */
export async function signInDevice(serverUrl: string, user: { name: string; password: string }, options: DemoDeviceOptions = {}): Promise<DemoDevice> {
  const identity = {
    client: options.client ?? 'Jellyfin Android',
    deviceName: options.deviceName ?? 'Phone',
    deviceId: options.deviceId ?? 'demo-phone',
  };
  const header = `MediaBrowser Client=${quoted(identity.client)}, Device=${quoted(identity.deviceName)}, DeviceId=${quoted(identity.deviceId)}, Version=${quoted(CLIENT_VERSION)}`;
  const who = `${identity.deviceName} (${identity.deviceId})`;
  let token: string | undefined;
  const playSessions = new Map<string, string>();

  async function send(method: string, path: string, expected: number, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { authorization: token === undefined ? header : `${header}, Token=${quoted(token)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${serverUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${who}: ${method} ${path} answered ${response.status}${text === '' ? '' : ` ${text}`}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  const signIn = (await send('POST', '/Users/AuthenticateByName', 200, { Username: user.name, Pw: user.password })) as { AccessToken: string };
  token = signIn.AccessToken;

  // A real client gets its PlaySessionId from PlaybackInfo and keeps it for the playback's reports.
  const playSessionFor = (itemId: string, fresh: boolean): string => {
    const known = playSessions.get(itemId);
    if (known !== undefined && !fresh) return known;
    const id = randomUUID().replace(/-/g, '');
    playSessions.set(itemId, id);
    return id;
  };
  const report = (path: string, itemId: string, positionSeconds: number, paused: boolean, fresh: boolean) =>
    send('POST', path, 204, {
      ItemId: itemId,
      MediaSourceId: itemId,
      PositionTicks: ticks(positionSeconds),
      IsPaused: paused,
      CanSeek: true,
      PlayMethod: 'DirectPlay',
      PlaySessionId: playSessionFor(itemId, fresh),
    });

  return {
    userName: user.name,
    ...identity,
    start: async (itemId, positionSeconds, options = {}) => {
      await report('/Sessions/Playing', itemId, positionSeconds, options.paused ?? false, true);
    },
    progress: async (itemId, positionSeconds, options = {}) => {
      await report('/Sessions/Playing/Progress', itemId, positionSeconds, options.paused ?? false, false);
    },
    stop: async (itemId, positionSeconds, options = {}) => {
      const body = {
        ItemId: itemId,
        MediaSourceId: itemId,
        PositionTicks: positionSeconds === undefined ? undefined : ticks(positionSeconds),
        PlaySessionId: playSessionFor(itemId, false),
        Failed: options.failed ?? false,
      };
      playSessions.delete(itemId);
      await send('POST', '/Sessions/Playing/Stopped', 204, body);
    },
    markPlayed: async (itemId, datePlayed) => {
      const query = datePlayed === undefined ? '' : `?datePlayed=${encodeURIComponent(datePlayed.toISOString())}`;
      return (await send('POST', `/UserPlayedItems/${encodeURIComponent(itemId)}${query}`, 200)) as UserItemDataDto;
    },
    markUnplayed: async (itemId) => (await send('DELETE', `/UserPlayedItems/${encodeURIComponent(itemId)}`, 200)) as UserItemDataDto,
  };
}
