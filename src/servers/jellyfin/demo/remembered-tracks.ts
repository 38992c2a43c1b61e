import type { MediaStream } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoUser } from './auth.js';
import type { DemoState } from './context.js';
import { defaultAudioStreamIndex, defaultSubtitleStreamIndex } from './media-streams.js';
import type { DemoVersion } from './playstate.js';
import type { JsonFields } from './request.js';
import type { StoredUserData } from './user-data.js';

/** The default audio and subtitle stream indexes of one media source, for one user. */
export interface DefaultTracks {
  audio?: number;
  subtitle?: number;
}

/** `UserConfiguration.RememberAudioSelections` / `RememberSubtitleSelections`: on unless set (`User.cs`). */
function remembers(user: DemoUser, kind: 'audio' | 'subtitle'): boolean {
  return (kind === 'audio' ? user.rememberAudioSelections : user.rememberSubtitleSelections) ?? true;
}

function rememberedIndex(version: DemoVersion, remembering: boolean, stored: number | undefined, reported: number | undefined): number | undefined {
  // SessionManager.UpdatePlaybackSettings: a user who does not remember has the stored index cleared.
  if (!remembering) return undefined;
  // 12.0 copies only a reported index (`HasValue` guards, PR #16769); 10.11 copies null too, erasing.
  if (version === '12.0.0' && reported === undefined) return stored;
  return reported;
}

/**
 * `SessionManager.UpdatePlaybackSettings` (`SessionManager.cs` L964-1000 in 10.11.11), which only
 * `OnPlaybackProgress` calls: for each kind the user remembers, the report's `AudioStreamIndex` /
 * `SubtitleStreamIndex` becomes the user's stored one for the item (-1, subtitles off, included).
 * On 10.11 a report without an index erases the stored one; on 12.0 it leaves it. A kind the user
 * does not remember is cleared. An unknown user (a revoked account) changes nothing.
 */
export function rememberReportedTracks(state: DemoState, userId: string, data: StoredUserData, report: JsonFields): void {
  const user = state.accounts.userById(userId);
  if (!user) return;
  const audio = report.integer('AudioStreamIndex');
  const subtitle = report.integer('SubtitleStreamIndex');
  data.audioStreamIndex = rememberedIndex(state.version, remembers(user, 'audio'), data.audioStreamIndex, audio);
  data.subtitleStreamIndex = rememberedIndex(state.version, remembers(user, 'subtitle'), data.subtitleStreamIndex, subtitle);
}

function hasStream(streams: readonly MediaStream[], type: 'Audio' | 'Subtitle', index: number): boolean {
  return streams.some((stream) => stream.Type === type && stream.Index === index);
}

/**
 * `MediaSourceManager.SetDefaultAudioAndSubtitleStreamIndices` for a video: a remembered audio
 * index wins while the source still has that audio stream; a remembered subtitle index wins while
 * the source has that subtitle stream, or when it is -1 (subtitles off). Either needs the user to
 * remember that kind. Otherwise the server picks as `MediaStreamSelector` does, the subtitle
 * following the chosen audio's language; a remembered subtitle skips that pick and its scoring.
 * Without a user (nothing remembered to read) the pick is the plain one.
 */
export function defaultTracks(streams: MediaStream[], user?: DemoUser, data?: StoredUserData): DefaultTracks {
  const storedAudio = user && remembers(user, 'audio') ? data?.audioStreamIndex : undefined;
  const audio = storedAudio !== undefined && hasStream(streams, 'Audio', storedAudio) ? storedAudio : defaultAudioStreamIndex(streams);
  // The demo users keep SubtitleMode at Default, never None, which would make the server ignore the remembered index.
  const storedSubtitle = user && remembers(user, 'subtitle') ? data?.subtitleStreamIndex : undefined;
  if (storedSubtitle !== undefined && (storedSubtitle === -1 || hasStream(streams, 'Subtitle', storedSubtitle))) return { audio, subtitle: storedSubtitle };
  const audioLanguage = streams.find((stream) => stream.Type === 'Audio' && stream.Index === audio)?.Language ?? undefined;
  return { audio, subtitle: defaultSubtitleStreamIndex(streams, audioLanguage) };
}
