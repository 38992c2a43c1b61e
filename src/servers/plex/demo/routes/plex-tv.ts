/**
 * The plex.tv half (PLEX.md §2): PIN sign-in, the account behind a token, the servers it can
 * reach (resources, with a dead local connection, a working remote one and a relay), and ping.
 * plex.tv errors are JSON `{"errors":[…]}` (PLEX.md §6).
 */
import type { PlexAccount } from '../accounts.js';
import type { PlexDemoState } from '../context.js';
import type { Pin } from '../pins.js';
import { jsonReply, type Reply } from '../reply.js';
import { flagParam, HttpError, type PlexRequest } from '../request.js';
import type { PlexRoute } from '../router.js';

/** Every plex.tv call needs the client identifier: 400 code 1000 without it (PLEX.md §6). */
function requireClient(request: PlexRequest): string {
  if (request.plex.clientIdentifier === undefined) throw new HttpError(400, 'X-Plex-Client-Identifier is missing', 1000);
  return request.plex.clientIdentifier;
}

/** The account behind the plex.tv token; 401 code 1001 otherwise. */
function tokenAccount(request: PlexRequest, state: PlexDemoState): PlexAccount {
  const account = state.accounts.byAccountToken(request.plex.token);
  if (!account) throw new HttpError(401, 'User could not be authenticated', 1001);
  return account;
}

function pinJson(pin: Pin, now: number): Record<string, unknown> {
  return {
    id: pin.id,
    code: pin.code,
    product: pin.product,
    trusted: false,
    qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`,
    clientIdentifier: pin.clientIdentifier,
    location: { code: 'DE', european_union_member: true, continent_code: 'EU', country: 'Germany', city: 'Berlin', time_zone: 'Europe/Berlin', postal_code: '10115', in_privacy_restricted_country: true, subdivisions: 'Land Berlin', coordinates: '52.52, 13.40' },
    expiresIn: Math.max(0, Math.round((pin.expiresAt - now) / 1000)),
    createdAt: new Date(pin.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    expiresAt: new Date(pin.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    authToken: pin.account?.authToken ?? null,
    newRegistration: null,
  };
}

/** `POST /api/v2/pins[?strong=true]`: 201 with a 4-character code for 900 s, or a strong one (PLEX.md §2.2). */
function createPin(request: PlexRequest, state: PlexDemoState): Reply {
  const client = requireClient(request);
  if (request.plex.product === undefined) throw new HttpError(400, 'X-Plex-Product is missing', 1000);
  const now = state.plexTvNow().getTime();
  const pin = state.pins.create(flagParam(request, 'strong'), request.plex.product, client, now);
  return jsonReply(pinJson(pin, now), 201);
}

/** `GET /api/v2/pins/{id}`: the PIN with `authToken` once linked; 404 code 1020 when unknown or expired (PLEX.md §2.2). */
function pollPin(request: PlexRequest, state: PlexDemoState): Reply {
  const client = requireClient(request);
  const now = state.plexTvNow().getTime();
  const pin = state.pins.poll(Number(request.params.pinId), client, now);
  if (!pin) throw new HttpError(404, 'Code not found or expired', 1020);
  return jsonReply(pinJson(pin, now));
}

/** `GET /api/v2/user`: 200 for a valid token, 401 for any other (PLEX.md §2.2 step 4). */
function user(request: PlexRequest, state: PlexDemoState): Reply {
  requireClient(request);
  const account = tokenAccount(request, state);
  return jsonReply({
    id: account.id,
    uuid: account.uuid,
    username: account.username,
    title: account.title,
    email: account.email,
    friendlyName: '',
    locale: null,
    confirmed: true,
    thumb: `https://plex.tv/users/${account.uuid}/avatar`,
    authToken: account.authToken,
    subscription: { active: false, subscribedAt: null, status: 'Inactive', paymentService: null, plan: null, features: [] },
    restricted: account.managed,
    home: true,
    guest: false,
    homeAdmin: !account.managed,
    // "Date the token expires" (PLEX.md §2.2): a year from now on the plex.tv clock.
    rememberExpiresAt: Math.floor(state.plexTvNow().getTime() / 1000) + 365 * 86_400,
    joinedAt: 1_339_124_759,
  });
}

function connection(uri: string, local: boolean, relay: boolean): Record<string, unknown> {
  const url = new URL(uri);
  return { protocol: url.protocol.replace(':', ''), address: url.hostname, port: Number(url.port), uri, local, relay, IPv6: false };
}

/**
 * `GET /api/v2/resources[?includeRelay=1]`: the demo server (owned by the owner, shared in the
 * home with a managed user) with its own `accessToken` and three connections in no particular
 * order — relay, local (refused), remote (working) — so a client must order them itself
 * (PLEX.md §2.4); a player that is not a server; and a friend's shared server that is offline.
 */
function resources(request: PlexRequest, state: PlexDemoState): Reply {
  requireClient(request);
  const account = tokenAccount(request, state);
  const uris = state.connectionUris();
  const dead = (uri: string) => uri.replace(/:\d+$/, `:${uris.deadPort}`);
  const reach = state.reachability;
  const connections = [
    ...(flagParam(request, 'includeRelay') ? [connection(reach.relay ? uris.relay : dead(uris.relay), false, true)] : []),
    connection(reach.local ? uris.local : dead(uris.local), true, false),
    connection(reach.remote ? uris.remote : dead(uris.remote), false, false),
  ];
  const created = '2024-01-01T12:00:00Z';
  const seen = state.plexTvNow().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = { productVersion: state.version, platform: 'Linux', platformVersion: '6.8.0', device: 'PC', createdAt: created, lastSeenAt: seen, ownerId: null, sourceTitle: null, publicAddress: '127.0.0.1', home: true, synced: false, httpsRequired: false, publicAddressMatches: true, dnsRebindingProtection: false, natLoopbackSupported: true };
  const server = { ...base, name: state.friendlyName, product: 'Plex Media Server', clientIdentifier: state.machineIdentifier, provides: 'server', owned: !account.managed, accessToken: account.serverToken, relay: true, presence: true, connections };
  const player = { ...base, name: 'Living Room TV', product: 'Plex for LG', clientIdentifier: 'demo-living-room-tv', provides: 'client,player', owned: true, accessToken: account.authToken, relay: false, presence: true, connections: [] };
  const friend = {
    ...base,
    name: "Friend's Plex",
    product: 'Plex Media Server',
    clientIdentifier: 'demo-friends-server',
    provides: 'server',
    owned: false,
    home: false,
    sourceTitle: 'friend',
    accessToken: `friend-${account.serverToken}`,
    relay: false,
    presence: false,
    connections: [connection(dead(uris.local), true, false), connection(dead(uris.remote), false, false)],
  };
  return jsonReply([server, player, friend]);
}

/** `GET /api/v2/ping`: keeps a token alive (PLEX.md §2.2); the body is not documented anywhere we read. */
function ping(request: PlexRequest, state: PlexDemoState): Reply {
  requireClient(request);
  tokenAccount(request, state);
  return jsonReply({ pong: true });
}

/** The plex.tv endpoints (none of them in the PMS OpenAPI document: PLEX.md §2). */
export const plexTvRoutes: PlexRoute[] = [
  { methods: ['POST'], path: '/api/v2/pins', anonymous: true, handle: createPin },
  { methods: ['GET'], path: '/api/v2/pins/{pinId}', anonymous: true, handle: pollPin },
  { methods: ['GET'], path: '/api/v2/user', anonymous: true, handle: user },
  { methods: ['GET'], path: '/api/v2/resources', anonymous: true, handle: resources },
  { methods: ['GET'], path: '/api/v2/ping', anonymous: true, handle: ping },
];
