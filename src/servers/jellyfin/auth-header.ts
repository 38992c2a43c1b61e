/** The client identity Jellyfin reads from the `Authorization: MediaBrowser …` header. */
export interface ClientIdentity {
  client: string;
  device: string;
  deviceId: string;
  version: string;
  token?: string;
}

/**
 * Builds `MediaBrowser Client="…", Device="…", DeviceId="…", Version="…", Token="…"` with each
 * value URL-encoded as `@jellyfin/sdk` does (the server URL-decodes them). `Token` only when set.
 */
export function authorizationHeader(identity: ClientIdentity): string {
  const parts: Array<[string, string]> = [
    ['Client', identity.client],
    ['Device', identity.device],
    ['DeviceId', identity.deviceId],
    ['Version', identity.version],
  ];
  if (identity.token) parts.push(['Token', identity.token]);
  return `MediaBrowser ${parts.map(([key, value]) => `${key}="${encodeURIComponent(value)}"`).join(', ')}`;
}
