import { join } from 'node:path';
import type { AppPaths } from '../config/paths.js';
import type { DemoServer } from '../demo/index.js';
import { startDemoServer } from '../demo/index.js';
import type { Credentials } from '../config/credentials.js';
import { onShutdown } from '../shutdown.js';
import type { AppContext } from './context.js';
import { makeClient } from './context.js';

/** The demo account `reelterm --demo` signs in with. */
export const DEMO_USER = { name: 'demo', password: 'demo' } as const;

/** Demo mode keeps its own queue so demo updates never mix with a real server's. */
export function demoPaths(paths: AppPaths): AppPaths {
  const dataDir = join(paths.dataDir, 'demo');
  return { ...paths, dataDir, queueFile: join(dataDir, 'queue.json'), lockFile: join(dataDir, 'queue.lock') };
}

/**
 * Starts the embedded demo server on 127.0.0.1 (a free port unless `REELTERM_DEMO_PORT` is
 * set), following Jellyfin 10.11's rules or 12.0's, and signs in as the demo user. The sign-in stays in memory: nothing is written to
 * the credentials file. The server stops at shutdown.
 */
export async function startDemo(context: AppContext, env: NodeJS.ProcessEnv = process.env, version: '10.11' | '12.0' = '10.11'): Promise<{ server: DemoServer; credentials: Credentials }> {
  const port = env.REELTERM_DEMO_PORT ? Number(env.REELTERM_DEMO_PORT) : 0;
  const adminPort = env.REELTERM_DEMO_ADMIN_PORT ? Number(env.REELTERM_DEMO_ADMIN_PORT) : undefined;
  const server = await startDemoServer({
    port,
    ...(adminPort !== undefined ? { adminPort } : {}),
    users: [DEMO_USER],
    version: version === '12.0' ? '12.0.0' : '10.11.11',
  });
  onShutdown('stop the demo server', () => server.close());
  const client = makeClient(context, server.url);
  const signIn = await client.authenticateByName(DEMO_USER.name, DEMO_USER.password);
  return { server, credentials: { server: client.serverUrl, userId: signIn.userId, userName: signIn.userName, token: signIn.token } };
}

/** What `--demo` prints about where the server listens and how to break it on purpose. */
export function demoBanner(server: DemoServer): string {
  const lines = [`Demo server: ${server.url}, Jellyfin ${server.version} rules (user "${DEMO_USER.name}", password "${DEMO_USER.password}")`];
  if (server.adminUrl) {
    lines.push(`Fault switches: curl -d '{"fault":"offline"}' ${server.adminUrl}/__demo/faults   (then {"fault":"online"})`);
    lines.push(`Another device: curl -d '{"action":"markPlayed","item":"<item name>"}' ${server.adminUrl}/__demo/device`);
  }
  return `${lines.join('\n')}\n`;
}
