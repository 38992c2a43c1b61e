import type { Credentials } from '../config/credentials.js';
import { log } from '../log.js';
import { startPlexDemoServer, type PlexDemoServer } from '../servers/demos.js';
import { NAMED_KINDS } from '../servers/index.js';
import { onShutdown } from '../shutdown.js';

/** A demo of Plex that runs while the app does: the server, its sign-in and the words about it. */
export interface PlexDemo {
  server: PlexDemoServer;
  credentials: Credentials;
  /** Printed on exit: where it listened and how to break it on purpose. */
  banner: string;
  /** For the `?` help, each line short enough for 80 columns. */
  helpLines: string[];
  /** For the header. */
  where: string;
}

/**
 * Starts the embedded demo Plex server on loopback (a Plex Media Server and a plex.tv stand-in,
 * each on a free port) and signs in as its owner with the server's own token, as
 * `reelterm login --plex` would. The sign-in stays in memory; the server stops at shutdown.
 */
export async function startPlexDemo(): Promise<PlexDemo> {
  const server = await startPlexDemoServer({ autoLinkPins: true });
  onShutdown('stop the demo Plex server', () => server.close());
  log.info('demo plex server started', { url: server.url, plexTv: server.plexTvUrl });
  const switches = `${server.plexTvUrl}/__demo/faults`;
  return {
    server,
    credentials: { kind: NAMED_KINDS.plex, server: server.url, serverId: server.machineIdentifier, userId: String(server.owner.id), userName: server.owner.username, token: server.owner.serverToken },
    banner:
      `Demo Plex server: ${server.url} (plex.tv stand-in: ${server.plexTvUrl}; signed in as "${server.owner.username}")\n` +
      `Fault switches: curl -d '{"fault":"offline","forMs":30000}' ${switches}   (30 s offline; {"fault":"clear"} ends any fault)\n`,
    helpLines: [`Demo Plex server: ${server.url}`, `Fault switches: ${switches}`],
    where: `demo Plex server ${server.url}`,
  };
}
