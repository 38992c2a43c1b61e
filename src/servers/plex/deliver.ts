/**
 * How queued updates reach a Plex server (PLEX.md §0, §5), exactly once:
 *
 * - Live (an update under a minute old): playback reports as `/:/timeline` (playing, paused,
 *   stopped), the user's track choice as the file's selected streams, marks as `/:/scrobble` and
 *   `/:/unscrobble`. A reply that says the server ended the playback (`terminationCode`: an admin
 *   stopped the stream) ends it here too: one final `stopped` at once, never a `playing` again
 *   (it would open a zombie session), and the viewer is told.
 * - Late (an update that waited): never a `playing` or `paused` (a phantom "Now Playing"
 *   session, §0.8). The item's state is read first; when someone else changed it since reelterm
 *   last saw it, nothing is written (superseded, shown in the sync screen). A position goes as
 *   one `stopped` with `offline=1` and the user's time in `updated`.
 * - "Watched" (a mark, or a playback that reached the played threshold where the server may not
 *   have counted it: offline, or a live session the server did not keep): `/:/scrobble` adds a
 *   play on every call (§0.2), so the play count is read first and the scrobble sent only while
 *   it is still what it was when the watch began (`playsBefore`), so a retry after a lost answer
 *   finds the play already counted.
 * - A scrobble or unscrobble, which Plex answers with an empty 200 (§5.2), is done when Plex
 *   Media Server itself answered it: its answers carry `X-Plex-Protocol`. An empty 200 without
 *   it (a middlebox answering in the server's place) is checked by reading the item again, so it
 *   never counts as done unless the server holds the write's effect. (A timeline report's answer
 *   must be a MediaContainer, which a middlebox's is not.)
 */
import { readFailure, type Deliver, type EndedByServer, type SendContext, type SendOutcome } from '../../sync/deliver.js';
import type { Op, SeenState } from '../../sync/op.js';
import { BatchedReads } from '../../sync/batched-reads.js';
import { newestSeen } from '../../sync/seen.js';
import { log } from '../../log.js';
import { ApiError } from '../http/errors.js';
import type { PlexClient, PlexWatchState, TimelineReply } from './client.js';
import { TICKS_PER_MS } from './mappers.js';
import { afterUnmark, afterWrite, changedByAnother, MEASURED_SKEW_TOLERANCE_MS, playsBefore, seenFromServer } from './replay-rules.js';

type Options = { signal: AbortSignal };

/** How many times a scrobble whose count did not rise is sent again before the server is believed. */
const SCROBBLE_CHECKS = 3;


export interface PlexDeliverOptions {
  /** What a position leaves on the server: nothing kept under a minute, watched from the threshold (the server's own rule). */
  reached(positionTicks: number, runtimeTicks: number | undefined, creditsTicks?: number): boolean;
  /** Resolves once `reached` knows the server's own threshold (read from its preferences), or that it cannot be read. */
  ready?(): Promise<void>;
  /** An update older than this is late (default a minute). */
  liveForMs?: number;
  /** An update older than this, by the server's clock, is not replayed: `expired` (unless the user put it back). Default 30 days. */
  expireAfterMs?: number;
  /** Clock skew allowed when the server's clock is not known (no `Date` header). */
  skewToleranceMs?: number;
}

export class PlexDeliver implements Deliver {
  /** The streams last written per file, so a report that names the same ones writes nothing. */
  private readonly selected = new Map<string, string>();
  /** Per item, the server's state as reelterm's own reads and writes left it. */
  private readonly seenByItem = new Map<string, SeenState>();
  /** Playbacks the server ended (item and playback id). */
  private readonly ended = new Set<string>();
  private readonly endedListeners = new Set<(ended: EndedByServer) => void>();
  private readonly liveForMs: number;
  private readonly expireAfterMs: number;
  private readonly skewToleranceMs: number;
  /** Replays' reads, many items to a request. */
  private readonly reads: BatchedReads<PlexWatchState>;

  constructor(
    private readonly client: PlexClient,
    private readonly options: PlexDeliverOptions,
  ) {
    this.liveForMs = options.liveForMs ?? 60_000;
    this.expireAfterMs = options.expireAfterMs ?? 30 * 24 * 60 * 60 * 1000;
    this.skewToleranceMs = options.skewToleranceMs ?? 60_000;
    this.reads = new BatchedReads((ids, signal) => client.watchStates(ids, { signal }));
  }

  upcoming(ops: readonly Op[]): void {
    this.reads.hintReplays(ops, this.liveForMs);
  }

  probe(signal: AbortSignal): Promise<void> {
    return this.client.identity({ signal }).then(() => undefined);
  }

  clockOffsetMs(): number | undefined {
    return this.client.clockOffsetMs();
  }

  seen(itemId: string): SeenState | undefined {
    return this.seenByItem.get(itemId);
  }

  withDoubt(seen: SeenState | undefined, op: Op, at: number): SeenState | undefined {
    if (op.kind === 'unplayed') return afterUnmark(seen, at, false);
    return afterWrite(seen, { serverNowMs: at + (this.client.clockOffsetMs() ?? 0), at, serverOffsetMs: this.client.clockOffsetMs(), mayCount: this.mayCount(op), certain: false });
  }

  /** Calls `listener` when the server ends a playback reelterm reports (an admin stopped the stream). */
  onPlaybackEnded(listener: (ended: EndedByServer) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  async send(op: Op, context: SendContext): Promise<SendOutcome> {
    try {
      // (an update put back by the user, whatever its age, is still late: never a live report)
      const live = context.now - Date.parse(op.createdAt) < this.liveForMs && context.earlierRun !== true;
      return await (live ? this.sendLive(op, context) : this.replay(op, context));
    } catch (error) {
      // The server may have acted on it before the answer was lost: its effect is reelterm's own.
      if (readFailure(error).mayHaveLanded) this.setSeen(op.itemId, this.withDoubt(this.before(op, context.now), op, context.now));
      throw error;
    } finally {
      this.reads.settled(op.itemId);
    }
  }

  private async sendLive(op: Op, context: SendContext): Promise<SendOutcome> {
    const options = { signal: context.signal };
    const playback = playbackKey(op);
    switch (op.kind) {
      case 'played':
        await this.countOnce(op, context, await this.read(op.itemId, options, context), true);
        return 'delivered';
      case 'unplayed':
        await this.unmark(op, context);
        return 'delivered';
      case 'started':
        // The server ended this playback: it is not opened again.
        if (this.ended.has(playback)) return 'superseded';
        if (await this.selectStreams(op, options)) context.nextRequest?.();
        await this.report(op, op.payload.paused === true ? 'paused' : 'playing', undefined, context);
        // The play count before this watch, read beside the reports that follow (a start never
        // counts one: the new session is not armed yet), so they do not wait behind it; unread,
        // the count the session began with stands in.
        void this.beginWatch(op, undefined).catch((error: unknown) =>
          log.info('plex: the play count before a watch could not be read; the session\'s own stands in', { item: op.itemId, error: (error as Error).message }),
        );
        return 'delivered';
      case 'progress': {
        if (await this.selectStreams(op, options)) context.nextRequest?.();
        // After the server ended the playback, the position still goes, as a report that opens no session.
        const state = this.ended.has(playback) ? 'stopped' : op.payload.paused === true ? 'paused' : 'playing';
        await this.report(op, state, undefined, context);
        return 'delivered';
      }
      case 'stopped': {
        if (await this.selectStreams(op, options)) context.nextRequest?.();
        await this.report(op, 'stopped', undefined, context);
        this.ended.delete(playback);
        // (whether it reached the threshold is the server's own threshold's call)
        await this.options.ready?.();
        // Reached the threshold, or an earlier report of this playback may have: counted once (the live crossing, or a scrobble now).
        if (this.reached(op)) await this.countOnce(op, context, undefined, true);
        else if ((this.seenByItem.get(op.itemId)?.doubt?.plays ?? 0) > 0) this.see(op.itemId, await this.read(op.itemId, options, context), context);
        this.endWatch(op);
        return 'delivered';
      }
    }
  }

  private async replay(op: Op, context: SendContext): Promise<SendOutcome> {
    // A late start would open a session nobody plays in: the reports after it say where the viewer is.
    // What the server counted before this watch is read now, while none of its reports has reached it.
    if (op.kind === 'started') {
      await this.beginWatch(op, context);
      return 'superseded';
    }
    const options = { signal: context.signal };
    // (whether a late position reached the threshold is the server's own threshold's call)
    await this.options.ready?.();
    const server = (await this.reads.read(op.itemId, context.signal)) ?? (await this.read(op.itemId, options, undefined));
    // Both times on the server's clock (the read just measured it): a jump of this machine's clock alone never ages an op.
    const offset = this.client.clockOffsetMs();
    const opOnServerClock = Date.parse(op.createdAt) + (op.serverOffsetMs ?? offset ?? 0);
    // Already what this update leaves (its own earlier attempt landed, unknown to a restarted
    // reelterm): not someone else's doing, and nothing to count again.
    const done = this.alreadyThere(op, server);
    if (done) this.see(op.itemId, server, context);
    if (op.anyAge !== true && !done) {
      if (context.now + (offset ?? 0) - opOnServerClock > this.expireAfterMs) return 'expired';
      const tolerance = offset === undefined ? this.skewToleranceMs : MEASURED_SKEW_TOLERANCE_MS;
      if (changedByAnother(server, this.before(op, context.now), opOnServerClock, tolerance)) {
        const seen = seenFromServer(server, context.now, offset);
        await this.closeSession(op, server, context);
        return { superseded: { positionTicks: seen.positionTicks, played: seen.played, ...(seen.lastPlayedDate !== undefined ? { lastPlayedDate: seen.lastPlayedDate } : {}) } };
      }
    }
    switch (op.kind) {
      case 'played':
        if (!done) await this.countOnce(op, context, server, false);
        return 'delivered';
      case 'unplayed':
        if (done) return 'delivered';
        context.nextRequest?.();
        await this.unmark(op, context);
        return 'delivered';
      case 'progress':
      case 'stopped': {
        // Sent even when the server has its effect: it closes the playback's session there, if open.
        // The server discards an offline report older than its last view (PLEX.md §0.9): a view of
        // reelterm's own (checked above) is not newer news, so the report is dated no earlier.
        const updated = Math.max(opOnServerClock, (server.lastViewedAt ?? 0) * 1000);
        context.nextRequest?.();
        await this.report(op, 'stopped', updated, context);
        this.ended.delete(playbackKey(op));
        // A watch finished while the server could not hear it: the play is counted now, once.
        if (this.reached(op) && !done) await this.countOnce(op, context, undefined, true);
        if (op.kind === 'stopped') this.endWatch(op);
        return 'delivered';
      }
    }
  }

  /**
   * Makes the item watched, counting one play unless the server already counted this watch: the
   * play count (read now unless given) above what it was when the watch began means it did.
   */
  private async countOnce(op: Op, context: SendContext, read: PlexWatchState | undefined, another: boolean): Promise<void> {
    const options = { signal: context.signal };
    const before = playsBefore(op, this.seenByItem.get(op.itemId));
    if (read === undefined && another) context.nextRequest?.();
    const now = read ?? (await this.read(op.itemId, options, context));
    // A mark wants the item watched with no resume point; a watch wants one more play than before it.
    if (op.kind === 'played' ? this.alreadyThere(op, now) : now.viewCount > before) {
      this.see(op.itemId, now, context);
      return;
    }
    // Whether every write was answered by the server itself (not a middlebox in its place). Each
    // write is sent whatever the one before it said (not `&&=`, which would skip the rest).
    let fromServer = true;
    // Unwatched, then watched again before either went: the count starts over, as the two would leave it.
    const unmarkFirst = async () => {
      context.nextRequest?.();
      fromServer = (await this.client.unscrobble(op.itemId, options)).fromServer && fromServer;
    };
    if (now.folder !== undefined) {
      // A show or season: each episode not watched yet (a scrobble on the folder would count the watched ones again).
      context.nextRequest?.();
      const episodes = now.folder === 'show' ? await this.client.allLeaves(op.itemId, options) : await this.client.children(op.itemId, options);
      // (a folder's own count says only whether all of it is watched; its episodes say whether any is)
      if (op.payload.unmarkedFirst === true && episodes.some((episode) => episode.userData.playCount > 0)) await unmarkFirst();
      const unwatched = op.payload.unmarkedFirst === true ? episodes : episodes.filter((episode) => episode.userData.playCount === 0);
      for (const episode of unwatched) {
        context.nextRequest?.();
        fromServer = (await this.client.scrobble(episode.id, options)).fromServer && fromServer;
      }
    } else {
      if (op.payload.unmarkedFirst === true && now.viewCount > 0) await unmarkFirst();
      context.nextRequest?.();
      fromServer = (await this.client.scrobble(op.itemId, options)).fromServer && fromServer;
    }
    if (fromServer) {
      // The server's own answer: every scrobble it takes counts one play (PLEX.md §0.2) and
      // clears the resume point, so what it holds now is known without reading it back.
      const offset = this.client.clockOffsetMs();
      const viewCount = now.folder !== undefined || op.payload.unmarkedFirst === true ? 1 : now.viewCount + 1;
      this.setSeen(op.itemId, seenFromServer({ viewOffsetMs: 0, viewCount, lastViewedAt: (context.now + (offset ?? 0)) / 1000 }, context.now, offset));
      return;
    }
    // An empty 200 is all a scrobble answers, and all a middlebox needs to say: without the
    // server's own header, the count tells.
    // (a server that counts a watched item once more, or not, is believed after a few tries)
    context.nextRequest?.();
    const after = await this.read(op.itemId, options, context);
    const counted = after.viewCount > (op.payload.unmarkedFirst === true ? 0 : now.viewCount);
    if (!counted && op.attempts >= SCROBBLE_CHECKS - 1 && after.viewCount > 0) {
      log.warn('plex: a scrobble was answered but the play count did not rise; taken as done', { item: op.itemId, attempts: op.attempts + 1 });
    } else if (!counted) throw new ApiError(`${this.client.baseUrl}: the server did not count the play (its answer to the mark was not the server's)`, { kind: 'retryable' });
    this.see(op.itemId, after, context);
  }

  private async unmark(op: Op, context: SendContext): Promise<void> {
    const options = { signal: context.signal };
    if (!(await this.client.unscrobble(op.itemId, options)).fromServer) {
      // Not the server's own answer: done only if the server holds nothing now.
      context.nextRequest?.();
      if (!this.alreadyThere(op, await this.read(op.itemId, options, context))) {
        throw new ApiError(`${this.client.baseUrl}: the server did not clear the item (its answer to the unmark was not the server's)`, { kind: 'retryable' });
      }
    }
    this.setSeen(op.itemId, afterUnmark(this.before(op, context.now), context.now, true));
  }

  /** The item's state on the server now; it becomes reelterm's view when `context` is given. */
  private async read(itemId: string, options: Options, context: SendContext | undefined): Promise<PlexWatchState> {
    const state = (await this.client.watchStates([itemId], options)).get(itemId);
    // An item the server does not list is gone (deleted, in the trash): permanent, as its 404.
    if (state === undefined) throw new ApiError(`${this.client.baseUrl}: item ${itemId} no longer exists on the server`, { kind: 'permanent', status: 404 });
    if (context !== undefined) this.see(itemId, state, context);
    return state;
  }

  private see(itemId: string, state: PlexWatchState, context: SendContext): void {
    this.setSeen(itemId, seenFromServer(state, context.now, this.client.clockOffsetMs()));
  }

  /** A new view of the item; the watch under way stays known until its stop is handled. */
  private setSeen(itemId: string, state: SeenState | undefined): void {
    const watch = this.seenByItem.get(itemId)?.watch;
    if (state === undefined) this.seenByItem.delete(itemId);
    else this.seenByItem.set(itemId, state.watch === undefined && watch !== undefined ? { ...state, watch } : state);
  }

  /** A playback's start: the play count before it, read now (the reports after it may count a play). */
  private async beginWatch(op: Op, context: SendContext | undefined): Promise<void> {
    // (beside the live reports, the read only adds the count: their own view of the item is newer)
    const state = await this.read(op.itemId, { signal: context?.signal ?? new AbortController().signal }, context);
    const session = op.payload.playSessionId;
    const seen = this.seenByItem.get(op.itemId);
    if (session === undefined || seen === undefined) return;
    this.seenByItem.set(op.itemId, { ...seen, watch: { playSessionId: session, playsBefore: state.viewCount } });
  }

  /** The playback's stop was handled: its watch is over. */
  private endWatch(op: Op): void {
    const seen = this.seenByItem.get(op.itemId);
    if (seen?.watch === undefined || seen.watch.playSessionId !== op.payload.playSessionId) return;
    const { watch: _watch, ...rest } = seen;
    this.seenByItem.set(op.itemId, rest);
  }

  /** What reelterm knew of the item before this op: its own view, the op's own, and (a retry after a lost answer) the op's own effect. */
  private before(op: Op, now: number): SeenState | undefined {
    const remembered = this.seenByItem.get(op.itemId);
    const known = newestSeen(remembered, op.basis);
    // An attempt whose answer was lost before a restart: it landed, if at all, before its retry was due.
    if (op.unsure !== true || remembered?.doubt !== undefined) return known;
    const lastTry = op.nextAttemptAt === null ? now : Math.min(now, Date.parse(op.nextAttemptAt));
    return this.withDoubt(known, op, lastTry);
  }

  /**
   * Whether the server already holds what the op leaves: the watch counted (a mark: any play;
   * a finished watch: more than when it began), the exact resume point, or nothing (an unmark).
   */
  private alreadyThere(op: Op, server: PlexWatchState): boolean {
    switch (op.kind) {
      case 'started':
        return false;
      case 'played':
        // Watched, and no resume point left (a scrobble clears it); after an unmark, counted once.
        return (op.payload.unmarkedFirst === true ? server.viewCount === 1 : server.viewCount > 0) && server.viewOffsetMs === 0;
      case 'unplayed':
        return server.viewCount === 0 && server.viewOffsetMs === 0 && server.lastViewedAt === undefined;
      case 'progress':
      case 'stopped': {
        if (this.reached(op)) return server.viewCount > playsBefore(op, this.seenByItem.get(op.itemId)) && server.viewOffsetMs === 0;
        const positionMs = Math.round((op.payload.positionTicks ?? 0) / TICKS_PER_MS);
        // (a position the server ignores, the first minute, leaves nothing to recognise)
        return positionMs > 60_000 && server.viewOffsetMs === positionMs;
      }
    }
  }

  /** Whether a report reached the threshold by the server's rule (a play it may count). */
  private reached(op: Op): boolean {
    return this.options.reached(op.payload.positionTicks ?? 0, op.payload.runtimeTicks, op.payload.creditsTicks);
  }

  private mayCount(op: Op): boolean {
    return op.kind === 'played' || ((op.kind === 'progress' || op.kind === 'stopped') && this.reached(op));
  }

  private async report(op: Op, state: 'playing' | 'paused' | 'stopped', offlineAt: number | undefined, context: SendContext): Promise<void> {
    const { positionTicks = 0, runtimeTicks, playSessionId } = op.payload;
    const reply = await this.client.timeline(
      {
        ratingKey: op.itemId,
        state,
        timeMs: positionTicks / TICKS_PER_MS,
        ...(runtimeTicks !== undefined ? { durationMs: runtimeTicks / TICKS_PER_MS } : {}),
        ...(playSessionId !== undefined ? { sessionId: playSessionId } : {}),
        ...(offlineAt !== undefined ? { offlineAt } : {}),
      },
      { signal: context.signal },
    );
    const offset = this.client.clockOffsetMs();
    // A report at or past the threshold may be the crossing that counts a play (PLEX.md §0.5): in doubt until read.
    this.setSeen(op.itemId, afterWrite(this.before(op, context.now), { serverNowMs: context.now + (offset ?? 0), at: context.now, serverOffsetMs: offset, mayCount: this.reached(op), certain: true }));
    if (state !== 'stopped') await this.terminated(op, reply, context);
  }

  /** The server ended the playback: one final stop, no `playing` after it, and the viewer is told. */
  private async terminated(op: Op, reply: TimelineReply, context: SendContext): Promise<void> {
    if (reply.termination === undefined) return;
    this.ended.add(playbackKey(op));
    // Told first: the final stop's answer may be lost (the reports after it go as stops anyway).
    const ended = { itemId: op.itemId, playSessionId: op.payload.playSessionId, text: reply.termination.text };
    log.info('plex: the server ended a playback', { item: op.itemId, code: reply.termination.code, text: reply.termination.text });
    for (const listener of this.endedListeners) listener(ended);
    context.nextRequest?.();
    await this.report(op, 'stopped', undefined, context);
  }

  /**
   * A replay kept aside (someone else changed the item since): the playback's session, which its
   * live reports may have opened, is closed by a stop at the position the server has now, which
   * changes nothing there.
   */
  private async closeSession(op: Op, server: PlexWatchState, context: SendContext): Promise<void> {
    if (op.payload.playSessionId === undefined || (op.kind !== 'progress' && op.kind !== 'stopped')) return;
    context.nextRequest?.();
    await this.client.timeline(
      { ratingKey: op.itemId, state: 'stopped', timeMs: server.viewOffsetMs, sessionId: op.payload.playSessionId, ...(op.payload.runtimeTicks !== undefined ? { durationMs: op.payload.runtimeTicks / TICKS_PER_MS } : {}) },
      { signal: context.signal },
    );
  }

  /** Writes the tracks the viewer chose as the file's selected streams, when they changed (PLEX.md §4.2; subtitles off: 0); true when it sent a request. */
  private async selectStreams(op: Op, options: Options): Promise<boolean> {
    const { mediaSourceId: partId, audioStreamIndex: audio, subtitleStreamIndex: subtitle } = op.payload;
    if (partId === undefined || (audio === undefined && subtitle === undefined)) return false;
    const choice = `${audio ?? ''}/${subtitle ?? ''}`;
    if (this.selected.get(partId) === choice) return false;
    const ack = await this.client.selectStreams(partId, { ...(audio !== undefined ? { audio } : {}), ...(subtitle !== undefined ? { subtitle: subtitle < 0 ? 0 : subtitle } : {}) }, options);
    // (an answer not the server's own may have kept it from the server: it goes again with the next report)
    if (ack.fromServer) this.selected.set(partId, choice);
    return true;
  }
}

/** One playback of one item. */
function playbackKey(op: Op): string {
  return `${op.itemId}\u0000${op.payload.playSessionId ?? ''}`;
}
