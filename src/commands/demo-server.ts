import { log } from '../log.js';
import { onShutdown } from '../shutdown.js';
import { DEMO_USER, demoBanner, listenDemo, parsePort, type DemoRules } from './demo.js';
import type { CommandResult } from './pending.js';

/**
 * `reelterm demo-server`: runs the demo server on its own, so that `reelterm login`, two
 * reelterms or another Jellyfin client can try it. Says where it listens, the account to sign
 * in with and the switches, then serves until the shutdown (Ctrl+C, a signal) stops it.
 * `port` and `host` come from the command line as typed; `REELTERM_DEMO_ADMIN_PORT` fixes the
 * port of the admin listener.
 */
export async function demoServerCommand(options: {
  port: string;
  host: string;
  rules: DemoRules;
  env?: NodeJS.ProcessEnv;
  say: (text: string) => void;
}): Promise<CommandResult> {
  const env = options.env ?? process.env;
  const adminPort = env.REELTERM_DEMO_ADMIN_PORT ? parsePort(env.REELTERM_DEMO_ADMIN_PORT, 'REELTERM_DEMO_ADMIN_PORT') : undefined;
  const server = await listenDemo(
    { port: parsePort(options.port, '--port'), host: options.host, rules: options.rules, ...(adminPort !== undefined ? { adminPort } : {}) },
    { port: '--port', adminPort: 'REELTERM_DEMO_ADMIN_PORT', host: '--host' },
  );
  const stopped = new Promise<void>((resolve) => {
    onShutdown('stop the demo server', async () => {
      await server.close();
      resolve();
    });
  });
  log.info('demo server started on its own', { url: server.url, switches: server.switchesUrl, admin: server.adminUrl });
  options.say(
    demoBanner(server) +
      `Sign in to it: reelterm login --server ${server.url} --user ${DEMO_USER.name}   (password "${DEMO_USER.password}")\n` +
      'Ctrl+C stops it; it keeps nothing it was sent.\n',
  );
  await stopped;
  return { stdout: '', stderr: '', exitCode: 0 };
}
