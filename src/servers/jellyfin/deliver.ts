import { readFailure, type Deliver, type SendContext, type SendOutcome } from '../../sync/deliver.js';
import type { Op, SeenState } from '../../sync/op.js';
import { BatchedReads } from '../../sync/batched-reads.js';
import { newestSeen } from '../../sync/seen.js';
import { afterReport, changedByAnother, IDLE_STOP_WITHIN_MS, resumeState, seenFrom, streamsDiffer, streamsOf, withDoubt, type ServerUserData } from './replay-rules.js';

import type { PlaybackReport } from './types.js';

export { resumeState, type ServerUserData } from './replay-rules.js';
export type { PlaybackReport } from './types.js';

type Signal = { signal?: AbortSignal };

/** The part of the Jellyfin client the outbox delivers through. */
export interface PlaystateApi {
  ping(options?: Signal): Promise<unknown>;
  reportPlaybackStart(info: PlaybackReport, options?: Signal): Promise<unknown>;
  reportPlaybackProgress(info: PlaybackReport, options?: Signal): Promise<unknown>;
  reportPlaybackStopped(info: PlaybackReport, options?: Signal): Promise<unknown>;
  markPlayed(itemId: string, datePlayed?: Date, options?: Signal): Promise<ServerUserData>;
  markUnplayed(itemId: string, options?: Signal): Promise<ServerUserData>;
  getUserData(itemId: string, options?: Signal): Promise<ServerUserData>;
  updateUserData(itemId: string, data: { playbackPositionTicks?: number; played?: boolean; lastPlayedDate?: Date }, options?: Signal): Promise<ServerUserData>;
  /** The item's watch state from its item answer: readable where the UserData route is forbidden. */
  itemUserData?(itemId: string, options?: Signal): Promise<ServerUserData>;
  /** Several items' watch state in one request (a backlog's replays read theirs together). */
  watchStates?(itemIds: readonly string[], options?: Signal): Promise<Map<string, ServerUserData>>;
  /** The server's clock minus this machine's, from the latest answer's `Date` header. */
  clockOffsetMs?(): number | undefined;
}

/** Options for `JellyfinDeliver`. */
export interface JellyfinDeliverOptions {
  /** An op older than this is replayed with its own time instead of sent as a live report. */
  replayAfterMs?: number;
  /**
   * Clock skew allowed when comparing the server's LastPlayedDate with the op's time, when the
   * server's clock is unknown (no `Date` header). Known, the op is placed on the server's clock.
   */
  skewToleranceMs?: number;
  /** An op older than this, by the server's clock, is not replayed: `expired` (unless `anyAge`). */
  expireAfterMs?: number;
  /**
   * After this long without a report of reelterm's reaching an open playback session, the server
   * may have stopped the session by itself (Jellyfin: 5 minutes without a check-in, written at its
   * own idea of the position, perhaps "watched"): the next progress or stop goes as a replay,
   * which states the position and Played. Default 4.5 minutes.
   */
  sessionIdleMs?: number;
}

/** How far the server's clock can be misread from its `Date` header (whole seconds, a round trip). */
const MEASURED_SKEW_TOLERANCE_MS = 5_000;


/** The stream indexes of a start or progress report, as the client takes them. */
function tracksOf(op: Op): { audioStreamIndex?: number; subtitleStreamIndex?: number } {
  const { audioStreamIndex, subtitleStreamIndex } = op.payload;
  return { ...(audioStreamIndex !== undefined ? { audioStreamIndex } : {}), ...(subtitleStreamIndex !== undefined ? { subtitleStreamIndex } : {}) };
}

/** A 403 from Jellyfin itself (not a proxy's page, which reads as retryable). */
function forbidden(error: unknown): boolean {
  const value = error as { status?: unknown; kind?: unknown };
  return value?.status === 403 && value.kind === 'permanent';
}

/** Said in the sync screen once the server has refused this account's UserData writes. */
const LATE_STOP_NOTICE =
  'This account may not write watch data directly (its Jellyfin policy has "Allow user preference access" off): ' +
  'late updates are sent as stop reports, which the server dates with its own clock and which cannot mark an item unwatched.';

/**
 * Delivers ops to Jellyfin. A fresh op goes out as the live session report. An op that
 * waited is a replay: it first reads the item's watch state, and when someone else (another
 * device) changed it since reelterm last saw it, nothing is written and the op is kept aside
 * (*superseded*). Otherwise the server's own playback session for the item is ended first
 * (a failed stop, which leaves user data alone: its idle stop cannot write over the replay
 * later), and the op is written with the user's own time (`LastPlayedDate`, `datePlayed`)
 * and an explicit Played, never as a late session report, which the server would stamp with
 * its own clock. An account that may not write UserData gets a late stop report instead.
 */
export class JellyfinDeliver implements Deliver {
  private readonly replayAfterMs: number;
  private readonly skewToleranceMs: number;
  private readonly expireAfterMs: number;
  private readonly sessionIdleMs: number;
  /** Per item, the server's state as this deliverer's own reports and reads left it. */
  private readonly seenByItem = new Map<string, SeenState>();
  private userDataForbidden = false;
  /** Replays' reads, many items to a request. */
  private readonly reads: BatchedReads<ServerUserData> | undefined;

  constructor(
    private readonly api: PlaystateApi,
    options: JellyfinDeliverOptions = {},
  ) {
    const many = api.watchStates?.bind(api);
    this.reads = many === undefined ? undefined : new BatchedReads((ids, signal) => many(ids, { signal }));
    this.replayAfterMs = options.replayAfterMs ?? 60_000;
    this.skewToleranceMs = options.skewToleranceMs ?? 60_000;
    this.expireAfterMs = options.expireAfterMs ?? 30 * 24 * 60 * 60 * 1000;
    this.sessionIdleMs = options.sessionIdleMs ?? 270_000;
  }

  async probe(signal: AbortSignal): Promise<void> {
    await this.api.ping({ signal });
  }

  clockOffsetMs(): number | undefined {
    return this.api.clockOffsetMs?.();
  }

  seen(itemId: string): SeenState | undefined {
    return this.seenByItem.get(itemId);
  }

  withDoubt(seen: SeenState | undefined, op: Op, at: number): SeenState | undefined {
    return withDoubt(seen, op, at);
  }

  notice(): string | undefined {
    return this.userDataForbidden ? LATE_STOP_NOTICE : undefined;
  }

  upcoming(ops: readonly Op[]): void {
    this.reads?.hintReplays(ops, this.replayAfterMs);
  }

  async send(op: Op, context: SendContext): Promise<SendOutcome> {
    try {
      return await this.deliver(op, context);
    } finally {
      this.reads?.settled(op.itemId);
    }
  }

  private async deliver(op: Op, context: SendContext): Promise<SendOutcome> {
    const at = new Date(op.createdAt);
    const seen = this.seenByItem.get(op.itemId);
    // A live report after the server may have ended the session by itself would not undo what that wrote.
    const idle = seen?.open === true && (op.kind === 'progress' || op.kind === 'stopped') && context.now - seen.at > this.sessionIdleMs;
    const fresh = context.now - at.getTime() < this.replayAfterMs && !idle;
    const options = { signal: context.signal };
    if (fresh) {
      // Dates we write are the server's: on its clock, the user's time.
      await this.sendLive(op, new Date(at.getTime() + (op.serverOffsetMs ?? this.api.clockOffsetMs?.() ?? 0)), options, context);
      return 'delivered';
    }
    if (op.kind === 'started') {
      // An attempt whose answer was lost may have reached the server: what the server has may be our own start.
      if (op.unsure === true) this.doubt(op, context.now);
      return 'superseded';
    }
    const server = (await this.reads?.read(op.itemId, context.signal)) ?? (await this.readState(op.itemId, options));
    // Both times on the server's clock (this GET just measured it): a jump of this machine's
    // clock alone never makes an op look a month old.
    const offset = this.api.clockOffsetMs?.();
    const opOnServerClock = at.getTime() + (op.serverOffsetMs ?? offset ?? 0);
    const serverNow = context.now + (offset ?? 0);
    if (op.anyAge !== true) {
      if (serverNow - opOnServerClock > this.expireAfterMs) return 'expired';
      if (this.someoneElse(op, server, opOnServerClock, serverNow, offset)) {
        // The server's session is not reelterm's to wait on any more: what the viewer does next goes live.
        const kept = this.seenByItem.get(op.itemId);
        if (kept?.open === true) this.see(op.itemId, { ...kept, open: false, at: context.now });
        return {
          superseded: {
            positionTicks: server.positionTicks,
            played: server.played,
            ...(server.lastPlayedDate !== undefined ? { lastPlayedDate: server.lastPlayedDate.toISOString() } : {}),
          },
        };
      }
    }
    const before = newestSeen(this.seenByItem.get(op.itemId), op.basis);
    const streams = streamsOf(op);
    let sessionOpen = this.sessionMayBeOpen(before, serverNow - opOnServerClock, serverNow);
    if (streamsDiffer(streams, before) && (op.kind === 'progress' || op.kind === 'stopped')) {
      // The tracks the viewer chose, for the server to remember: a paused report, whose session the failed stop below ends.
      context.nextRequest?.();
      await this.api.reportPlaybackProgress({ itemId: op.itemId, positionTicks: op.payload.positionTicks ?? 0, isPaused: true, ...this.session(op), ...tracksOf(op) }, options);
      sessionOpen = true;
    }
    if (sessionOpen) {
      context.nextRequest?.();
      await this.api.reportPlaybackStopped({ itemId: op.itemId, positionTicks: op.payload.positionTicks ?? 0, failed: true, ...this.session(op) }, options);
    }
    context.nextRequest?.();
    try {
      await this.replay(op, new Date(opOnServerClock), options, context, before);
    } catch (error) {
      if (readFailure(error).mayHaveLanded) this.setSeen(op.itemId, withDoubt(before, op, context.now, this.userDataForbidden ? undefined : new Date(opOnServerClock)));
      throw error;
    }
    const after = this.seenByItem.get(op.itemId);
    if (streams !== undefined && after !== undefined) this.see(op.itemId, { ...after, streams });
    return 'delivered';
  }

  /**
   * Whether the server's state is someone else's doing. Compared with the state reelterm last
   * saw (its own reports included, and those whose answers were lost); without one (an op from
   * an older reelterm), by date: the server's LastPlayedDate later than the op means another
   * device started it since.
   */
  private someoneElse(op: Op, server: ServerUserData, opOnServerClock: number, serverNow: number, offset: number | undefined): boolean {
    const basis = newestSeen(this.seenByItem.get(op.itemId), op.basis);
    if (basis !== undefined) return changedByAnother(server, basis, serverNow);
    const serverLast = server.lastPlayedDate?.getTime();
    const tolerance = offset === undefined ? this.skewToleranceMs : MEASURED_SKEW_TOLERANCE_MS;
    return serverLast !== undefined && serverLast > opOnServerClock + tolerance;
  }

  /**
   * Whether the server may still hold a playback session of reelterm's for the item, which its
   * idle stop could later write over a replay: a report of reelterm's reached it (or may have)
   * within the time the server takes to stop a silent session by itself. A backlog hours old
   * needs no stop first (one request less per update).
   */
  private sessionMayBeOpen(before: SeenState | undefined, opAgeMs: number, serverNow: number): boolean {
    if (opAgeMs < IDLE_STOP_WITHIN_MS) return true;
    if (before?.open !== true) return false;
    return serverNow - (before.at + (before.serverOffsetMs ?? 0)) < IDLE_STOP_WITHIN_MS;
  }

  private session(op: Op): { playSessionId?: string; mediaSourceId?: string } {
    const { playSessionId, mediaSourceId } = op.payload;
    return { ...(playSessionId ? { playSessionId } : {}), ...(mediaSourceId ? { mediaSourceId } : {}) };
  }

  /** The item's watch state: its UserData, or its item answer where this account may not read UserData. */
  private async readState(itemId: string, options: Signal): Promise<ServerUserData> {
    if (!this.userDataForbidden || this.api.itemUserData === undefined) {
      try {
        return await this.api.getUserData(itemId, options);
      } catch (error) {
        if (!forbidden(error) || this.api.itemUserData === undefined) throw error;
        this.userDataForbidden = true;
      }
    }
    return this.api.itemUserData(itemId, options);
  }

  /** A new view of the item; the stream indexes the server remembers stay known until a report changes them. */
  private see(itemId: string, state: SeenState): void {
    const streams = this.seenByItem.get(itemId)?.streams;
    this.seenByItem.set(itemId, state.streams === undefined && streams !== undefined ? { ...state, streams } : state);
  }

  private setSeen(itemId: string, state: SeenState | undefined): void {
    if (state === undefined) this.seenByItem.delete(itemId);
    else this.see(itemId, state);
  }

  /**
   * The op's answer was lost: the server may hold its effect, as if reelterm had seen it land.
   * `wrote`: the date the request stamped, when it wrote one (a mark: it also counted a play).
   */
  private doubt(op: Op, now: number, wrote?: Date): void {
    this.setSeen(op.itemId, withDoubt(newestSeen(this.seenByItem.get(op.itemId), op.basis), op, now, wrote));
  }

  private async sendLive(op: Op, at: Date, options: Signal, context: SendContext): Promise<void> {
    try {
      await this.sendLiveReport(op, at, options, context);
    } catch (error) {
      // The server may have acted on it before the answer was lost. A live mark writes what a
      // replayed one does (its date, a play counted): a retry, a replay by then, must know both
      // as reelterm's own, not another device's.
      if (readFailure(error).mayHaveLanded) this.doubt(op, context.now, op.kind === 'played' ? at : undefined);
      throw error;
    }
  }

  private async sendLiveReport(op: Op, at: Date, options: Signal, context: SendContext): Promise<void> {
    const { positionTicks = 0, paused, runtimeTicks } = op.payload;
    const session = this.session(op);
    const tracks = tracksOf(op);
    const streams = streamsOf(op);
    const offset = () => this.api.clockOffsetMs?.();
    const before = newestSeen(this.seenByItem.get(op.itemId), op.basis);
    switch (op.kind) {
      case 'started': {
        await this.api.reportPlaybackStart({ itemId: op.itemId, positionTicks, isPaused: paused ?? false, ...session, ...tracks }, options);
        // What the start did (a play counted, a date stamped), read back once: a replay later tells it from another device's.
        context.nextRequest?.();
        await this.readState(op.itemId, options).then(
          (state) =>
            this.see(
              op.itemId,
              seenFrom(state, context.now, offset(), {
                open: true,
                paused: paused === true,
                reportedTicks: positionTicks,
                ...(runtimeTicks !== undefined ? { runtimeTicks } : {}),
                ...(streams !== undefined ? { streams } : {}),
              }),
            ),
          // The start landed, but what it left is not known: it is taken as reelterm's own.
          () => this.doubt(op, context.now),
        );
        return;
      }
      case 'progress':
      case 'stopped': {
        const open = op.kind === 'progress';
        if (!open && streamsDiffer(streams, before)) {
          // A track change the stop swallowed: a stop report carries none, so a progress names them first.
          await this.api.reportPlaybackProgress({ itemId: op.itemId, positionTicks, isPaused: true, ...session, ...tracks }, options);
          context.nextRequest?.();
        }
        if (open) await this.api.reportPlaybackProgress({ itemId: op.itemId, positionTicks, isPaused: paused ?? false, ...session, ...tracks }, options);
        else await this.api.reportPlaybackStopped({ itemId: op.itemId, positionTicks, ...session }, options);
        const report = { positionTicks, ...(runtimeTicks !== undefined ? { runtimeTicks } : {}), paused: paused === true, open, ...(streams !== undefined ? { streams } : {}) };
        if (before !== undefined) this.see(op.itemId, afterReport(before, report, context.now, offset()));
        return;
      }
      case 'played':
      case 'unplayed': {
        const written = await this.writeMark(op, at, options);
        const { open, paused: wasPaused, reportedTicks, runtimeTicks: runtime } = before ?? {};
        this.see(op.itemId, seenFrom(written, context.now, offset(), { ...(open ? { open, paused: wasPaused === true } : {}), ...(reportedTicks !== undefined ? { reportedTicks } : {}), ...(runtime !== undefined ? { runtimeTicks: runtime } : {}) }));
      }
    }
  }

  private async replay(op: Op, at: Date, options: Signal, context: SendContext, before: SeenState | undefined): Promise<void> {
    const offset = this.api.clockOffsetMs?.();
    if (op.kind === 'played' || op.kind === 'unplayed') {
      this.see(op.itemId, seenFrom(await this.writeMark(op, at, options), context.now, offset));
      return;
    }
    const state = resumeState(op.payload.positionTicks ?? 0, op.payload.runtimeTicks);
    // Stated whatever it is: the server's idle stop may already have set Played.
    const played = state.played === true || op.payload.played === true;
    if (!this.userDataForbidden) {
      try {
        const written = await this.api.updateUserData(op.itemId, { playbackPositionTicks: state.positionTicks, played, lastPlayedDate: at }, options);
        this.see(op.itemId, seenFrom(written, context.now, offset));
        return;
      } catch (error) {
        if (!forbidden(error)) throw error;
        this.userDataForbidden = true;
      }
    }
    await this.api.reportPlaybackStopped({ itemId: op.itemId, positionTicks: op.payload.positionTicks ?? 0, ...this.session(op) }, options);
    // What the late stop leaves follows the resume rules; without a view there is nothing to add it to.
    const report = { positionTicks: op.payload.positionTicks ?? 0, ...(op.payload.runtimeTicks !== undefined ? { runtimeTicks: op.payload.runtimeTicks } : {}), open: false };
    this.setSeen(op.itemId, before === undefined ? undefined : afterReport(before, report, context.now, offset));
  }

  private async writeMark(op: Op, at: Date, options: Signal): Promise<ServerUserData> {
    return op.kind === 'played' ? await this.api.markPlayed(op.itemId, at, options) : await this.api.markUnplayed(op.itemId, options);
  }
}
