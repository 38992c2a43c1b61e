import type { Deliver, SendContext } from './deliver.js';
import { TICKS_PER_SECOND, type Op } from './op.js';

/** A session report, as the Jellyfin client takes it. */
export interface PlaybackReport {
  itemId: string;
  positionTicks: number;
  isPaused?: boolean;
  playSessionId?: string;
  mediaSourceId?: string;
  audioStreamIndex?: number;
  subtitleStreamIndex?: number;
  failed?: boolean;
}

/** The server's view of one item's watch state, as the deliverer needs it. */
export interface ServerUserData {
  positionTicks: number;
  played: boolean;
  lastPlayedDate?: Date;
}

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
  /** The server's clock minus this machine's, from the latest answer's `Date` header. */
  clockOffsetMs?(): number | undefined;
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
}

/** How far the server's clock can be misread from its `Date` header (whole seconds, a round trip). */
const MEASURED_SKEW_TOLERANCE_MS = 5_000;

/**
 * Delivers ops to Jellyfin. A fresh op goes out as the live session report. An op that
 * waited is a replay: it first reads the item's UserData, and when the server has watch
 * activity newer than the op (another device), it is *superseded* and nothing is written;
 * otherwise it is written with the user's own time (`LastPlayedDate`, `datePlayed`), never
 * as a late session report, which the server would stamp with its own clock.
 */
export class JellyfinDeliver implements Deliver {
  private readonly replayAfterMs: number;
  private readonly skewToleranceMs: number;
  private readonly expireAfterMs: number;
  /**
   * Per item, the server's LastPlayedDate as our own last write left it (a start's stamp, read
   * back; a mark's or a replay's answer). Found unchanged at a replay, it is ours, not another
   * device's, whatever the clocks say (also when no `Date` header tells the server's clock).
   */
  private readonly ownStamps = new Map<string, number | undefined>();

  constructor(
    private readonly api: PlaystateApi,
    options: JellyfinDeliverOptions = {},
  ) {
    this.replayAfterMs = options.replayAfterMs ?? 60_000;
    this.skewToleranceMs = options.skewToleranceMs ?? 60_000;
    this.expireAfterMs = options.expireAfterMs ?? 30 * 24 * 60 * 60 * 1000;
  }

  async probe(signal: AbortSignal): Promise<void> {
    await this.api.ping({ signal });
  }

  clockOffsetMs(): number | undefined {
    return this.api.clockOffsetMs?.();
  }

  async send(op: Op, context: SendContext): Promise<'delivered' | 'superseded' | 'expired'> {
    const at = new Date(op.createdAt);
    const fresh = context.now - at.getTime() < this.replayAfterMs;
    const options = { signal: context.signal };
    if (fresh) {
      // Dates we write are the server's: on its clock, the user's time.
      await this.sendLive(op, new Date(at.getTime() + (op.serverOffsetMs ?? this.api.clockOffsetMs?.() ?? 0)), options, context.nextRequest);
      return 'delivered';
    }
    if (op.kind === 'started') return 'superseded';
    const server = await this.api.getUserData(op.itemId, options);
    // Both times on the server's clock (this GET just measured it): the server's own stamp of
    // our start is never taken for another device's activity, however far apart the clocks are,
    // and a jump of this machine's clock alone never makes an op look a month old.
    const offset = this.api.clockOffsetMs?.();
    const opOnServerClock = at.getTime() + (op.serverOffsetMs ?? offset ?? 0);
    if (op.anyAge !== true && context.now + (offset ?? 0) - opOnServerClock > this.expireAfterMs) return 'expired';
    const serverLast = server.lastPlayedDate?.getTime();
    const tolerance = offset === undefined ? this.skewToleranceMs : MEASURED_SKEW_TOLERANCE_MS;
    const ours = this.ownStamps.has(op.itemId) && this.ownStamps.get(op.itemId) === serverLast;
    if (!ours && serverLast !== undefined && serverLast > opOnServerClock + tolerance) return 'superseded';
    context.nextRequest?.();
    await this.replay(op, new Date(opOnServerClock), options);
    return 'delivered';
  }

  private remember(itemId: string, state: ServerUserData): void {
    this.ownStamps.set(itemId, state.lastPlayedDate?.getTime());
  }

  private async sendLive(op: Op, at: Date, options: Signal, nextRequest?: () => void): Promise<void> {
    const { positionTicks = 0, paused, playSessionId, mediaSourceId, audioStreamIndex, subtitleStreamIndex } = op.payload;
    const session = { ...(playSessionId ? { playSessionId } : {}), ...(mediaSourceId ? { mediaSourceId } : {}) };
    const tracks = { ...(audioStreamIndex !== undefined ? { audioStreamIndex } : {}), ...(subtitleStreamIndex !== undefined ? { subtitleStreamIndex } : {}) };
    switch (op.kind) {
      case 'started':
        await this.api.reportPlaybackStart({ itemId: op.itemId, positionTicks, isPaused: paused ?? false, ...session, ...tracks }, options);
        // What the start stamped, read back once: a replay later tells our own stamp from another device's.
        nextRequest?.();
        await this.api.getUserData(op.itemId, options).then(
          (state) => this.remember(op.itemId, state),
          () => this.ownStamps.delete(op.itemId),
        );
        return;
      case 'progress':
        await this.api.reportPlaybackProgress({ itemId: op.itemId, positionTicks, isPaused: paused ?? false, ...session, ...tracks }, options);
        return;
      case 'stopped':
        await this.api.reportPlaybackStopped({ itemId: op.itemId, positionTicks, ...session }, options);
        return;
      case 'played':
      case 'unplayed':
        await this.writeMark(op, at, options);
    }
  }

  private async replay(op: Op, at: Date, options: Signal): Promise<void> {
    if (op.kind === 'played' || op.kind === 'unplayed') {
      await this.writeMark(op, at, options);
      return;
    }
    const state = resumeState(op.payload.positionTicks ?? 0, op.payload.runtimeTicks);
    const played = state.played === true ? true : op.payload.played;
    const written = await this.api.updateUserData(
      op.itemId,
      { playbackPositionTicks: state.positionTicks, ...(played !== undefined ? { played } : {}), lastPlayedDate: at },
      options,
    );
    this.remember(op.itemId, written);
  }

  private async writeMark(op: Op, at: Date, options: Signal): Promise<void> {
    const written = op.kind === 'played' ? await this.api.markPlayed(op.itemId, at, options) : await this.api.markUnplayed(op.itemId, options);
    this.remember(op.itemId, written);
  }
}
