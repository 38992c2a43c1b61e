/**
 * The got instance a server kind's client talks through: never retries (the outbox owns
 * retrying), bounded by a whole-request timeout, checks certificates unless told not to, and
 * follows a redirect only within the server's own origin (a redirect elsewhere would carry the
 * token there).
 */
import got, { type Got } from 'got';

export function serverHttp(options: { baseUrl: string; timeoutMs?: number; insecure?: boolean; headers: Record<string, string> }): Got {
  const origin = new URL(options.baseUrl).origin;
  return got.extend({
    prefixUrl: `${options.baseUrl}/`,
    retry: { limit: 0 },
    timeout: { request: options.timeoutMs ?? 10_000 },
    https: { rejectUnauthorized: !options.insecure },
    followRedirect: (response) => {
      const location = response.headers.location;
      return location !== undefined && URL.canParse(location, response.url) && new URL(location, response.url).origin === origin;
    },
    responseType: 'text',
    headers: options.headers,
  });
}
