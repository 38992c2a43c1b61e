/**
 * The fault commands a person sends to a demo server's admin endpoint (`POST /__demo/faults`),
 * read and applied to the shared fault switches (`faults.ts`).
 */
import type { DemoFaults, MalformedKind } from './faults.js';

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

/** A non-negative number from a command, or undefined; throws naming the field otherwise. */
export function optionalNumber(value: unknown, name: string): number | undefined {
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

