import { createHash } from 'node:crypto';
import type { DemoUser, DeviceSession } from './auth.js';
import type { DemoItem } from './library.js';
import { applyPlaybackStopped, type DemoVersion } from './playstate.js';
import type { JsonFields } from './request.js';
import type { UserDataStore } from './user-data.js';
import { TICKS_PER_SECOND } from './wire.js';

/** Jellyfin's fixed idle rule (`SessionManager.StartCheckTimers` / `CheckForIdlePlayback`): every 5 minutes, over 5 minutes. */
const FIVE_MINUTES_MS = 5 * 60_000;

/** When the server gives up on a silent player (`DemoServerOptions.sessions`); short values make tests fast. */
export interface SessionTimings {
  /** A playing session whose last check-in is older than this is stopped (default 5 minutes). */
  idleTimeoutMs?: number;
  /** How often the server looks for such sessions (default every 5 minutes). */
  idleSweepMs?: number;
}

/** The player fields of a Start or Progress report (`PlaybackProgressInfo`) that a session keeps. */
export interface PlayerReport {
  positionTicks?: number;
  paused: boolean;
  canSeek: boolean;
  muted: boolean;
  mediaSourceId?: string;
  playSessionId?: string;
}

/**
 * Reads a report's player fields. Called before anything changes: a malformed field fails model
 * binding in ASP.NET (400) before the action runs, so nothing may be half-applied.
 */
export function readPlayerReport(body: JsonFields): PlayerReport {
  return {
    positionTicks: body.integer('PositionTicks'),
    paused: body.boolean('IsPaused') ?? false,
    canSeek: body.boolean('CanSeek') ?? false,
    muted: body.boolean('IsMuted') ?? false,
    mediaSourceId: body.string('MediaSourceId'),
    playSessionId: body.string('PlaySessionId'),
  };
}

/** What a session plays since its last check-in (`SessionInfo.NowPlayingItem` and `PlayState`). */
export interface PlayState extends PlayerReport {
  /** Undefined when the report named no item the server knows (`NowPlayingItem` null). */
  item?: DemoItem;
}

/** One client session (`SessionInfo`): the server keeps one per client name and DeviceId. */
export interface ClientSession {
  readonly id: string;
  userId: string;
  userName: string;
  client: string;
  deviceName: string;
  deviceId: string;
  version: string;
  lastActivity: Date;
  /** `LastPlaybackCheckIn`: the last Start or Progress report (automatic progress never moves it). */
  lastCheckIn?: Date;
  /** `LastPausedDate`: since when the player reports being paused. */
  pausedSince?: Date;
  /** Set by Start and Progress, cleared by Stopped (`RemoveNowPlayingItem`). */
  playState?: PlayState;
}

/** A session's now-playing item as the server would report it now (`DemoServer.nowPlaying`). */
export interface NowPlaying {
  itemId: string;
  itemName: string;
  /** The reported position, moved on by automatic progress while not paused; undefined when none was reported. */
  positionTicks?: number;
  paused: boolean;
  deviceId: string;
  client: string;
  playSessionId?: string;
}

const STOPS_KEPT = 1_000;

/** A playback the idle sweep stopped, and the position it wrote. */
export interface IdleStop {
  userName: string;
  itemId: string;
  deviceId: string;
  /** Undefined writes "played" (a stop without a position, `OnPlaybackStopped`). */
  positionTicks?: number;
}

/**
 * `SessionInfo.Id`: `GetSessionKey(appName, deviceId).GetMD5().ToString("N")`, the MD5 of the
 * key's UTF-16 bytes read as a .NET `Guid`, whose first three fields print byte-reversed.
 */
export function sessionIdOf(client: string, deviceId: string): string {
  const hash = createHash('md5').update(Buffer.from(client + deviceId, 'utf16le')).digest();
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((index) => hash[index] ?? 0)).toString('hex');
}

/**
 * The position the server holds for a session at `now`. After a check-in that is not paused,
 * `SessionInfo.StartAutomaticProgress` starts a 1-second timer whose first tick comes a second
 * later; `OnProgressTimerCallback` adds one second per tick (from 0 when no position or a
 * negative one was reported) and skips any step that would reach the runtime, so the position
 * stops short of the end. Jellyfin 10.11 and 12.0 alike (`SessionInfo.cs`, `SessionInfoTests`).
 */
export function positionNow(session: ClientSession, now: Date): number | undefined {
  const play = session.playState;
  if (!play || play.paused || !session.lastCheckIn) return play?.positionTicks;
  const elapsed = Math.floor((now.getTime() - session.lastCheckIn.getTime()) / 1000);
  const from = Math.max(0, play.positionTicks ?? 0);
  const runtime = play.item?.runTimeTicks;
  const steps = runtime === undefined ? elapsed : Math.min(elapsed, Math.ceil((runtime - from) / TICKS_PER_SECOND) - 1);
  return steps > 0 ? from + steps * TICKS_PER_SECOND : play.positionTicks;
}

/** What the client sessions need from the server. */
export interface ClientSessionsOptions {
  version: DemoVersion;
  /** The server's clock. */
  now(): Date;
  userData: UserDataStore;
  timings?: SessionTimings;
}

/**
 * The server's in-memory client sessions (`SessionManager._activeConnections` in
 * `Emby.Server.Implementations/Session/SessionManager.cs`, each a `SessionInfo` of
 * `MediaBrowser.Controller/Session/SessionInfo.cs`): who plays what on which device, the
 * automatic progress, and the idle stop that writes a vanished player's position to its user's data.
 */
export class ClientSessions {
  private readonly byKey = new Map<string, ClientSession>();
  private timings: Required<SessionTimings>;
  /** Every idle stop so far, oldest first (the last 1,000). */
  readonly idleStops: IdleStop[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ClientSessionsOptions) {
    this.timings = { idleTimeoutMs: options.timings?.idleTimeoutMs ?? FIVE_MINUTES_MS, idleSweepMs: options.timings?.idleSweepMs ?? FIVE_MINUTES_MS };
  }

  /**
   * `LogSessionActivity` → `GetSessionInfo`: the session of this client name and DeviceId
   * (`GetSessionKey` is their concatenation, compared ignoring case), created on first use,
   * taken over by whichever user acts on it last.
   */
  activity(device: DeviceSession, user: DemoUser): ClientSession {
    const key = (device.client + device.deviceId).toLowerCase();
    const fields = { userId: user.id, userName: user.name, client: device.client, deviceName: device.device, deviceId: device.deviceId, version: device.version, lastActivity: this.options.now() };
    const session = this.byKey.get(key);
    if (session) return Object.assign(session, fields);
    const created: ClientSession = { id: sessionIdOf(device.client, device.deviceId), ...fields };
    this.byKey.set(key, created);
    return created;
  }

  /**
   * A Start or Progress report (`OnPlaybackStart`, `OnPlaybackProgress` not automated):
   * `UpdateNowPlayingItem(…, updateLastCheckInTime: true)` sets the item, the play state and
   * `LastPlaybackCheckIn`; `StartAutomaticProgress` restarts from the reported position;
   * `StartCheckTimers` starts the idle sweep. `/Sessions/Playing/Ping` touches none of this.
   */
  checkIn(device: DeviceSession, user: DemoUser, item: DemoItem | undefined, report: PlayerReport): void {
    const session = this.activity(device, user);
    const now = this.options.now();
    session.lastCheckIn = now;
    if (!report.paused) session.pausedSince = undefined;
    else session.pausedSince ??= now;
    session.playState = { ...report, item, mediaSourceId: report.mediaSourceId || item?.id };
    this.sweepEvery(this.timings.idleSweepMs);
  }

  /**
   * A Stopped report (`OnPlaybackStopped`): `RemoveNowPlayingItem` runs whatever item the report
   * names and also when `Failed` is set (which only spares the user data), so the idle sweep
   * has nothing left to stop.
   */
  stopped(device: DeviceSession, user: DemoUser): void {
    this.activity(device, user).playState = undefined;
  }

  /**
   * `Logout(Device)` → `ReportSessionEnded`: every session on this DeviceId goes, without a stop
   * report, so nothing is written for what it was playing.
   */
  end(deviceId: string): void {
    for (const [key, session] of this.byKey) {
      if (session.deviceId.toLowerCase() === deviceId.toLowerCase()) this.byKey.delete(key);
    }
  }

  /** A user's sessions, most recently active first (`GetSessions` for a non-administrator). */
  of(userId: string): ClientSession[] {
    return [...this.byKey.values()].filter((session) => session.userId === userId).sort((a, b) => b.lastActivity.getTime() - a.lastActivity.getTime());
  }

  /** What a user's sessions play, with positions as the server holds them now. */
  nowPlaying(userId: string): NowPlaying[] {
    const now = this.options.now();
    return this.of(userId).flatMap((session) => {
      const play = session.playState;
      if (!play?.item) return [];
      return [{ itemId: play.item.id, itemName: play.item.name, positionTicks: positionNow(session, now), paused: play.paused, deviceId: session.deviceId, client: session.client, playSessionId: play.playSessionId }];
    });
  }

  /**
   * One idle sweep (`CheckForIdlePlayback`): every playing session whose last check-in is more
   * than the timeout ago is stopped through `OnPlaybackStopped`, which writes user data like a
   * Stopped report. With nothing playing the sweep timer stops until the next check-in.
   */
  sweep(): IdleStop[] {
    const now = this.options.now();
    const playing = [...this.byKey.values()].filter((session) => session.playState?.item !== undefined);
    if (playing.length === 0) this.stopSweeping();
    const stops: IdleStop[] = [];
    for (const session of playing) {
      const play = session.playState;
      if (!play?.item || !session.lastCheckIn || now.getTime() - session.lastCheckIn.getTime() <= this.timings.idleTimeoutMs) continue;
      // 10.11 stops at PlayState.PositionTicks, which automatic progress has moved on; 12.0 at
      // SessionInfo.LastPlaybackCheckInPositionTicks, which only a client's own Start or Progress
      // sets (master's SessionInfoTests; JELLYFIN.md §5.2 dates it to commit 499e64b1c3).
      const positionTicks = this.options.version === '12.0.0' ? play.positionTicks : positionNow(session, now);
      // A negative position throws ArgumentOutOfRangeException before the session is touched; the sweep logs it and retries next time.
      if (positionTicks !== undefined && positionTicks < 0) continue;
      const data = this.options.userData.get(session.userId, play.item.id);
      applyPlaybackStopped(play.item, data, positionTicks, false);
      this.options.userData.save(session.userId, play.item.id, data);
      session.playState = undefined;
      stops.push({ userName: session.userName, itemId: play.item.id, deviceId: session.deviceId, positionTicks });
    }
    this.idleStops.push(...stops);
    if (this.idleStops.length > STOPS_KEPT) this.idleStops.splice(0, this.idleStops.length - STOPS_KEPT);
    return stops;
  }

  /** Changes the idle rule and returns the one in force; a running sweep timer picks up a new period. */
  configure(timings: SessionTimings): Required<SessionTimings> {
    const sweepChanged = timings.idleSweepMs !== undefined && timings.idleSweepMs !== this.timings.idleSweepMs;
    this.timings = { idleTimeoutMs: timings.idleTimeoutMs ?? this.timings.idleTimeoutMs, idleSweepMs: timings.idleSweepMs ?? this.timings.idleSweepMs };
    if (this.timer && sweepChanged) {
      this.stopSweeping();
      this.sweepEvery(this.timings.idleSweepMs);
    }
    return { ...this.timings };
  }

  /** Stops the sweep timer for good (the server is closing). */
  close(): void {
    this.stopSweeping();
  }

  private sweepEvery(ms: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), ms);
    this.timer.unref();
  }

  private stopSweeping(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
