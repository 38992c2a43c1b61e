/**
 * Helpers for the demo Plex server's tests: one server per file (faults, journal and rules reset
 * after each test), and raw HTTP to either half as a client would send it.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PMS_1_43, startPlexDemoServer, type PlexDemoOptions, type PlexDemoServer } from '../../src/servers/plex/demo/index.js';

/** The identity headers a well-behaved client sends on every request (PLEX.md §2.1). */
export const CLIENT = { 'X-Plex-Client-Identifier': 'test-client-1', 'X-Plex-Product': 'reelterm', 'X-Plex-Version': '0.1.0', 'X-Plex-Platform': 'Linux' };

/** A raw reply. */
export interface PlexReply {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

/** Starts one demo Plex server for the file; returns a getter (the server exists once `beforeAll` ran). */
export function usePlexDemo(options: PlexDemoOptions = {}): () => PlexDemoServer {
  let server: PlexDemoServer | undefined;
  beforeAll(async () => {
    server = await startPlexDemoServer(options);
  });
  afterEach(async () => {
    await server?.faults.clear();
    await server?.plexTvFaults.clear();
    server?.faults.clock(0);
    server?.plexTvFaults.clock(0);
    server?.configureRules({ ...PMS_1_43, ...options.rules, ...(options.threshold === undefined ? {} : { threshold: options.threshold }) });
    server?.setReachability({ local: false, remote: true, relay: true });
    server?.clearJournal();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The demo Plex server has not started yet');
    return server;
  };
}

interface SendOptions {
  /** Sent as `X-Plex-Token` (header). */
  token?: string;
  headers?: Record<string, string>;
  /** Sent as `Accept: application/json` unless false. */
  json?: boolean;
  /** Leave out the client identity headers. */
  anonymous?: boolean;
}

async function send(base: string, method: string, path: string, options: SendOptions): Promise<PlexReply> {
  const headers: Record<string, string> = { ...(options.anonymous ? {} : CLIENT), ...options.headers };
  if (options.json !== false) headers.Accept = 'application/json';
  if (options.token !== undefined) headers['X-Plex-Token'] = options.token;
  const response = await fetch(`${base}${path}`, { method, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text, json };
}

/** One request to the PMS half, by default with the owner's server token. */
export function pms(demo: PlexDemoServer, method: string, path: string, options: SendOptions = {}): Promise<PlexReply> {
  return send(demo.url, method, path, { token: demo.owner.serverToken, ...options });
}

/** One request to the plex.tv half (no token unless given). */
export function plexTv(demo: PlexDemoServer, method: string, path: string, options: SendOptions = {}): Promise<PlexReply> {
  return send(demo.plexTvUrl, method, path, options);
}

/** A timeline report as `/:/timeline` query parameters (PLEX.md §5.1), sent by POST. */
export function timeline(
  demo: PlexDemoServer,
  ratingKey: string,
  state: 'playing' | 'paused' | 'buffering' | 'stopped',
  time: number,
  extra: Record<string, string | number> = {},
  options: SendOptions = {},
): Promise<PlexReply> {
  const query = new URLSearchParams({ ratingKey, key: `/library/metadata/${ratingKey}`, state, time: String(time), duration: '600000' });
  for (const [name, value] of Object.entries(extra)) query.set(name, String(value));
  return pms(demo, 'POST', `/:/timeline?${query}`, options);
}

/** The Unix time now in seconds. */
export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
