import type { JellyfinClient, PublicInfoAnswer } from './client.js';
import { ApiError } from './errors.js';
import { sanitizeText } from '../../text/sanitize.js';
import type { RequestOptions, ServerInfo } from './types.js';

export { parseServerAddress, SERVER_ADDRESS_EXAMPLE } from '../address.js';

/** A server address checked to be Jellyfin's, or what answered there instead, worded for a person. */
/**
 * A failed check says why: nothing answered (`unreachable`), the server answered that it cannot
 * serve now (`unavailable`, a 5xx or 429), or something that is not Jellyfin answered (`other`).
 */
export type ServerCheck = { ok: true; info: ServerInfo } | { ok: false; error: string; why: 'unreachable' | 'unavailable' | 'other' };

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
    if (error instanceof ApiError) return { ok: false, error: unreachable(client.serverUrl, error), why: 'unreachable' };
    throw error;
  }
  const product = answer.info?.productName;
  if (answer.info !== undefined && (product === undefined || !/emby/i.test(product))) return { ok: true, info: answer.info };
  return { ok: false, error: answered(client.serverUrl, answer), why: answer.status >= 500 || answer.status === 429 ? 'unavailable' : 'other' };
}
