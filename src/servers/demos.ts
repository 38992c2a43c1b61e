import type { DemoServer, DemoServerOptions } from './jellyfin/demo/index.js';
import type { PlexDemoOptions, PlexDemoServer } from './plex/demo/index.js';

// The embedded demo servers, kept out of ./index.ts: a command that talks to a real server
// (`reelterm`, `sync`, `login`) loads none of their code, and `--demo` loads its own demo's
// when it starts it (each is a chunk of the bundle of its own). The one place besides
// ./index.ts that reaches into a kind's folder, and only for its demo server.

export type { DemoServer, DemoServerOptions, PlexDemoServer };

/** Starts the embedded demo server: a Jellyfin of its own on loopback, with fault switches. */
export async function startDemoServer(options?: DemoServerOptions): Promise<DemoServer> {
  const demo = await import('./jellyfin/demo/index.js');
  return demo.startDemoServer(options);
}

/** Starts the embedded demo Plex server (a server and a plex.tv of its own on loopback), for `--demo --plex`. */
export async function startPlexDemoServer(options?: PlexDemoOptions): Promise<PlexDemoServer> {
  const demo = await import('./plex/demo/index.js');
  return demo.startPlexDemoServer(options);
}
