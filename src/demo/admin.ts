import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoFaults, MalformedKind } from './faults.js';
import { readBody } from './request.js';

/**
 * A fault command for `POST /__demo/faults`, e.g. `{"fault":"status","code":503,"forMs":30000,"retryAfter":5}`,
 * `{"fault":"offline","forMs":10000}`, `{"fault":"stall"}`, `{"fault":"latency","ms":2000}`,
 * `{"fault":"reset","times":1}`, `{"fault":"malformed","kind":"html"}`, `{"fault":"expireTokens"}`, `{"fault":"clear"}`.
 */
export interface FaultCommand {
  fault: 'offline' | 'online' | 'status' | 'stall' | 'latency' | 'reset' | 'malformed' | 'expireTokens' | 'clock' | 'clear';
  /** With `clock`: how far the server's clock runs ahead (negative: behind), in ms. */
  offsetMs?: number;
  code?: number;
  times?: number;
  forMs?: number;
  retryAfter?: number;
  ms?: number;
  kind?: MalformedKind;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

/** Applies one fault command; throws with a readable message when the command is not understood. */
export async function applyFaultCommand(faults: DemoFaults, command: unknown): Promise<void> {
  if (typeof command !== 'object' || command === null) throw new Error('Send a JSON object such as {"fault":"offline"}');
  const c = command as Record<string, unknown>;
  const times = optionalNumber(c.times, 'times');
  const forMs = optionalNumber(c.forMs, 'forMs');
  switch (c.fault) {
    case 'offline':
      return faults.offline(forMs);
    case 'online':
      return faults.online();
    case 'status': {
      const code = optionalNumber(c.code, 'code') ?? 503;
      faults.status(code, { times, forMs, retryAfter: optionalNumber(c.retryAfter, 'retryAfter'), includePing: c.includePing === true });
      return;
    }
    case 'stall':
      faults.stall({ forMs });
      return;
    case 'latency':
      faults.latency(optionalNumber(c.ms, 'ms') ?? 0);
      return;
    case 'reset':
      faults.resetMidResponse(times);
      return;
    case 'malformed':
      faults.malformed(times, c.kind === 'html' ? 'html' : 'truncated-json');
      return;
    case 'expireTokens':
      faults.expireTokens();
      return;
    case 'clock': {
      if (typeof c.offsetMs !== 'number' || !Number.isFinite(c.offsetMs)) throw new Error('offsetMs must be a number of milliseconds (negative: behind)');
      faults.clock(c.offsetMs);
      return;
    }
    case 'clear':
      return faults.clear();
    default:
      throw new Error(`Unknown fault ${JSON.stringify(c.fault)}; use offline, online, status, stall, latency, reset, malformed, expireTokens or clear`);
  }
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

async function handleFaults(faults: DemoFaults, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET') return send(response, 200, faults.snapshot());
  if (request.method !== 'POST') return send(response, 405, { error: 'GET or POST' });
  try {
    await applyFaultCommand(faults, JSON.parse(await readBody(request)) as unknown);
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

async function handle(faults: DemoFaults, quickConnect: QuickConnectApprover, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return send(response, 403, { error: 'The demo admin endpoint answers loopback only' });
  const path = new URL(request.url ?? '/', 'http://admin.invalid').pathname.toLowerCase();
  if (path === '/__demo/faults') return handleFaults(faults, request, response);
  if (path === '/__demo/quick-connect/approve') return handleApproval(quickConnect, request, response);
  send(response, 404, { error: 'Use /__demo/faults or /__demo/quick-connect/approve' });
}

/**
 * The admin endpoint, on its own loopback listener so it stays reachable while the Jellyfin
 * side is "offline", and never reachable from another machine whatever `host` the server uses.
 * `GET|POST /__demo/faults` reads or switches faults (see `FaultCommand`);
 * `POST /__demo/quick-connect/approve` with `{"code":"123456"}` (optionally `"user":"demo"`)
 * approves a waiting Quick Connect request as that demo user: 200 `{"approved":true,"code":…}`,
 * 404 when no request waits under the code, 409 when Quick Connect is disabled.
 */
export async function startAdminServer(faults: DemoFaults, quickConnect: QuickConnectApprover, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    void handle(faults, quickConnect, request, response);
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
