import type { MediaSourceInfo, MediaStream, SubtitleDeliveryMethod } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { isTextFormat } from './media-streams.js';
import type { JsonFields } from './request.js';

/** One entry of a client's `DeviceProfile.SubtitleProfiles`. */
export interface SubtitleProfile {
  format?: string;
  method?: string;
  language?: string;
  container?: string;
}

/** Reads `DeviceProfile.SubtitleProfiles` from a PlaybackInfo body's `DeviceProfile`. */
export function readSubtitleProfiles(deviceProfile: JsonFields): SubtitleProfile[] {
  return deviceProfile.objects('SubtitleProfiles').map((profile) => ({
    format: profile.string('Format'),
    method: profile.string('Method'),
    language: profile.string('Language'),
    container: profile.string('Container'),
  }));
}

/** `ContainerHelper.ContainsContainer`: an empty list allows all, a leading `-` negates the list. */
function listAllows(list: string | undefined, value: string): boolean {
  if (list === undefined || list === '') return true;
  const negated = list.startsWith('-');
  const entries = (negated ? list.slice(1) : list).split(',').map((entry) => entry.trim().toLowerCase());
  return entries.includes(value.toLowerCase()) !== negated;
}

function same(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

/** `MediaStream.SupportsSubtitleConversionTo`: text subtitles, but never from or to ASS/SSA. */
function convertible(stream: MediaStream, to: string | undefined): boolean {
  const ass = (codec: string | null | undefined) => ['ass', 'ssa'].includes((codec ?? '').toLowerCase());
  return stream.IsTextSubtitleStream === true && !ass(stream.Codec) && !ass(to);
}

function externalProfile(stream: MediaStream, profiles: readonly SubtitleProfile[], allowConversion: boolean): SubtitleProfile | undefined {
  for (const profile of profiles) {
    if (!same(profile.method, 'External')) continue;
    if (stream.IsTextSubtitleStream !== isTextFormat(profile.format)) continue;
    if (same(stream.Codec, profile.format)) return profile;
    if (allowConversion && stream.SupportsExternalStream && convertible(stream, profile.format)) return profile;
  }
  return undefined;
}

/**
 * `StreamBuilder.GetSubtitleProfile` for a direct-played mp4: a matching (or convertible) Embed
 * profile for an embedded track, else an External profile without conversion, then with it,
 * else burn in (Encode).
 */
export function subtitleProfileFor(stream: MediaStream, profiles: readonly SubtitleProfile[], container: string): { method: SubtitleDeliveryMethod; format: string } {
  const allowed = profiles.filter((profile) => listAllows(profile.language, stream.Language || 'und'));
  if (!stream.IsExternal) {
    const embeds = allowed.filter((profile) => same(profile.method, 'Embed') && listAllows(profile.container, container));
    const embed =
      embeds.find((profile) => stream.IsTextSubtitleStream === isTextFormat(profile.format) && same(profile.format, stream.Codec)) ??
      embeds.find((profile) => convertible(stream, profile.format));
    if (embed) return { method: 'Embed', format: embed.format ?? '' };
  }
  const external = externalProfile(stream, allowed, false) ?? externalProfile(stream, allowed, true);
  if (external) return { method: 'External', format: external.format ?? '' };
  return { method: 'Encode', format: stream.Codec ?? '' };
}

/** A GUID in .NET's default ("D") form, as `string.Format` writes `StreamInfo.ItemId`. */
function dashed(id: string): string {
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

/**
 * `MediaInfoHelper.SetDeviceSpecificSubtitleInfo`: every subtitle stream gets the delivery the
 * client's profile allows; an External one gets `/Videos/{itemId}/{mediaSourceId}/Subtitles/{index}/0/Stream.{format}`,
 * with the caller's token as `?ApiKey=` when it sent one (`StreamInfo.GetSubtitleStreamInfo`).
 */
export function applySubtitleDelivery(source: MediaSourceInfo, itemId: string, profiles: readonly SubtitleProfile[], token: string | undefined): void {
  for (const stream of source.MediaStreams ?? []) {
    if (stream.Type !== 'Subtitle') continue;
    const { method, format } = subtitleProfileFor(stream, profiles, source.Container ?? '');
    stream.DeliveryMethod = method;
    if (method !== 'External') continue;
    const path = `/Videos/${dashed(itemId)}/${source.Id}/Subtitles/${stream.Index}/0/Stream.${format}`;
    stream.DeliveryUrl = token === undefined ? path : `${path}?ApiKey=${token}`;
    stream.IsExternalUrl = false;
  }
}
