import type { SessionInfoDto } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { currentUser, type DemoState } from '../context.js';
import { baseItemDto } from '../dto.js';
import { json } from '../reply.js';
import type { Route } from '../router.js';
import { positionNow, type ClientSession } from '../sessions.js';
import { formatDate } from '../wire.js';
import { Forbidden, guidParam, intQuery } from './params.js';

/** `DateTime.MinValue`, what `LastPlaybackCheckIn` holds before a first check-in. */
const NEVER = new Date('0001-01-01T00:00:00Z');

/**
 * `SessionManager.ToSessionInfoDto`. A demo session has no capabilities, remote control or
 * transcoding; its play state carries what the last report said, with the position moved on by
 * automatic progress. The demo keeps no repeat mode or play order, so those are the defaults.
 */
export function sessionInfoDto(state: DemoState, session: ClientSession): SessionInfoDto {
  const play = session.playState;
  return {
    PlayState: {
      PositionTicks: positionNow(session, state.now()),
      CanSeek: play?.canSeek ?? false,
      IsPaused: play?.paused ?? false,
      IsMuted: play?.muted ?? false,
      MediaSourceId: play?.mediaSourceId,
      RepeatMode: 'RepeatNone',
      PlaybackOrder: 'Default',
    },
    AdditionalUsers: [],
    PlayableMediaTypes: [],
    Id: session.id,
    UserId: session.userId,
    UserName: session.userName,
    Client: session.client,
    LastActivityDate: formatDate(session.lastActivity),
    LastPlaybackCheckIn: formatDate(session.lastCheckIn ?? NEVER),
    LastPausedDate: session.pausedSince && formatDate(session.pausedSince),
    DeviceName: session.deviceName,
    NowPlayingItem: play?.item && baseItemDto(state, play.item, { fields: new Set() }),
    DeviceId: session.deviceId,
    ApplicationVersion: session.version,
    IsActive: true,
    SupportsMediaControl: false,
    SupportsRemoteControl: false,
    NowPlayingQueue: [],
    HasCustomDeviceName: false,
    ServerId: state.serverId,
    SupportedCommands: [],
  };
}

/**
 * `SessionController.GetSessions` → `SessionManager.GetSessions` for a non-administrator: the
 * user's own sessions, most recently active first, filtered by `deviceId` (ignoring case) and
 * `activeWithinSeconds`. `controllableByUserId` keeps only sessions that support remote
 * control, which no demo session does; naming another user is a 403 (`RequestHelpers.GetUserId`).
 */
export const sessionRoutes: Route[] = [
  {
    methods: ['GET'],
    path: '/Sessions',
    handle: (request, state) => {
      const user = currentUser(request);
      const controllable = request.query.get('controllableByUserId');
      if (controllable !== undefined && controllable !== '') {
        if (guidParam(controllable, 'controllableByUserId') !== user.id) throw new Forbidden('Forbidden');
        return json([]);
      }
      const deviceId = request.query.get('deviceId')?.toLowerCase();
      const within = intQuery(request, 'activeWithinSeconds');
      const since = within !== undefined && within > 0 ? state.now().getTime() - within * 1000 : undefined;
      const sessions = state.sessions
        .of(user.id)
        .filter((session) => (deviceId === undefined || deviceId === '' || session.deviceId.toLowerCase() === deviceId) && (since === undefined || session.lastActivity.getTime() >= since));
      return json(sessions.map((session) => sessionInfoDto(state, session)));
    },
  },
];
