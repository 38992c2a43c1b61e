import type { JellyfinClient, PublicInfoAnswer } from './client.js';
import { ApiError } from './errors.js';
import { sanitizeText } from './sanitize.js';
import type { RequestOptions, ServerInfo } from './types.js';

/** What a server address looks like, shown wherever one is asked for or refused. */
export const SERVER_ADDRESS_EXAMPLE = 'https://jellyfin.example.com or http://192.168.1.10:8096';

/**
 * Reads a server address as a person types or pastes it: `jf.local:8096` gets `http://`, and
 * the web UI's address (`http://host:8096/web/index.html`, `…/web/#/home.html`) gives the
 * server's base address. A base path the server lives under (`https://host/jellyfin`) is kept;
 * a query, a fragment, a user name and a trailing slash are dropped. An empty or malformed
 * address is refused with what is wrong and an example.
 */
export function parseServerAddress(input: string): { url: string } | { error: string } {
  const typed = input.trim();
  const example = `e.g. ${SERVER_ADDRESS_EXAMPLE}`;
  if (typed === '') return { error: `Enter the server's address, ${example}.` };
  const shown = `"${sanitizeText(typed)}"`;
  if (/\s/.test(typed)) return { error: `${shown} is not a server address: it has a space in it (${example}).` };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(typed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return { error: `${shown} is not an http or https address (${example}).` };
  // `http//host`, `http:/host`: a scheme typed wrong, not a host named "http".
  if (scheme === undefined && /^https?[:/]/i.test(typed)) {
    return { error: `${shown} is not a server address: it should start with http:// or https:// (${example}).` };
  }
  const full = scheme !== undefined ? typed : `http://${typed}`;
  const url = URL.canParse(full) ? new URL(full) : undefined;
  if (url === undefined || url.hostname === '') return { error: `${shown} is not a server address (${example}).` };
  // The web UI is served under `/web` of the server's base address; what follows is a page in it.
  const path = url.pathname.replace(/\/web(\/.*)?$/i, '').replace(/\/+$/, '');
  return { url: `${url.protocol}//${url.host}${path}` };
}

/** A server address checked to be Jellyfin's, or what answered there instead, worded for a person. */
export type ServerCheck = { ok: true; info: ServerInfo } | { ok: false; error: string };

function answered(server: string, answer: PublicInfoAnswer): string {
  const notJellyfin = 'this is not a Jellyfin server (Jellyfin listens on port 8096 unless it was changed)';
  if (answer.info !== undefined) return `${server} answered as ${answer.info.productName ?? 'another server'}, not Jellyfin: ${notJellyfin}.`;
  if (answer.status >= 300 && answer.status < 400) {
    const target = answer.location?.replace(/\/System\/Info\/Public$/i, '');
    return target === undefined
      ? `${server} answered with a redirect that goes nowhere, not Jellyfin: ${notJellyfin}.`
      : `${server} redirects to ${sanitizeText(target)}: if that is your Jellyfin server, use that address.`;
  }
  if (answer.status >= 500) return `${server} answered ${answer.status} (a server error): Jellyfin may be starting, or a proxy in front of it cannot reach it. Try again in a moment.`;
  if (answer.status >= 400) return `${server} answered ${answer.status}${answer.status === 404 ? ' (not found)' : ''}, not Jellyfin: ${notJellyfin}, or not its base address.`;
  if (answer.contentType === 'text/html' || answer.contentType === 'application/xhtml+xml') return `${server} answered with a web page, not Jellyfin: ${notJellyfin}.`;
  if (/[/+]json$/.test(answer.contentType)) return `${server} answered with JSON that is not Jellyfin's: ${notJellyfin}.`;
  return `${server} answered with ${answer.contentType === '' ? 'something without a content type' : answer.contentType}, not Jellyfin: ${notJellyfin}.`;
}

function unreachable(server: string, error: ApiError): string {
  if (error.untrusted) return error.message;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const host = URL.canParse(server) ? new URL(server).hostname : server;
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing answers at ${server} (connection refused): is Jellyfin running there, and is the port right?`;
    case 'ENOTFOUND':
      return `There is no host named ${host}: check the address for a typing mistake.`;
    case 'EAI_AGAIN':
      return `Could not look up ${host} (DNS did not answer): check the network connection.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return `Cannot reach ${server} (no route to it): check the network connection and the address.`;
    default:
      return error.message;
  }
}

/**
 * Checks that Jellyfin answers at `client`'s address (its anonymous `/System/Info/Public`)
 * before a user name or password is sent there. Anything else says what answered ("…
 * answered with a web page, not Jellyfin") or why nothing did, in plain words.
 */
export async function checkServer(client: JellyfinClient, options: RequestOptions = {}): Promise<ServerCheck> {
  let answer: PublicInfoAnswer;
  try {
    answer = await client.probePublicInfo(options);
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: unreachable(client.serverUrl, error) };
    throw error;
  }
  const product = answer.info?.productName;
  if (answer.info !== undefined && (product === undefined || !/emby/i.test(product))) return { ok: true, info: answer.info };
  return { ok: false, error: answered(client.serverUrl, answer) };
}
