import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { CLIENT_HEADER } from './demo-server.js';

/** A raw reply, for tests of the server's wire behaviour. */
export interface RawReply {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

/** Sends one request straight to the demo server (no client in between). */
export async function raw(
  server: DemoServer,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `${CLIENT_HEADER}, Token="${options.token}"`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text, json };
}

/** Signs in over raw HTTP and returns the token. */
export async function rawSignIn(server: DemoServer, deviceId = 'raw-device', user = 'demo', password = 'demo'): Promise<string> {
  const reply = await raw(server, 'POST', '/Users/AuthenticateByName', {
    headers: { authorization: `MediaBrowser Client="raw", Device="raw-host", DeviceId="${deviceId}", Version="1.0"` },
    body: { Username: user, Pw: password },
  });
  if (reply.status !== 200) throw new Error(`sign-in failed with ${reply.status}`);
  return reply.json.AccessToken as string;
}
