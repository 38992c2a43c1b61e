import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { QueryParams } from './request.js';
import { guidFrom } from './wire.js';

/** A demo account. */
export interface DemoUser {
  id: string;
  name: string;
  password: string;
  /**
   * `UserPolicy.EnableUserPreferenceAccess` (default true). A non-admin user without it gets 403
   * on both UserData routes (`ItemsController`, `RequestHelpers.AssertCanUpdateUser`).
   */
  enableUserPreferenceAccess?: boolean;
  /** `UserConfiguration.RememberAudioSelections` (default true, `User.cs`). */
  rememberAudioSelections?: boolean;
  /** `UserConfiguration.RememberSubtitleSelections` (default true, `User.cs`). */
  rememberSubtitleSelections?: boolean;
}

/** How a demo account is set up (`DemoServerOptions.users`). */
export type DemoUserOptions = Omit<DemoUser, 'id'>;

/** A signed-in device: Jellyfin keeps one access token per (user, DeviceId). */
export interface DeviceSession {
  token: string;
  userId: string;
  client: string;
  device: string;
  deviceId: string;
  version: string;
  lastActivity: Date;
}

/** What a request says about its client, from the `Authorization` header (or legacy forms). */
export interface AuthorizationInfo {
  client?: string;
  device?: string;
  deviceId?: string;
  version?: string;
  token?: string;
}

/** `WebUtility.UrlDecode`: `+` is a space, a bad escape is left as it is. */
function urlDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * `AuthorizationContext.GetParts`: `key=value` pairs separated by commas; values may be
 * double-quoted (commas allowed inside) and are URL-decoded; keys are case-sensitive.
 */
export function parseAuthorizationParts(parameters: string): Map<string, string> {
  const parts = new Map<string, string>();
  let i = 0;
  while (i < parameters.length) {
    while (i < parameters.length && (parameters[i] === ',' || parameters[i] === ' ')) i += 1;
    const eq = parameters.indexOf('=', i);
    if (eq < 0) break;
    const key = parameters.slice(i, eq).trim();
    i = eq + 1;
    while (parameters[i] === ' ') i += 1;
    let raw: string;
    if (parameters[i] === '"') {
      const close = parameters.indexOf('"', i + 1);
      const end = close < 0 ? parameters.length : close;
      raw = parameters.slice(i + 1, end);
      i = end + 1;
    } else {
      const comma = parameters.indexOf(',', i);
      const end = comma < 0 ? parameters.length : comma;
      raw = parameters.slice(i, end).trim();
      i = end;
    }
    if (key !== '') parts.set(key, urlDecode(raw));
  }
  return parts;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the client's identity and token as Jellyfin 10.11 does (`AuthorizationContext.cs`).
 * Always: `Authorization: MediaBrowser …` and the `ApiKey` query. Only with legacy
 * authorization (default on 10.11, off on 12.0): the `Emby` scheme, `X-Emby-Authorization`,
 * `X-Emby-Token`, `X-MediaBrowser-Token` and `api_key`.
 */
export function readAuthorization(headers: IncomingHttpHeaders, query: QueryParams, legacy: boolean): AuthorizationInfo {
  let value = header(headers, 'authorization');
  if (value === undefined && legacy) value = header(headers, 'x-emby-authorization');
  let parts = new Map<string, string>();
  if (value !== undefined) {
    const space = value.indexOf(' ');
    const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
    if (scheme === 'mediabrowser' || (legacy && scheme === 'emby')) parts = parseAuthorizationParts(space < 0 ? '' : value.slice(space + 1));
  }
  const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  const token =
    nonEmpty(parts.get('Token')) ??
    (legacy ? nonEmpty(header(headers, 'x-emby-token')) ?? nonEmpty(header(headers, 'x-mediabrowser-token')) : undefined) ??
    nonEmpty(query.get('ApiKey')) ??
    (legacy ? nonEmpty(query.get('api_key')) : undefined);
  return {
    client: parts.get('Client'),
    device: parts.get('Device'),
    deviceId: parts.get('DeviceId'),
    version: parts.get('Version'),
    token,
  };
}

/** Users and their device tokens. */
export class Accounts {
  readonly users: DemoUser[];
  private readonly sessions = new Map<string, DeviceSession>();

  /**
   * `revoked` hears of every token taken back (sign-in on the same device, sign-out, expiry):
   * `SessionManager.Logout(Device)` ends the device's client sessions when its token goes.
   */
  constructor(
    users: DemoUserOptions[],
    private readonly revoked: (session: DeviceSession) => void = () => {},
  ) {
    this.users = users.map((user) => ({ ...user, id: guidFrom(`reelterm-demo-user-${user.name.toLowerCase()}`) }));
  }

  /** A user by name, case-insensitively as Jellyfin looks names up. */
  userByName(name: string): DemoUser | undefined {
    const folded = name.toLowerCase();
    return this.users.find((user) => user.name.toLowerCase() === folded);
  }

  /** A user by id. */
  userById(id: string): DemoUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  /**
   * Signs in and issues a new token. Like `SessionManager.GetAuthorizationToken`, every earlier
   * token of the same user and DeviceId is revoked first. Undefined for bad credentials.
   */
  signIn(name: string, password: string, device: Required<Omit<AuthorizationInfo, 'token'>>, now: Date): DeviceSession | undefined {
    const user = this.userByName(name);
    if (!user || user.password !== password) return undefined;
    return this.signInAs(user, device, now);
  }

  /**
   * `SessionManager.AuthenticateDirect` (a Quick Connect approval): a new token for this user
   * on this device without a password, revoking the device's earlier tokens the same way.
   */
  signInAs(user: DemoUser, device: Required<Omit<AuthorizationInfo, 'token'>>, now: Date): DeviceSession {
    for (const [token, session] of this.sessions) {
      if (session.userId === user.id && session.deviceId === device.deviceId) this.revoke(token);
    }
    const session: DeviceSession = { ...device, token: randomUUID().replace(/-/g, ''), userId: user.id, lastActivity: now };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The session a token belongs to, if it is still valid. */
  session(token: string): DeviceSession | undefined {
    return this.sessions.get(token);
  }

  /** Revokes one token (`/Sessions/Logout`). */
  revoke(token: string): void {
    const session = this.sessions.get(token);
    if (!session) return;
    this.sessions.delete(token);
    this.revoked(session);
  }

  /** Revokes every token: each later request answers 401. */
  revokeAll(): void {
    for (const token of [...this.sessions.keys()]) this.revoke(token);
  }
}
