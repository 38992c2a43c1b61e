/**
 * How queued updates reach a Plex server (PLEX.md §5): playback reports as `/:/timeline`, marks
 * as `/:/scrobble` and `/:/unscrobble`, and the user's track choice as the file's selected
 * streams. A report that waited is never sent as `playing` (it would open a phantom "Now
 * Playing" session, §0.8): it goes as one `stopped` with `offline=1` and the user's time (§5.4).
 */
import type { Deliver, SendContext, SendOutcome } from '../../sync/deliver.js';
import type { Op } from '../../sync/op.js';
import type { PlexClient } from './client.js';
import { TICKS_PER_MS } from './mappers.js';

/** How old a report may be and still go live (Jellyfin's deliverer uses the same minute). */
const LIVE_FOR_MS = 60_000;

export class PlexDeliver implements Deliver {
  /** The streams last written per file, so a report that names the same ones writes nothing. */
  private readonly selected = new Map<string, string>();

  constructor(private readonly client: PlexClient) {}

  probe(signal: AbortSignal): Promise<void> {
    return this.client.identity({ signal }).then(() => undefined);
  }

  clockOffsetMs(): number | undefined {
    return this.client.clockOffsetMs();
  }

  async send(op: Op, context: SendContext): Promise<SendOutcome> {
    const options = { signal: context.signal };
    const at = Date.parse(op.createdAt);
    // (an update put back by the user, whatever its age, is still late: never a live report)
    const live = context.now - at < LIVE_FOR_MS;
    switch (op.kind) {
      case 'played':
        await this.client.scrobble(op.itemId, options);
        return 'delivered';
      case 'unplayed':
        await this.client.unscrobble(op.itemId, options);
        return 'delivered';
      case 'started':
        // A late start would open a session nobody plays in: the reports after it say where the viewer is.
        if (!live) return 'superseded';
        if (await this.selectStreams(op, options)) context.nextRequest?.();
        await this.report(op, op.payload.paused === true ? 'paused' : 'playing', undefined, options);
        return 'delivered';
      case 'progress':
      case 'stopped': {
        if (live && (await this.selectStreams(op, options))) context.nextRequest?.();
        const state = op.kind === 'stopped' ? 'stopped' : op.payload.paused === true ? 'paused' : 'playing';
        // The user's time, on the server's clock, for a report that waited.
        await this.report(op, state, live ? undefined : at + (op.serverOffsetMs ?? this.client.clockOffsetMs() ?? 0), options);
        return 'delivered';
      }
    }
  }

  private async report(op: Op, state: 'playing' | 'paused' | 'stopped', offlineAt: number | undefined, options: { signal: AbortSignal }): Promise<void> {
    const { positionTicks = 0, runtimeTicks, playSessionId } = op.payload;
    await this.client.timeline(
      {
        ratingKey: op.itemId,
        state,
        timeMs: positionTicks / TICKS_PER_MS,
        ...(runtimeTicks !== undefined ? { durationMs: runtimeTicks / TICKS_PER_MS } : {}),
        ...(playSessionId !== undefined ? { sessionId: playSessionId } : {}),
        ...(offlineAt !== undefined ? { offlineAt } : {}),
      },
      options,
    );
  }

  /** Writes the tracks the viewer chose as the file's selected streams, when they changed (PLEX.md §4.2; subtitles off: 0); true when it sent a request. */
  private async selectStreams(op: Op, options: { signal: AbortSignal }): Promise<boolean> {
    const { mediaSourceId: partId, audioStreamIndex: audio, subtitleStreamIndex: subtitle } = op.payload;
    if (partId === undefined || (audio === undefined && subtitle === undefined)) return false;
    const choice = `${audio ?? ''}/${subtitle ?? ''}`;
    if (this.selected.get(partId) === choice) return false;
    await this.client.selectStreams(partId, { ...(audio !== undefined ? { audio } : {}), ...(subtitle !== undefined ? { subtitle: subtitle < 0 ? 0 : subtitle } : {}) }, options);
    this.selected.set(partId, choice);
    return true;
  }
}
