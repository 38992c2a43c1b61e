/**
 * The fault switches both demo servers share: offline (refused connections), a status answer for
 * a while or a number of requests, stalls, latency, resets mid-answer, malformed 200s, revoked
 * tokens and a server clock set apart from the machine's. Each server decides what its status
 * and malformed answers look like, and which request is its probe.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options for `faults.status()`. Without `times` or `forMs` the fault lasts until cleared. */
export interface StatusFaultOptions {
  /** Answer this many requests with the status, then recover. */
  times?: number;
  /** Answer with the status for this long, then recover. */
  forMs?: number;
  /** Send `Retry-After: <seconds>`. */
  retryAfter?: number;
  /** Fail the server's probe too (Jellyfin's `/System/Ping`, which its real "starting" 503 spares; Plex's `/identity`). */
  includePing?: boolean;
}

/** Options for `faults.stall()`: for a while, or (the default) until cleared. */
export interface StallOptions {
  forMs?: number;
  untilCleared?: boolean;
}

/** What a malformed 200 carries: JSON cut off mid-document, or an HTML page (a captive portal, a proxy). */
export type MalformedKind = 'truncated-json' | 'html';

/** How one request is disturbed. */
export interface FaultPlan {
  /** Accept the request and never answer. */
  stall: boolean;
  latencyMs: number;
  /** Send headers, then destroy the socket. */
  reset: boolean;
  status?: { code: number; retryAfter?: number };
  malformed?: MalformedKind;
}

/** The faults in force, for the admin endpoint and for tests. */
export interface FaultSnapshot {
  offline: boolean;
  status?: { code: number; remaining?: number; untilMs?: number; retryAfter?: number; includePing: boolean };
  stall?: { untilMs?: number };
  latencyMs: number;
  clockOffsetMs: number;
  reset?: { remaining?: number };
  malformed?: { remaining?: number; kind: MalformedKind };
}

/** The fault switches a test (or a person, through the admin endpoint) can flip. */
export interface DemoFaults {
  /** Stop listening: new connections are refused, open ones are closed. `forMs` comes back by itself. */
  offline(forMs?: number): Promise<void>;
  /** Listen again, on the same port. */
  online(): Promise<void>;
  /**
   * Answer every request (but the server's probe, unless asked) with this status. What a 503 carries
   * is the server's: Jellyfin's "starting" page, Plex's "Maintenance" XML.
   */
  status(code: number, options?: StatusFaultOptions): void;
  /** Accept requests and never answer them. */
  stall(options?: StallOptions): void;
  /** Delay every answer (0 to stop). */
  latency(ms: number): void;
  /** Send the headers of the next `times` answers (default: until cleared), then reset the connection. */
  resetMidResponse(times?: number): void;
  /** Answer the next `times` requests (default: until cleared) with 200 and a body that is not the server's JSON. */
  malformed(times?: number, kind?: MalformedKind): void;
  /** Revoke every token: each later request answers 401 until the user signs in again. */
  expireTokens(): void;
  /**
   * Runs the server's clock this far ahead of the machine's (negative: behind): what it stamps
   * (Jellyfin's LastPlayedDate, Plex's lastViewedAt) and its `Date` header. Not cleared by `clear()`: a clock is not a fault that passes.
   */
  clock(offsetMs: number): void;
  /** The server's clock now. */
  now(): Date;
  /** Remove every fault and come back online. */
  clear(): Promise<void>;
  /** The faults in force. */
  snapshot(): FaultSnapshot;
}

interface Budget {
  remaining: number;
  until: number;
}

function budget(times: number | undefined, forMs: number | undefined, now: number): Budget {
  return { remaining: times ?? Infinity, until: forMs === undefined ? Infinity : now + forMs };
}

function live(b: Budget | undefined, now: number): b is Budget {
  return b !== undefined && b.remaining > 0 && now < b.until;
}

function finite(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

/** Who holds the tokens `expireTokens` revokes (the server's accounts). */
export interface TokenRevoker {
  revokeAll(): void;
}

/** The network side of going offline, provided by the server. */
export interface Listener {
  stopListening(): Promise<void>;
  listen(): Promise<void>;
}

/** Fault state, consulted once per request by the server. */
export class FaultInjector implements DemoFaults {
  private isOffline = false;
  private offlineTimer: NodeJS.Timeout | undefined;
  private statusFault: (Budget & { code: number; retryAfter?: number; includePing: boolean }) | undefined;
  private stallFault: Budget | undefined;
  private latencyMs = 0;
  private resetFault: Budget | undefined;
  private malformedFault: (Budget & { kind: MalformedKind }) | undefined;
  private clockOffsetMs = 0;

  constructor(
    private readonly listener: Listener,
    private readonly tokens: TokenRevoker,
  ) {}

  async offline(forMs?: number): Promise<void> {
    clearTimeout(this.offlineTimer);
    if (forMs !== undefined) {
      this.offlineTimer = setTimeout(() => void this.online(), forMs);
      this.offlineTimer.unref();
    }
    if (this.isOffline) return;
    this.isOffline = true;
    await this.listener.stopListening();
  }

  async online(): Promise<void> {
    clearTimeout(this.offlineTimer);
    if (!this.isOffline) return;
    this.isOffline = false;
    await this.listener.listen();
  }

  status(code: number, options: StatusFaultOptions = {}): void {
    this.statusFault = { ...budget(options.times, options.forMs, Date.now()), code, retryAfter: options.retryAfter, includePing: options.includePing ?? false };
  }

  stall(options: StallOptions = {}): void {
    this.stallFault = budget(undefined, options.untilCleared ? undefined : options.forMs, Date.now());
  }

  latency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  resetMidResponse(times?: number): void {
    this.resetFault = budget(times, undefined, Date.now());
  }

  malformed(times?: number, kind: MalformedKind = 'truncated-json'): void {
    this.malformedFault = { ...budget(times, undefined, Date.now()), kind };
  }

  expireTokens(): void {
    this.tokens.revokeAll();
  }

  clock(offsetMs: number): void {
    this.clockOffsetMs = offsetMs;
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  async clear(): Promise<void> {
    this.statusFault = undefined;
    this.stallFault = undefined;
    this.latencyMs = 0;
    this.resetFault = undefined;
    this.malformedFault = undefined;
    await this.online();
  }

  snapshot(): FaultSnapshot {
    const now = Date.now();
    const status = live(this.statusFault, now) ? this.statusFault : undefined;
    const stall = live(this.stallFault, now) ? this.stallFault : undefined;
    const reset = live(this.resetFault, now) ? this.resetFault : undefined;
    const malformed = live(this.malformedFault, now) ? this.malformedFault : undefined;
    return {
      offline: this.isOffline,
      status: status && { code: status.code, remaining: finite(status.remaining), untilMs: finite(status.until), retryAfter: status.retryAfter, includePing: status.includePing },
      stall: stall && { untilMs: finite(stall.until) },
      latencyMs: this.latencyMs,
      clockOffsetMs: this.clockOffsetMs,
      reset: reset && { remaining: finite(reset.remaining) },
      malformed: malformed && { remaining: finite(malformed.remaining), kind: malformed.kind },
    };
  }

  /** Decides how one request is disturbed, spending one use of the fault that applies; `isPing` marks the server's probe. */
  plan(isPing: boolean): FaultPlan {
    const now = Date.now();
    const plan: FaultPlan = { stall: live(this.stallFault, now), latencyMs: this.latencyMs, reset: false };
    if (plan.stall) return plan;
    if (live(this.resetFault, now)) {
      this.resetFault.remaining -= 1;
      plan.reset = true;
    } else if (live(this.statusFault, now) && (!isPing || this.statusFault.includePing)) {
      this.statusFault.remaining -= 1;
      plan.status = { code: this.statusFault.code, retryAfter: this.statusFault.retryAfter };
    } else if (live(this.malformedFault, now)) {
      this.malformedFault.remaining -= 1;
      plan.malformed = this.malformedFault.kind;
    }
    return plan;
  }

  /** Stops the timer that would bring the server back online. */
  dispose(): void {
    clearTimeout(this.offlineTimer);
  }
}

/** How a demo server answers what a fault plan asks of one request, in its own words. */
export interface FaultAnswers<R> {
  /** The start of a JSON answer, sent before the connection is reset. */
  partialJson: string;
  status(status: NonNullable<FaultPlan['status']>): R;
  malformed(kind: MalformedKind): R;
}

/**
 * What a request's fault plan does before its route: no answer at all (a stall), a delay, an
 * answer cut off mid-body (a reset), or a reply in the route's place. Resolves `'answered'` when
 * nothing more is to be written, the reply to send, or undefined when the route should answer.
 */
export async function applyFaultPlan<R>(
  plan: FaultPlan,
  exchange: { request: IncomingMessage; response: ServerResponse; entry: { fault?: string } },
  answers: FaultAnswers<R>,
): Promise<R | 'answered' | undefined> {
  const { request, response, entry } = exchange;
  if (plan.stall) {
    entry.fault = 'stall';
    return 'answered';
  }
  if (plan.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.latencyMs));
  if (plan.reset) {
    entry.fault = 'reset';
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': 4096 });
    response.write(answers.partialJson);
    setImmediate(() => request.socket.destroy());
    return 'answered';
  }
  if (plan.status) {
    entry.fault = 'status';
    return answers.status(plan.status);
  }
  if (plan.malformed) {
    entry.fault = 'malformed';
    return answers.malformed(plan.malformed);
  }
  return undefined;
}
