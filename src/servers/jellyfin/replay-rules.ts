import type { ResumeRule } from '../../session/playback-session.js';
import { TICKS_PER_SECOND, type Op, type SeenState } from '../../sync/op.js';

/** The server's watch state for one item, as a replay reads it. */
export interface ServerUserData {
  positionTicks: number;
  played: boolean;
  /** Counted up by every start report and dated mark, whoever sends it (absent: not known). */
  playCount?: number;
  lastPlayedDate?: Date;
}

/** Jellyfin's resume rules (server defaults, `ServerConfiguration.cs`). */
const MIN_RESUME_PCT = 5;
const MAX_RESUME_PCT = 90;
const MIN_RESUME_DURATION_TICKS = 300 * TICKS_PER_SECOND;

/**
 * What the server would store for a final position, by Jellyfin's `UpdatePlayState`:
 * under 5 % → position 0; over 90 % or within the last second → played, position 0;
 * a runtime under 5 minutes → played; otherwise the position is kept.
 */
export function resumeState(positionTicks: number, runtimeTicks: number | undefined): { positionTicks: number; played?: true } {
  if (runtimeTicks === undefined || runtimeTicks <= 0 || positionTicks <= 0) return { positionTicks: Math.max(0, positionTicks) };
  const pct = (positionTicks / runtimeTicks) * 100;
  if (pct < MIN_RESUME_PCT) return { positionTicks: 0 };
  if (pct > MAX_RESUME_PCT || positionTicks >= runtimeTicks - TICKS_PER_SECOND) return { positionTicks: 0, played: true };
  if (runtimeTicks < MIN_RESUME_DURATION_TICKS) return { positionTicks: 0, played: true };
  return { positionTicks };
}

/** What a replay is compared with: the server's state as reelterm last saw it. */
export function seenFrom(server: ServerUserData, at: number, serverOffsetMs: number | undefined, extra: Partial<SeenState> = {}): SeenState {
  return {
    positionTicks: server.positionTicks,
    played: server.played,
    ...(server.playCount !== undefined ? { playCount: server.playCount } : {}),
    ...(server.lastPlayedDate !== undefined ? { lastPlayedDate: server.lastPlayedDate.toISOString() } : {}),
    at,
    ...(serverOffsetMs !== undefined ? { serverOffsetMs } : {}),
    ...extra,
  };
}

/**
 * The state a live progress or stop report leaves on the server, from the state before it
 * (`UpdatePlayState`: the resume rules; a report never clears Played, never counts a play,
 * never dates one).
 */
export function afterReport(
  before: SeenState,
  report: { positionTicks: number; runtimeTicks?: number; paused?: boolean; open: boolean; streams?: SeenState['streams'] },
  at: number,
  serverOffsetMs: number | undefined,
): SeenState {
  const stored = resumeState(report.positionTicks, report.runtimeTicks ?? before.runtimeTicks);
  const { open: _open, paused: _paused, reportedTicks: _reported, ...kept } = before;
  return {
    ...kept,
    positionTicks: stored.positionTicks,
    played: before.played || stored.played === true,
    at,
    ...(serverOffsetMs !== undefined ? { serverOffsetMs } : {}),
    ...(report.runtimeTicks !== undefined ? { runtimeTicks: report.runtimeTicks } : {}),
    ...(report.open ? { open: true, paused: report.paused === true, reportedTicks: report.positionTicks } : {}),
    ...(report.streams !== undefined ? { streams: report.streams } : {}),
  };
}

/** The stream indexes an op carries, when it carries any. */
export function streamsOf(op: Op): SeenState['streams'] | undefined {
  const { audioStreamIndex: audio, subtitleStreamIndex: subtitle } = op.payload;
  if (audio === undefined && subtitle === undefined) return undefined;
  return { ...(audio !== undefined ? { audio } : {}), ...(subtitle !== undefined ? { subtitle } : {}) };
}

/** Whether the server may not yet remember these stream indexes (reelterm's reports last gave others, or none known). */
export function streamsDiffer(streams: SeenState['streams'] | undefined, seen: SeenState | undefined): boolean {
  if (streams === undefined) return false;
  return seen?.streams?.audio !== streams.audio || seen?.streams?.subtitle !== streams.subtitle;
}

/** How long after reelterm's last check-in a Jellyfin server can still stop its session by itself (5 min timeout + 5 min sweep). */
export const IDLE_STOP_WITHIN_MS = 10 * 60_000;

const sameDate = (a: string | undefined, b: Date | undefined) => (a === undefined ? b === undefined : b !== undefined && Date.parse(a) === b.getTime());

/**
 * The view after a report of reelterm's whose answer was lost: it may have reached the server,
 * so its effect is one more state the server may hold without anyone else's doing. Without a
 * view there is nothing to add to (a replay then compares dates).
 */
export function withDoubt(seen: SeenState | undefined, op: Op, at: number, replayedAt?: Date): SeenState | undefined {
  if (seen === undefined) return undefined;
  const doubt = { ...seen.doubt, states: [...(seen.doubt?.states ?? [])], dates: [...(seen.doubt?.dates ?? [])] };
  if (replayedAt !== undefined && op.kind !== 'unplayed') doubt.dates.push(replayedAt.toISOString());
  switch (op.kind) {
    case 'started':
      doubt.start = true;
      break;
    case 'progress':
    case 'stopped': {
      const stored = resumeState(op.payload.positionTicks ?? 0, op.payload.runtimeTicks ?? seen.runtimeTicks);
      // A replay states Played; a report only ever sets it.
      const played = replayedAt !== undefined ? { played: stored.played === true || op.payload.played === true } : stored.played === true ? { played: true } : {};
      doubt.states.push({ positionTicks: stored.positionTicks, ...played });
      break;
    }
    case 'played':
      doubt.states.push({ positionTicks: 0, played: true });
      if (replayedAt !== undefined) doubt.plays = (doubt.plays ?? 0) + 1;
      break;
    case 'unplayed':
      doubt.unmark = true;
      doubt.states.push({ positionTicks: 0, played: false });
  }
  const opened =
    replayedAt === undefined && (op.kind === 'started' || op.kind === 'progress') ? { open: true, paused: op.payload.paused === true, reportedTicks: op.payload.positionTicks ?? 0 } : {};
  return { ...seen, ...opened, at, doubt };
}

/**
 * Whether someone else (another device, another app) changed the item's watch state since
 * reelterm last saw it. Changes reelterm's own reports explain are not someone else's: those
 * whose answers were lost (`doubt`), and the server's stop of a session reelterm left open (a
 * crash, a lost network), which writes a position at most as far as the server's *automatic
 * progress* could carry it from reelterm's last report before that stop (Jellyfin 10.x; 12.0
 * writes the last report itself), perhaps past 90 % (played). Another device's start counts a
 * play and dates it; its progress moves the position further than that; its mark changes Played.
 */
export function changedByAnother(server: ServerUserData, seen: SeenState, serverNowMs: number, idleStopWithinMs = IDLE_STOP_WITHIN_MS): boolean {
  const doubt = seen.doubt;
  if (seen.playCount !== undefined && server.playCount !== undefined) {
    const extra = server.playCount - seen.playCount;
    const counted = extra >= 0 && extra <= (doubt?.start ? 1 : 0) + (doubt?.plays ?? 0);
    if (!counted && !(doubt?.unmark === true && server.playCount === 0)) return true;
  }
  const laterStart = doubt?.start === true && server.lastPlayedDate !== undefined && (seen.lastPlayedDate === undefined || server.lastPlayedDate.getTime() >= Date.parse(seen.lastPlayedDate));
  const written = server.lastPlayedDate !== undefined && (doubt?.dates ?? []).some((date) => Date.parse(date) === server.lastPlayedDate!.getTime());
  if (!sameDate(seen.lastPlayedDate, server.lastPlayedDate) && !laterStart && !written && !(doubt?.unmark === true && server.lastPlayedDate === undefined)) return true;
  // Played as reelterm saw it, or cleared by a start of its own (before 12.0).
  const playedAsSeen = (played: boolean) => played === seen.played || (doubt?.start === true && !played);
  if (server.positionTicks === seen.positionTicks && playedAsSeen(server.played)) return false;
  for (const state of doubt?.states ?? []) {
    if (server.positionTicks === state.positionTicks && (state.played === undefined ? playedAsSeen(server.played) || server.played === seen.played : server.played === state.played)) return false;
  }
  if (seen.open !== true) return true;
  const seenOnServerClock = seen.at + (seen.serverOffsetMs ?? 0);
  const ran = seen.paused === true ? 0 : Math.min(Math.max(0, serverNowMs - seenOnServerClock), idleStopWithinMs);
  const from = seen.reportedTicks ?? seen.positionTicks;
  // Whole seconds of slack: the server's timer ticks once a second.
  const reach = from + (ran + 2_000) * (TICKS_PER_SECOND / 1_000);
  const end = resumeState(Math.min(reach, seen.runtimeTicks ?? reach), seen.runtimeTicks);
  if (server.played && server.positionTicks === 0 && end.played === true) return false;
  return !(playedAsSeen(server.played) && server.positionTicks >= from && server.positionTicks <= reach);
}

/** Jellyfin's resume and played rules, as a session applies them to a final position. */
export const JELLYFIN_RESUME: ResumeRule = { resumeState };
