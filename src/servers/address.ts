import { sanitizeText } from '../text/sanitize.js';

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
