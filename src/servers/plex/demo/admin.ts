/**
 * The demo Plex server's switches for a person at a terminal (`reelterm --demo --plex`), served
 * on the plex.tv half's port under `/__demo/` (loopback only, never journaled): link a PIN code
 * as the user would at plex.tv/link, flip faults on either half, change the rule switches.
 *
 *   curl -d '{"code":"7RQZ"}' $PLEXTV/__demo/link
 *   curl -d '{"fault":"status","code":503}' $PLEXTV/__demo/faults          (PMS half)
 *   curl -d '{"half":"plex.tv","fault":"offline","forMs":10000}' $PLEXTV/__demo/faults
 *   curl -d '{"threshold":50}' $PLEXTV/__demo/rules
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaultCommand } from '../../demo-kit/index.js';
import type { PlexFaults } from './faults.js';
import type { PlexRules } from './rules.js';

/** What the switches act on. */
export interface AdminDesk {
  faults: PlexFaults;
  plexTvFaults: PlexFaults;
  linkPin(code: string, username?: string): boolean;
  configureRules(changes: Partial<PlexRules>): Readonly<PlexRules>;
}

/** The paths of the switches; plex.tv has no route under them. */
export const ADMIN_PATH = /^\/__demo(\/|$)/;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function send(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('Send a JSON object');
  return value as Record<string, unknown>;
}

/** Answers one `/__demo/…` request. */
export async function handleAdmin(desk: AdminDesk, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return send(response, 403, { error: 'The demo switches answer loopback only' });
  const path = new URL(request.url ?? '/', 'http://admin.invalid').pathname;
  try {
    if (path === '/__demo/faults' && request.method === 'GET') return send(response, 200, { pms: desk.faults.snapshot(), plexTv: desk.plexTvFaults.snapshot() });
    if (request.method !== 'POST') return send(response, 405, { error: 'POST a JSON command' });
    const command = await readJson(request);
    if (path === '/__demo/link') {
      if (typeof command.code !== 'string') return send(response, 400, { error: 'code must be the PIN code the client shows' });
      const user = typeof command.user === 'string' ? command.user : undefined;
      if (!desk.linkPin(command.code, user)) return send(response, 404, { error: `No live PIN has the code ${command.code}` });
      return send(response, 200, { linked: true, code: command.code });
    }
    if (path === '/__demo/faults') {
      const faults = command.half === 'plex.tv' ? desk.plexTvFaults : desk.faults;
      if (command.half === 'plex.tv' && command.fault === 'offline') {
        // Closing this port ends every connection on it, this one too: only once the reply is out.
        send(response, 200, { ...faults.snapshot(), offline: true, note: 'This port (switches included) refuses connections now; give "forMs" to have it come back by itself.' });
        response.once('finish', () => void applyFaultCommand(faults, command));
        return;
      }
      if (command.fault === 'maintenance') faults.maintenance();
      else await applyFaultCommand(faults, command);
      return send(response, 200, faults.snapshot());
    }
    if (path === '/__demo/rules') return send(response, 200, desk.configureRules(command as Partial<PlexRules>));
    send(response, 404, { error: 'Use /__demo/link, /__demo/faults or /__demo/rules' });
  } catch (error) {
    send(response, 400, { error: (error as Error).message });
  }
}
