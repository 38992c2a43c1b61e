import type { AuthenticationResult, UserDto } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoUser, DeviceSession } from '../auth.js';
import { currentUser, type DemoState } from '../context.js';
import { empty, failure, json } from '../reply.js';
import { BadRequest, JsonFields } from '../request.js';
import type { Route } from '../router.js';
import { formatDate } from '../wire.js';
import { sessionInfoDto } from './sessions.js';

function userDto(state: DemoState, user: DemoUser, lastLogin?: Date): UserDto {
  return {
    Name: user.name,
    ServerId: state.serverId,
    ServerName: state.serverName,
    Id: user.id,
    HasPassword: user.password !== '',
    HasConfiguredPassword: user.password !== '',
    HasConfiguredEasyPassword: false,
    EnableAutoLogin: false,
    LastLoginDate: lastLogin ? formatDate(lastLogin) : undefined,
    LastActivityDate: lastLogin ? formatDate(lastLogin) : undefined,
    Configuration: {
      PlayDefaultAudioTrack: true,
      SubtitleLanguagePreference: '',
      DisplayMissingEpisodes: false,
      EnableNextEpisodeAutoPlay: true,
      RememberAudioSelections: user.rememberAudioSelections ?? true,
      RememberSubtitleSelections: user.rememberSubtitleSelections ?? true,
    },
    Policy: {
      IsAdministrator: false,
      IsHidden: false,
      IsDisabled: false,
      EnableUserPreferenceAccess: user.enableUserPreferenceAccess ?? true,
      EnableMediaPlayback: true,
      EnableContentDownloading: true,
      EnableRemoteAccess: true,
      EnableAllFolders: true,
      AuthenticationProviderId: 'Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider',
      PasswordResetProviderId: 'Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider',
    },
  };
}

/**
 * What a sign-in answers: the user, the device's client session (`AuthenticateNewSessionInternal`
 * logs session activity, creating it) and its token.
 */
function authenticationResult(state: DemoState, device: DeviceSession, at: Date): AuthenticationResult {
  const user = state.accounts.userById(device.userId) as DemoUser;
  const session = state.sessions.activity(device, user);
  return { User: userDto(state, user, at), SessionInfo: sessionInfoDto(state, session), AccessToken: device.token, ServerId: state.serverId };
}

/** Sign-in (by name or Quick Connect), the current user, and sign-out (`UserController.cs`, `SessionController.cs`). */
export const userRoutes: Route[] = [
  {
    methods: ['POST'],
    path: '/Users/AuthenticateByName',
    anonymous: true,
    handle: (request, state) => {
      const body = new JsonFields(request.body);
      const { client, device, deviceId, version } = request.auth;
      // SessionManager.AuthenticateNewSessionInternal: ArgumentException.ThrowIfNullOrEmpty on each.
      if (!client || !device || !deviceId || !version) return failure(400);
      const now = new Date();
      const session = state.accounts.signIn(body.string('Username') ?? '', body.string('Pw') ?? '', { client, device, deviceId, version }, now);
      // AuthenticationException("Invalid username or password entered.") → 401 by ExceptionMiddleware.
      if (!session) return failure(401);
      return json(authenticationResult(state, session, now));
    },
  },
  {
    methods: ['POST'],
    path: '/Users/AuthenticateWithQuickConnect',
    anonymous: true,
    handle: (request, state) => {
      const secret = new JsonFields(request.body).string('Secret');
      if (secret === undefined || secret === '') throw new BadRequest('The Secret field is required.');
      // QuickConnectManager.GetAuthorizedRequest: AuthenticationException (401) when disabled,
      // ResourceNotFoundException (404) for a secret not (or no longer) approved. The approval
      // is not used up: the same result comes back until it expires.
      if (!state.quickConnect.enabled) return failure(401);
      const grant = state.quickConnect.grant(secret);
      if (!grant) return failure(404);
      return json(authenticationResult(state, grant.session, grant.at));
    },
  },
  {
    methods: ['GET'],
    path: '/Users/Me',
    handle: (request, state) => json(userDto(state, currentUser(request), request.session?.lastActivity)),
  },
  {
    methods: ['POST'],
    path: '/Sessions/Logout',
    handle: (request, state) => {
      if (request.session) state.accounts.revoke(request.session.token);
      return empty(204);
    },
  },
];
