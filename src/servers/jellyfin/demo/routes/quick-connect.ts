import type { QuickConnectResult } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoUser } from '../auth.js';
import type { DemoState } from '../context.js';
import type { AuthorizeOutcome, QuickConnectRequest } from '../quick-connect.js';
import { failure, json, type Reply } from '../reply.js';
import { BadRequest } from '../request.js';
import { legacyTwin, type Route } from '../router.js';
import { formatDate } from '../wire.js';
import { actingUser } from './params.js';

function resultDto(request: QuickConnectRequest): QuickConnectResult {
  return {
    Authenticated: request.authenticated,
    Secret: request.secret,
    Code: request.code,
    DeviceId: request.deviceId,
    DeviceName: request.deviceName,
    AppName: request.appName,
    AppVersion: request.appVersion,
    DateAdded: formatDate(request.dateAdded),
  };
}

/** `Unauthorized("Quick connect is disabled")`: a string result, which the server writes as JSON. */
function disabled(): Reply {
  return json('Quick connect is disabled', 401);
}

function requiredQuery(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new BadRequest(`The ${name} field is required.`);
  return value;
}

/**
 * Approves a pending request as `user`: the requesting device is signed in at once
 * (`SessionManager.AuthenticateDirect`, which revokes that device's earlier tokens).
 */
export function approveQuickConnect(state: DemoState, code: string, user: DemoUser): AuthorizeOutcome {
  return state.quickConnect.authorize(code, (device) =>
    state.accounts.signInAs(user, { client: device.appName, device: device.deviceName, deviceId: device.deviceId, version: device.appVersion }, new Date()),
  );
}

/** `QuickConnectController.InitiateQuickConnect`. */
const INITIATE: Route = {
  methods: ['POST'],
  path: '/QuickConnect/Initiate',
  anonymous: true,
  handle: (request, state) => {
    const { client, device, deviceId, version } = request.auth;
    // QuickConnectManager.TryConnect: ArgumentException.ThrowIfNullOrEmpty on each, before the enabled check.
    if (!client || !device || !deviceId || !version) return failure(400);
    if (!state.quickConnect.enabled) return disabled();
    return json(resultDto(state.quickConnect.initiate({ deviceId, deviceName: device, appName: client, appVersion: version })));
  },
};

/**
 * `QuickConnectController` (10.11). Disabled, Initiate, Connect and Authorize answer 401 with the
 * JSON string "Quick connect is disabled"; Initiate first needs the four client values of the
 * `Authorization` header (400 otherwise, even when disabled); Connect answers 404 "Unknown secret"
 * for an unknown or expired secret; Authorize answers 404 (`ResourceNotFoundException`) for an
 * unknown code and 500 (`InvalidOperationException`) for one already approved.
 */
export const quickConnectRoutes: Route[] = [
  {
    methods: ['GET'],
    path: '/QuickConnect/Enabled',
    anonymous: true,
    handle: (_request, state) => json(state.quickConnect.enabled),
  },
  INITIATE,
  // QuickConnectController.InitiateQuickConnectLegacy: [Obsolete("Use POST request instead")],
  // [ApiExplorerSettings(IgnoreApi = true)]; still answered by 10.11 and 12.0.
  legacyTwin(INITIATE, '/QuickConnect/Initiate', 'QuickConnectController.InitiateQuickConnectLegacy', { methods: ['GET'] }),
  {
    methods: ['GET'],
    path: '/QuickConnect/Connect',
    anonymous: true,
    handle: (request, state) => {
      const secret = requiredQuery(request.query.get('secret'), 'secret');
      if (!state.quickConnect.enabled) return disabled();
      const pending = state.quickConnect.status(secret);
      return pending ? json(resultDto(pending)) : json('Unknown secret', 404);
    },
  },
  {
    methods: ['POST'],
    path: '/QuickConnect/Authorize',
    handle: (request, state) => {
      const code = requiredQuery(request.query.get('code'), 'code');
      const user = actingUser(request);
      if (!state.quickConnect.enabled) return disabled();
      const outcome = approveQuickConnect(state, code, user);
      if (outcome === 'unknown') return failure(404);
      if (outcome === 'already-authorized') return failure(500);
      return json(true);
    },
  },
];
