import { log } from '../log.js';
import type { PlayerEvent } from '../player/events.js';
import { TICKS_PER_SECOND, type SeenState } from '../sync/op.js';
import type { Outbox, SettleResult } from '../sync/outbox.js';
import type { StreamIndexes } from './track-choice.js';

export type { PlayerEvent, TrackRef } from '../player/events.js';

/** The item being played and its watch state when playback began. */
export interface SessionItem {
  id: string;
  title: string;
  runtimeTicks?: number;
  positionTicks: number;
  played: boolean;
  /** The item's watch state as last read from the server (a replay later compares the server with it). */
  seen?: SeenState;
}

/** The session's local view of the item: updated at once, whatever the server's state. */
export interface SessionView {
  positionSeconds: number;
  durationSeconds: number | undefined;
  paused: boolean;
  /** Watched, as the server will see it once the queued updates land. */
  played: boolean;
  /** Saved resume position after the end, in ticks (0 when finished or near the start). */
  positionTicks: number;
  ended: boolean;
  /** Set when an update could not be written to the queue file (it is kept in memory), or mpv could not play. */
  error?: string;
}

/** What the server stores for a final position: its resume and played rules (each server kind has its own). */
export interface ResumeRule {
  /**
   * What the server keeps for a reported position, given what it kept before (`before`, the
   * resume point it had): a server that ignores some reports (Plex, the first minute) keeps that.
   */
  resumeState(positionTicks: number, runtimeTicks: number | undefined, before?: { positionTicks: number }, creditsTicks?: number): { positionTicks: number; played?: true };
}

/** Options for one playback. */
export interface PlaybackSessionOptions {
  item: SessionItem;
  /** The server's rules: where a final position leaves the resume point, and whether it counts as played. */
  rules: ResumeRule;
  outbox: Pick<Outbox, 'enqueue' | 'settle'>;
  playSessionId?: string;
  mediaSourceId?: string;
  /**
   * Servers before 12.0 clear Played when playback starts (a re-watch resets watched);
   * 12.0 keeps it. Keeps the local view in step with the server.
   */
  startClearsPlayed?: boolean;
}

/**
 * The play count a watch starts from: the server's as last seen, after the user's own marks
 * still on their way there (watched shown here, unwatched there: one play; the reverse: none),
 * since the queue delivers those first.
 */
function playsBeforeOf(item: SessionItem): number | undefined {
  const seen = item.seen;
  if (seen?.playCount === undefined) return undefined;
  if (item.played === seen.played) return seen.playCount;
  return item.played ? Math.max(1, seen.playCount) : 0;
}

const toTicks = (seconds: number) => Math.max(0, Math.round(seconds * TICKS_PER_SECOND));

/** What to tell the viewer when mpv ended before playing anything; nothing when they ended it. */
function notPlayedMessage(event: Extract<PlayerEvent, { type: 'end' }>): string | undefined {
  if (event.error !== undefined) return event.error;
  switch (event.reason) {
    case 'stop':
    case 'quit':
      return undefined;
    case 'crash':
      return 'mpv stopped unexpectedly before it played anything (the log says more)';
    default:
      return 'mpv found nothing to play in this stream';
  }
}

/**
 * One playback of one item: turns the player's events into outbox ops (start, progress,
 * pause/resume/seek at once, the final stop) and keeps a local view that agrees with
 * what the server will decide (its resume rules, e.g. Jellyfin's 5 % / 90 %).
 */
export class PlaybackSession {
  private readonly item: SessionItem;
  private readonly outbox: Pick<Outbox, 'enqueue' | 'settle'>;
  private readonly session: { playSessionId?: string; mediaSourceId?: string };
  private readonly startClearsPlayed: boolean;
  private readonly rules: ResumeRule;
  /** The item's play count on the server when this watch began, as far as reelterm knows (see `playsBeforeOf`). */
  private readonly playsBefore: number | undefined;
  /** Where the item's credits begin (from the server's markers, once known). */
  private creditsTicks: number | undefined;
  /** The resume point the server keeps as far as the reports queued so far go (at first, the item's). */
  private kept: number;
  private readonly listeners = new Set<(view: SessionView) => void>();
  private current: SessionView;
  private started = false;
  private streams: StreamIndexes = {};
  private endResolve!: (view: SessionView) => void;
  /** Resolves with the final view once the stop is queued (on disk). */
  readonly ended: Promise<SessionView>;

  constructor(options: PlaybackSessionOptions) {
    this.item = options.item;
    this.outbox = options.outbox;
    this.session = {
      ...(options.playSessionId ? { playSessionId: options.playSessionId } : {}),
      ...(options.mediaSourceId ? { mediaSourceId: options.mediaSourceId } : {}),
    };
    this.startClearsPlayed = options.startClearsPlayed ?? true;
    this.rules = options.rules;
    this.playsBefore = playsBeforeOf(options.item);
    this.kept = options.item.positionTicks;
    this.current = {
      positionSeconds: options.item.positionTicks / TICKS_PER_SECOND,
      durationSeconds: options.item.runtimeTicks ? options.item.runtimeTicks / TICKS_PER_SECOND : undefined,
      paused: false,
      played: options.item.played,
      positionTicks: options.item.positionTicks,
      ended: false,
    };
    this.ended = new Promise((resolve) => (this.endResolve = resolve));
  }

  get view(): SessionView {
    return this.current;
  }

  get itemId(): string {
    return this.item.id;
  }

  /** Calls `listener` on every change of the local view; returns the unsubscribe function. */
  subscribe(listener: (view: SessionView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Playback is starting at `startSeconds`: queues the live start report. Call it when mpv
   * actually plays (its first tick), so a stream that cannot be opened reports nothing.
   */
  start(startSeconds: number): void {
    if (this.started || this.current.ended) return;
    this.started = true;
    this.update({ positionSeconds: startSeconds, ...(this.startClearsPlayed ? { played: false } : {}) });
    this.queue('started', { positionTicks: toTicks(startSeconds), paused: false });
  }

  /**
   * The streams now playing, as the server numbers them (a kind left out: not known). Start and
   * progress reports carry them (the server remembers them as the user's choice for the item),
   * and a change once playing is reported at once rather than at the next progress slot.
   */
  selectStreams(streams: StreamIndexes): void {
    if (streams.audio === this.streams.audio && streams.subtitle === this.streams.subtitle) return;
    this.streams = streams;
    if (!this.started || this.current.ended) return;
    this.queue('progress', { positionTicks: toTicks(this.current.positionSeconds), paused: this.current.paused, urgent: true, played: this.current.played });
  }

  /** Feeds one player event. Events after the end are ignored. */
  handle(event: PlayerEvent): void {
    if (this.current.ended) return;
    switch (event.type) {
      case 'tick':
        this.update({
          positionSeconds: event.positionSeconds,
          paused: event.paused,
          ...(event.durationSeconds !== undefined ? { durationSeconds: event.durationSeconds } : {}),
        });
        this.queue('progress', { positionTicks: toTicks(event.positionSeconds), paused: event.paused, played: this.current.played });
        return;
      case 'pause':
      case 'resume':
      case 'seek': {
        const paused = event.type === 'pause' ? true : event.type === 'resume' ? false : this.current.paused;
        this.update({ positionSeconds: event.positionSeconds, paused });
        this.queue('progress', { positionTicks: toTicks(event.positionSeconds), paused, urgent: true, played: this.current.played });
        return;
      }
      case 'end':
        this.finish(event);
    }
  }

  private finish(event: Extract<PlayerEvent, { type: 'end' }>): void {
    if (!this.started) {
      // Nothing played: the server hears nothing, the item is as it was. A viewer who stopped
      // (or closed mpv) before it began needs no message.
      const error = notPlayedMessage(event);
      this.update({ ended: true, paused: false, ...(error !== undefined ? { error } : {}) });
      this.endResolve(this.current);
      return;
    }
    const runtimeTicks = this.item.runtimeTicks ?? (event.durationSeconds ? toTicks(event.durationSeconds) : undefined);
    // At the end of the file mpv's last position can trail the server's runtime by a frame;
    // report the whole runtime so the server marks it played as the viewer expects.
    const finalTicks = event.reason === 'eof' && runtimeTicks !== undefined ? runtimeTicks : toTicks(event.positionSeconds);
    const decided = this.rules.resumeState(finalTicks, runtimeTicks, { positionTicks: this.kept }, this.creditsTicks);
    const played = decided.played === true || this.current.played;
    // Queued before the screen hears of the end: the stop's write begins at once (see
    // `QueueWriter.requestWrite`), and drawing the ended view waits for it to be under way.
    const queued = this.queue('stopped', { positionTicks: finalTicks, played, ...(runtimeTicks !== undefined ? { runtimeTicks } : {}) });
    this.update({
      ...(event.error !== undefined ? { error: event.error } : {}),
      positionSeconds: event.positionSeconds,
      paused: false,
      played,
      positionTicks: decided.positionTicks,
      ended: true,
    });
    void queued.finally(() => this.endResolve(this.current));
  }

  /** The item's credits begin here (the server's markers): where a server may count the watch. */
  setCredits(startSeconds: number | undefined): void {
    this.creditsTicks = startSeconds === undefined ? undefined : toTicks(startSeconds);
  }

  /** Waits until this item's updates have landed, or `timeoutMs` passes. */
  settle(timeoutMs: number): Promise<SettleResult> {
    return this.outbox.settle({ itemId: this.item.id, timeoutMs });
  }

  private queue(kind: 'started' | 'progress' | 'stopped', payload: { positionTicks: number; paused?: boolean; urgent?: boolean; runtimeTicks?: number; played?: boolean }): Promise<void> {
    // What the server keeps so far, report by report, by its rules (the stop's own is decided in finish).
    if (kind !== 'stopped') this.kept = this.rules.resumeState(payload.positionTicks, this.item.runtimeTicks, { positionTicks: this.kept }, this.creditsTicks).positionTicks;
    const runtime = this.item.runtimeTicks !== undefined ? { runtimeTicks: this.item.runtimeTicks } : {};
    // A stop carries them too: a track change just before it must still reach the server.
    const streams = this.streamFields();
    return this.outbox
      .enqueue({
        itemId: this.item.id,
        kind,
        title: this.item.title,
        // The play count when this watch began: a server that counts a play on every "watched" write adds this watch's once.
        payload: {
          ...runtime,
          ...payload,
          ...this.session,
          ...streams,
          ...(this.playsBefore !== undefined ? { playsBefore: this.playsBefore } : {}),
          ...(this.creditsTicks !== undefined ? { creditsTicks: this.creditsTicks } : {}),
        },
        ...(this.item.seen !== undefined ? { seen: this.item.seen } : {}),
      })
      .then(
        () => undefined,
        (error: unknown) => {
          log.error('could not queue a playback update', { error, kind });
          this.update({ error: (error as Error).message });
        },
      );
  }

  /** Only what is known: a guessed index would be remembered as the user's choice. */
  private streamFields(): { audioStreamIndex?: number; subtitleStreamIndex?: number } {
    return {
      ...(this.streams.audio !== undefined ? { audioStreamIndex: this.streams.audio } : {}),
      ...(this.streams.subtitle !== undefined ? { subtitleStreamIndex: this.streams.subtitle } : {}),
    };
  }

  private update(change: Partial<SessionView>): void {
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener(this.current);
  }
}
