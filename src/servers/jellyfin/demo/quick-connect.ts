import { randomBytes, randomInt } from 'node:crypto';
import type { DeviceSession } from './auth.js';

/** The device that asked to be signed in (from its `Authorization` header). */
export interface QuickConnectDevice {
  deviceId: string;
  deviceName: string;
  appName: string;
  appVersion: string;
}

/** A pending (or just approved) request, as `QuickConnectResult` describes it. */
export interface QuickConnectRequest extends QuickConnectDevice {
  secret: string;
  code: string;
  dateAdded: Date;
  authenticated: boolean;
}

/** What an approval produced: the device's new session, kept for `AuthenticateWithQuickConnect`. */
export interface QuickConnectGrant {
  session: DeviceSession;
  at: Date;
}

/** How the demo's Quick Connect behaves. */
export interface QuickConnectOptions {
  /** `QuickConnectAvailable` in the server configuration. */
  enabled: boolean;
  /** How long requests and approvals live (`QuickConnectManager.Timeout`, 10 minutes). */
  expiryMs: number;
  now?: () => Date;
}

/** Why an approval did not happen. */
export type AuthorizeOutcome = 'authorized' | 'unknown' | 'already-authorized';

/** An approved request stays visible this much longer, so a polling client sees the approval. */
const APPROVED_GRACE_MS = 60_000;

/**
 * `QuickConnectManager` (10.11): requests keyed by a six-digit code, each with a 64-hex secret;
 * an approval signs the requesting device in at once and keeps the result by secret until it
 * expires. Nothing here checks `enabled`: the endpoints answer a disabled server themselves.
 */
export class QuickConnect {
  readonly enabled: boolean;
  private readonly expiryMs: number;
  private readonly now: () => Date;
  private readonly requests = new Map<string, QuickConnectRequest>();
  private readonly grants = new Map<string, QuickConnectGrant>();

  constructor(options: QuickConnectOptions) {
    this.enabled = options.enabled;
    this.expiryMs = options.expiryMs;
    this.now = options.now ?? (() => new Date());
  }

  /** `TryConnect`: a new request for this device. */
  initiate(device: QuickConnectDevice): QuickConnectRequest {
    this.expire();
    let code: string;
    // Jellyfin overwrites a request whose random code repeats; the demo draws again instead.
    do code = String(randomInt(100_000, 1_000_000));
    while (this.requests.has(code));
    const request: QuickConnectRequest = { ...device, secret: randomBytes(32).toString('hex').toUpperCase(), code, dateAdded: this.now(), authenticated: false };
    this.requests.set(code, request);
    return request;
  }

  /** `CheckRequestStatus`: the live request with this secret. */
  status(secret: string): QuickConnectRequest | undefined {
    this.expire();
    for (const request of this.requests.values()) if (request.secret === secret) return request;
    return undefined;
  }

  /** `AuthorizeRequest`: approves the request with this code, signing its device in with `signIn`. */
  authorize(code: string, signIn: (device: QuickConnectDevice) => DeviceSession): AuthorizeOutcome {
    this.expire();
    const request = this.requests.get(code);
    if (!request) return 'unknown';
    if (request.authenticated) return 'already-authorized';
    const now = this.now();
    request.dateAdded = new Date(now.getTime() + APPROVED_GRACE_MS);
    this.grants.set(request.secret, { session: signIn(request), at: now });
    request.authenticated = true;
    return 'authorized';
  }

  /** `GetAuthorizedRequest`: the approval for this secret; the same one every time until it expires. */
  grant(secret: string): QuickConnectGrant | undefined {
    this.expire();
    return this.grants.get(secret);
  }

  private expire(): void {
    const oldest = this.now().getTime() - this.expiryMs;
    for (const [code, request] of this.requests) if (request.dateAdded.getTime() < oldest) this.requests.delete(code);
    for (const [secret, grant] of this.grants) if (grant.at.getTime() < oldest) this.grants.delete(secret);
  }
}
