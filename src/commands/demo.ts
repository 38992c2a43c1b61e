import { startDemoServer, type DemoServer, type DemoServerOptions } from '../servers/demos.js';
import type { Credentials } from '../config/credentials.js';
import { log } from '../log.js';
import { onShutdown } from '../shutdown.js';
import type { AppContext } from './context.js';
import { makeServer } from './context.js';

/** The demo account `reelterm --demo` signs in with. */
export const DEMO_USER = { name: 'demo', password: 'demo' } as const;

/** The Jellyfin versions whose rules the demo server follows, as the user names them. */
export type DemoRules = '10.11' | '12.0';

/** A demo server that could not start, said so a user can act on it; Node's own error is in the log. */
export class DemoStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoStartError';
  }
}

/**
 * A port number from a flag or an environment variable (`source` names it in the message);
 * 0 picks a free port. Anything else is a `DemoStartError`.
 */
export function parsePort(text: string, source: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new DemoStartError(`${source} must be a port number from 1 to 65535 (or 0 for a free one), not "${text}".`);
  return port;
}

/** Where the user chose the ports, to name in a message: `--port`, `REELTERM_DEMO_PORT`… */
export interface PortSources {
  port: string;
  adminPort: string;
  host?: string;
}

/** Turns a failed listen into a sentence naming the port and how to choose another. */
function listenError(error: unknown, options: DemoServerOptions, sources: PortSources): Error {
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  const source = port !== undefined && port === options.adminPort && port !== options.port ? sources.adminPort : sources.port;
  if (code === 'EADDRINUSE') return new DemoStartError(`Port ${port} is already in use: choose another with ${source}.`);
  if (code === 'EACCES') return new DemoStartError(`Port ${port} needs privileges reelterm does not have: choose one above 1023 with ${source}.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new DemoStartError(`This machine has no address ${options.host ?? '127.0.0.1'} to listen on${sources.host ? `: choose another with ${sources.host}` : ''}.`);
  }
  return new DemoStartError(`The demo server could not start (${(error as Error).message}).`);
}

/**
 * Starts a demo server following `rules`, with the demo user. A port that is taken, not allowed
 * or on an address this machine does not have becomes a `DemoStartError` naming `sources`.
 */
export async function listenDemo(options: DemoServerOptions & { rules: DemoRules }, sources: PortSources): Promise<DemoServer> {
  const { rules, ...rest } = options;
  if (rest.port !== undefined && rest.port !== 0 && rest.port === rest.adminPort) {
    throw new DemoStartError(`${sources.adminPort} must differ from ${sources.port} (both are ${rest.port}).`);
  }
  try {
    return await startDemoServer({ users: [DEMO_USER], ...rest, version: rules === '12.0' ? '12.0.0' : '10.11.11' });
  } catch (error) {
    log.error('the demo server could not listen', { error });
    throw listenError(error, rest, sources);
  }
}

/** The demo server's ports from `REELTERM_DEMO_PORT` and `REELTERM_DEMO_ADMIN_PORT` (free ones when unset). */
export function demoPortsFromEnv(env: NodeJS.ProcessEnv): { port: number; adminPort?: number } {
  const port = env.REELTERM_DEMO_PORT ? parsePort(env.REELTERM_DEMO_PORT, 'REELTERM_DEMO_PORT') : 0;
  const adminPort = env.REELTERM_DEMO_ADMIN_PORT ? parsePort(env.REELTERM_DEMO_ADMIN_PORT, 'REELTERM_DEMO_ADMIN_PORT') : undefined;
  return { port, ...(adminPort !== undefined ? { adminPort } : {}) };
}

/**
 * Starts the embedded demo server on 127.0.0.1 (ports from `demoPortsFromEnv` unless given),
 * following Jellyfin 10.11's rules or 12.0's, and signs in as the demo user. The sign-in stays
 * in memory: nothing is written to the credentials file. The server stops at shutdown.
 */
export async function startDemo(
  context: AppContext,
  options: { env?: NodeJS.ProcessEnv; rules?: DemoRules; ports?: { port: number; adminPort?: number | false } } = {},
): Promise<{ server: DemoServer; credentials: Credentials }> {
  const ports = options.ports ?? demoPortsFromEnv(options.env ?? process.env);
  const server = await listenDemo(
    { ...ports, rules: options.rules ?? '10.11' },
    { port: 'REELTERM_DEMO_PORT (or leave it unset for a free port)', adminPort: 'REELTERM_DEMO_ADMIN_PORT (or leave it unset)' },
  );
  onShutdown('stop the demo server', () => server.close());
  const demo = makeServer(context, server.url);
  const signIn = await demo.signIn.password!(DEMO_USER.name, DEMO_USER.password);
  return { server, credentials: { kind: demo.kind, server: demo.url, userId: signIn.userId, userName: signIn.userName, token: signIn.token } };
}

/** The fault-switch example: offline for a while, since offline also closes the port the switches are on. */
const OFFLINE_EXAMPLE = `curl -d '{"fault":"offline","forMs":30000}'`;

/**
 * What `--demo` prints on exit (and `demo-server` at start) about where the server listens and
 * how to break it on purpose.
 */
export function demoBanner(server: DemoServer): string {
  const lines = [`Demo server: ${server.url}, Jellyfin ${server.version} rules (user "${DEMO_USER.name}", password "${DEMO_USER.password}")`];
  if (server.switchesUrl) {
    lines.push(`Fault switches: ${OFFLINE_EXAMPLE} ${server.switchesUrl}/__demo/faults   (30 s offline; {"fault":"clear"} ends any fault)`);
    lines.push(`Another device: curl -d '{"action":"markPlayed","item":"<item name>"}' ${server.switchesUrl}/__demo/device`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The demo server's addresses for the TUI's `?` help, each line short enough for 80 columns:
 * where it listens, who to sign in as, and where the switches are.
 */
export function demoHelpLines(server: DemoServer): string[] {
  const lines = [`Demo server: ${server.url} (user "${DEMO_USER.name}", password "${DEMO_USER.password}")`];
  if (server.switchesUrl) {
    lines.push(`Fault switches: ${server.switchesUrl}/__demo/faults`);
    lines.push(`Another device: ${server.switchesUrl}/__demo/device`);
  }
  return lines;
}
