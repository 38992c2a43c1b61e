import type { JellyfinClient } from './client.js';
import { ApiError } from './errors.js';
import type { StreamProxy } from '../http/stream-proxy.js';
import type { MediaStreamInfo, PlaybackSource, WatchState } from './types.js';
import { log } from '../../log.js';
import type { EntryDetails } from '../../session/playback-run.js';
import type { MediaTracks, StreamChoice } from '../../session/track-choice.js';
import { TICKS_PER_SECOND } from '../../sync/op.js';

// How Jellyfin's items are made ready for mpv: each stream's address checked to answer on the
// server itself (mpv carries the token's header wherever a stream redirects), the tracks the
// server lists (with the choice it remembers for the user), and the intro and credits markers.
// `jellyfinServer` (index.ts) offers it as the MediaServer's `preparePlay`.

/**
 * The server's streams of one kind as choices. The file's own streams are numbered by their
 * place among the file's streams of that kind, in index order, which is the file's order.
 */
function toChoices(streams: readonly MediaStreamInfo[]): StreamChoice[] {
  let embedded = 0;
  return [...streams]
    .sort((a, b) => a.index - b.index)
    .map((stream) => ({
      index: stream.index,
      label: stream.label,
      isDefault: stream.isDefault,
      ...(stream.language ? { language: stream.language } : {}),
      ...(stream.isExternal ? {} : { embedded: embedded++ }),
      ...(stream.url ? { url: stream.url } : {}),
    }))
    .filter((choice) => choice.embedded !== undefined || choice.url !== undefined);
}

/** The server's streams as the session's track lists. */
function toTracks(source: PlaybackSource): MediaTracks {
  return {
    audio: toChoices(source.streams.filter((stream) => stream.type === 'Audio')),
    subtitles: toChoices(source.streams.filter((stream) => stream.type === 'Subtitle')),
    ...(source.defaultAudioIndex !== undefined ? { defaultAudioIndex: source.defaultAudioIndex } : {}),
    ...(source.defaultSubtitleIndex !== undefined ? { defaultSubtitleIndex: source.defaultSubtitleIndex } : {}),
  };
}

/** The stream check's refusal: a redirect to another host (anything else is mpv's to report). */
function isRedirect(error: unknown): boolean {
  return error instanceof ApiError && error.status !== undefined && error.status >= 300 && error.status < 400;
}

/** Jellyfin's play preparation for one signed-in client; `forget()` after a sign-in. */
export function jellyfinPlayback(client: JellyfinClient, changedHere: (itemId: string) => boolean, streamProxy: () => Promise<StreamProxy>) {
  /**
   * mpv carries the Authorization header to wherever a stream redirects: every file goes to mpv
   * only once its address is known to answer on the server itself. The first must check out;
   * a later one that cannot be reached now is left to mpv (it is not a redirect).
   */
  async function checkOrigins(urls: readonly string[]): Promise<void> {
    const [first, ...rest] = urls;
    if (first !== undefined) await client.checkStreamOrigin(first);
    for (let at = 0; at < rest.length; at += 4) {
      await Promise.all(
        rest.slice(at, at + 4).map((url) =>
          client.checkStreamOrigin(url).catch((error: unknown) => {
            if (isRedirect(error)) throw error;
          }),
        ),
      );
    }
  }

  /** Which selections the server remembers for this user, read once per sign-in; unknown counts as Jellyfin's default, on. */
  let remembering: Promise<{ audio: boolean; subtitle: boolean }> | undefined;
  const remembers = () =>
    (remembering ??= client.me().then(
      (me) => ({ audio: me.rememberAudioSelections, subtitle: me.rememberSubtitleSelections }),
      (error: unknown) => {
        log.info('could not read whether the server remembers track selections; assuming it does', { error: (error as Error).message });
        remembering = undefined;
        return { audio: true, subtitle: true };
      },
    ));

  /**
   * Whether the user played the item before, so the server may hold a remembered track choice
   * for it: the server's watch state says so, or it was played or marked here since the listing.
   */
  function playedBefore(itemId: string, server: WatchState | undefined): boolean {
    if (changedHere(itemId)) return true;
    return server !== undefined && (server.playCount > 0 || server.positionTicks > 0 || server.lastPlayedDate !== undefined);
  }

  async function details(itemId: string, userData: WatchState | undefined, known?: PlaybackSource): Promise<EntryDetails> {
    const [source, segments, remembered] = await Promise.all([
      known ?? client.playbackInfo(itemId),
      client.mediaSegments(itemId).catch((error: unknown) => {
        log.info('no media segments', { error: (error as Error).message });
        return [];
      }),
      remembers(),
    ]);
    // mpv sends the token with subtitle requests too: a file that redirects elsewhere is left out.
    const before = playedBefore(itemId, userData);
    const tracks = { ...toTracks(source), remembered: { audio: remembered.audio && before, subtitle: remembered.subtitle && before } };
    const refused = new Set<string>();
    await Promise.all(
      tracks.subtitles.flatMap((stream) =>
        stream.url === undefined
          ? []
          : [
              client.checkStreamOrigin(stream.url).catch((error: unknown) => {
                if (isRedirect(error)) refused.add(stream.url!);
              }),
            ],
      ),
    );
    const via = await streamProxy();
    return {
      tracks: {
        ...tracks,
        subtitles: tracks.subtitles.filter((stream) => stream.url === undefined || !refused.has(stream.url)).map((stream) => (stream.url === undefined ? stream : { ...stream, url: via.url(stream.url) })),
      },
      segments: segments.map((segment) => ({ type: segment.type, startSeconds: segment.startTicks / TICKS_PER_SECOND, endSeconds: segment.endTicks / TICKS_PER_SECOND })),
    };
  }

  return {
    checkOrigins,
    details,
    /** A new sign-in may remember selections differently: ask again. */
    forget: () => {
      remembering = undefined;
    },
  };
}
